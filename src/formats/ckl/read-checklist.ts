/**
 * Reads a checklist whichever format it is in: a CKLB (JSON) starts with `{`, anything else is read as a CKL
 * (XML) through the hardened XML entry point. The content decides, not the file name, so a renamed file is
 * still read by the right reader and a file that is neither gets that reader's located error.
 */
import type { ReadChecklist, ReadChecklistOptions } from './checklist-read.js';
import { readCkl } from './ckl-reader.js';
import { readCklb } from './cklb.js';

/** The format of checklist content: `cklb` when its first non-blank character (after a byte-order mark) is `{`. */
export function checklistFormatOf(input: string | Uint8Array): 'ckl' | 'cklb' {
  const head = typeof input === 'string' ? input.slice(0, 64) : Buffer.from(input.buffer, input.byteOffset, Math.min(64, input.byteLength)).toString('utf8');
  return /^\uFEFF?\s*\{/.test(head) ? 'cklb' : 'ckl';
}

/** Reads CKL or CKLB content into the checklist model; throws CONTENT_INVALID naming the file and place. */
export function readChecklist(input: string | Uint8Array, file: string, opts: ReadChecklistOptions = {}): ReadChecklist {
  return checklistFormatOf(input) === 'cklb' ? readCklb(input, file, opts) : readCkl(input, file, opts);
}
