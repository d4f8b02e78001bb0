/**
 * What the CKL and CKLB readers share: the result shape (the checklist and where each rule sits in its file),
 * the flattening into review entries, and the errors, which name the file and the place (a line for a CKL, a
 * JSON pointer for a CKLB) and never quote the file's content.
 */
import { type Checklist, type ChecklistReviewEntry, type ChecklistSeverity, releaseOf, statementOf } from '../../domain/checklist.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** A checklist read from a file, with the place of each rule (`places[stig][rule]`) for later messages. */
export interface ReadChecklist {
  format: 'ckl' | 'cklb';
  checklist: Checklist;
  places: string[][];
}

/** Default size limit of a checklist file: a CKL of every STIG rule of a large OS is a few MB. */
export const DEFAULT_MAX_CHECKLIST_BYTES = 64 * 1024 * 1024;

export interface ReadChecklistOptions {
  maxBytes?: number;
}

/** A CONTENT_INVALID error at a line (CKL) or JSON pointer (CKLB) of a checklist file. */
export function checklistError(file: string, where: { line?: number; column?: number; pointer?: string }, message: string): PlimsollError {
  const at = where.line !== undefined ? `:${where.line}${where.column !== undefined ? `:${where.column}` : ''}` : where.pointer !== undefined ? `#${where.pointer}` : '';
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}${at}: ${message}`, [{ file, ...where, message }]);
}

/** Refuses input larger than the limit before anything parses it. */
export function assertChecklistSize(input: string | Uint8Array, file: string, maxBytes = DEFAULT_MAX_CHECKLIST_BYTES): void {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) throw checklistError(file, {}, `checklist is ${size} bytes, larger than the limit of ${maxBytes} bytes`);
}

const SEVERITIES: readonly ChecklistSeverity[] = ['high', 'medium', 'low'];

/** A severity as checklists write it (`high`, `medium`, `low`, any case; CAT I/II/III), or undefined. */
export function severityOf(value: string): ChecklistSeverity | undefined {
  const v = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as ChecklistSeverity;
  return ({ 'cat i': 'high', 'cat ii': 'medium', 'cat iii': 'low' } as Record<string, ChecklistSeverity>)[v];
}

/** Every rule of a checklist as a review entry (benchmark, release, rule, status, details, comments, place). */
export function checklistEntries(read: ReadChecklist): ChecklistReviewEntry[] {
  const out: ChecklistReviewEntry[] = [];
  read.checklist.stigs.forEach((stig, s) => {
    const release = releaseOf(stig.info);
    stig.rules.forEach((r, i) => {
      out.push({
        benchmarkId: stig.info.stigId,
        ...(release !== undefined ? { release } : {}),
        ruleId: r.ruleId,
        stigId: r.stigId,
        groupId: r.groupId,
        status: r.status,
        findingDetails: r.findingDetails,
        comments: r.comments,
        statement: statementOf(r.comments),
        ...(r.severityOverride !== undefined ? { severityOverride: r.severityOverride } : {}),
        place: read.places[s]?.[i] ?? '',
      });
    });
  });
  return out;
}
