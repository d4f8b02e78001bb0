/**
 * What carries a POA&M item from one assessment of a node to the next: the finding (rule and target) and when
 * it was first observed. The POA&M builder names an item by these, so the same open finding keeps its item and
 * its due date in every later assessment until it is closed.
 */
import type { AssessedTargetKind, TargetStatus } from './target-results.js';

/**
 * A finding of a node still open at its latest earlier assessment: rule (by STIG id, which survives a new
 * benchmark release; the XCCDF rule id changes with each revision), target and when it was first observed.
 */
export interface EarlierFinding {
  nodeId: string;
  stigId: string;
  kind: AssessedTargetKind;
  key: string;
  /** ISO 8601 instant of the first observation of the unbroken run of failures this finding belongs to. */
  firstObservedAt: string;
}

/** One earlier verdict on a finding's target, in the order of the assessments. */
export interface FindingHistoryEntry {
  nodeId: string;
  stigId: string;
  kind: AssessedTargetKind;
  key: string;
  status: TargetStatus;
  collectedAt: string;
}

// Verdicts that close a finding. `error` and `not-checked` decide nothing, so they neither close nor open one;
// a target absent from an assessment (a stopped container) is not evidence of a fix either.
const CLOSING: ReadonlySet<TargetStatus> = new Set<TargetStatus>(['pass', 'not-applicable', 'excluded']);

/**
 * The findings still open after a history of verdicts (oldest first), each with the first observation of its
 * latest unbroken run of failures: a finding that passed in between starts again at its next failure.
 */
export function openFindings(history: Iterable<FindingHistoryEntry>): EarlierFinding[] {
  const open = new Map<string, EarlierFinding>();
  for (const h of history) {
    const k = JSON.stringify([h.nodeId, h.stigId, h.kind, h.key]);
    if (CLOSING.has(h.status)) open.delete(k);
    else if (h.status === 'fail' && !open.has(k)) open.set(k, { nodeId: h.nodeId, stigId: h.stigId, kind: h.kind, key: h.key, firstObservedAt: h.collectedAt });
  }
  return [...open.values()];
}

/** The key of a finding across assessments: node, rule (STIG id) and the target's kind and stable key. */
export function findingKey(nodeId: string, stigId: string, kind: string, key: string): string {
  return JSON.stringify([nodeId, stigId, kind, key]);
}

/**
 * The earliest first observation per finding (`findingKey`): several earlier rows of one finding agree, or the
 * oldest wins. What POA&M items and remediation plan items are dated from.
 */
export function firstObservations(earlier: readonly EarlierFinding[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of earlier) {
    const k = findingKey(e.nodeId, e.stigId, e.kind, e.key);
    const known = out.get(k);
    if (known === undefined || Date.parse(e.firstObservedAt) < Date.parse(known)) out.set(k, e.firstObservedAt);
  }
  return out;
}
