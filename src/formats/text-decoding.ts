/**
 * Bytes → text for every content format, and the nesting limit of parsed JSON and YAML values. Decoding is
 * strict: invalid UTF-8 is refused with its byte offset, line and column, never replaced by U+FFFD (a
 * replaced character would silently change a control's text or an id). An XML document is decoded as its
 * byte-order mark or its XML declaration says (ISO-8859-1, windows-1252, UTF-16… whatever Node's
 * TextDecoder knows); an encoding it does not know is refused by name. Messages never quote content.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

/** Nesting limit of JSON and YAML values (objects and arrays); OSCAL's deepest real nesting is about 20. */
export const MAX_VALUE_DEPTH = 256;

function invalid(file: string, message: string, at: { line?: number; column?: number; pointer?: string } = {}): PlimsollError {
  const where = at.line !== undefined ? `:${at.line}:${at.column ?? 1}` : at.pointer !== undefined ? `#${at.pointer}` : '';
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}${where}: ${message}`, [{ file, ...at, message }]);
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1 (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are refused through the second byte's range.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    else if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset of UTF-8 text that is valid up to it. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  const column = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8').length + 1;
  return { line, column };
}

/** UTF-8 bytes → text (a byte-order mark dropped); CONTENT_INVALID with the byte offset, line and column of invalid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Node's native check (simdutf, as strict as RFC 3629) decides; the byte-by-byte scan only finds the place
  // of a fault, so valid files (a 24 MB data stream) pay a few milliseconds instead of a JavaScript loop.
  const bad = isUtf8(bytes.subarray(start)) ? -1 : firstInvalidUtf8(bytes.subarray(start));
  if (bad >= 0) {
    const offset = start + bad;
    const at = bytePosition(bytes, offset);
    throw invalid(file, `invalid UTF-8 at byte ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')}): the file is not UTF-8; save it as UTF-8 (or declare its encoding in the XML declaration)`, at);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('utf8');
}

/** The encoding named by an XML declaration at the start of ASCII-compatible bytes, or undefined. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const decl = /^<\?xml\s[^?]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return decl ? (decl[1] ?? decl[2] ?? '').trim() : undefined;
}

/**
 * XML bytes → text: a UTF-16 or UTF-8 byte-order mark decides; otherwise the declared encoding (UTF-8 when
 * none is declared). Decoding is fatal: a byte the encoding does not define is refused with its place.
 */
export function decodeXmlBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return strictDecode('utf-16le', bytes.subarray(2), file, 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return strictDecode('utf-16be', bytes.subarray(2), file, 2);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes, file);
  const label = declaredEncoding(bytes);
  if (label === undefined) return decodeUtf8(bytes, file);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    const line = 1;
    throw invalid(file, `the XML declaration names the encoding "${label}", which is not supported (use UTF-8, UTF-16, ISO-8859-1 or another WHATWG encoding label)`, { line, column: 1 });
  }
  if (decoder.encoding === 'utf-8') return decodeUtf8(bytes, file);
  if (decoder.encoding.startsWith('utf-16')) {
    throw invalid(file, `the XML declaration names "${label}" but the file has no UTF-16 byte-order mark`, { line: 1, column: 1 });
  }
  return strictDecode(decoder.encoding, bytes, file, 0);
}

/** windows-1252 at 0x80–0x9f (WHATWG); the five bytes it leaves undefined map to the C1 control of the same value. */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function strictDecode(encoding: string, bytes: Uint8Array, file: string, skipped: number): string {
  // Node 20's TextDecoder decodes windows-1252 (which the WHATWG labels iso-8859-1 and latin1 also name) as
  // plain Latin-1, losing the curly quotes and dashes Windows tools write at 0x80–0x9f.
  if (encoding === 'windows-1252') return Buffer.from(bytes).toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    // Find the first undecodable byte by bisection on prefixes (fatal decoding names no offset).
    let lo = 0;
    let hi = bytes.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      try {
        new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    throw invalid(file, `byte ${skipped + lo} is not valid ${encoding}, the encoding the file declares`);
  }
}

/**
 * Refuses JSON/YAML values nested deeper than `max` (objects and arrays), naming the JSON pointer where the
 * limit is crossed, before any recursive code (schema validation, mapping) walks them. Iterative.
 */
export function assertValueDepth(value: unknown, file: string, max = MAX_VALUE_DEPTH, locate?: (pointer: string) => { line: number; column: number } | undefined): void {
  const stack: { v: unknown; depth: number; pointer: string }[] = [{ v: value, depth: 0, pointer: '' }];
  while (stack.length > 0) {
    const { v, depth, pointer } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) {
      const at = locate?.(pointer);
      throw invalid(file, `values are nested deeper than the limit of ${max} at ${pointer || '/'}`, { pointer, ...(at ?? {}) });
    }
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, pointer: `${pointer}/${i}` }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, depth: depth + 1, pointer: `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
}
