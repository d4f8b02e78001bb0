/**
 * Drift: what changed on a node between two assessments. A completed run is compared with the node's previous
 * run and with its **reference run** (an assessment a user pinned for the node and benchmark; not a "baseline",
 * which names a resolved OSCAL profile). Targets are matched by node, kind and stable key (never by the id they
 * had in a run, which a redeploy changes) and rules by STIG id (which survives a new release).
 *
 * A change is one of:
 * - a rule transition on a target: a regression (now failing), a remediation (failing → passing), an error
 *   appearing or clearing, another status change, or a change of the exemption a failure is recorded under;
 * - a target appearing or disappearing (a container, image, service… present in one run only);
 * - an evidence change: a field of a target's stored facts with its old and new value (environment values are
 *   stored as salted hashes: a changed hash says "value changed" and no value is ever shown);
 * - a rule present in one run only (another release or profile);
 * - a node that could not be compared (in one run only, or not collected in one);
 * - an exemption (later: a review) expiring soon or expired since the earlier run;
 * - a newer release of the benchmark in the library, with the rules it changes.
 */
import type { Severity } from './results.js';
import type { AssessedTargetKind, TargetStatus } from './target-results.js';

/** A per-target result as drift reads it (no observations: those are read for the changed ones only). */
export interface TargetState {
  id: number;
  kind: AssessedTargetKind;
  key: string;
  name: string;
  stigId: string;
  ruleId: string;
  severity: Severity;
  status: TargetStatus;
  message: string;
  exemptedBy?: string;
}

/** A per-target verdict as findings history reads it: no row id, rule id, message or exemption. */
export type EpisodeState = Pick<TargetState, 'kind' | 'key' | 'name' | 'stigId' | 'severity' | 'status'>;

/** What a stored report compares a run with. */
export type DriftComparisonKind = 'previous' | 'reference';
export const DRIFT_COMPARISON_KINDS: readonly DriftComparisonKind[] = ['previous', 'reference'];

/** A target's status on one side, or `absent` when that side has no result for the target and rule. */
export type DriftStatus = TargetStatus | 'absent';

export const DRIFT_CHANGE_KINDS = [
  'regression',
  'remediation',
  'error-appeared',
  'error-cleared',
  'status-changed',
  'exemption-changed',
  'target-appeared',
  'target-disappeared',
  'evidence-changed',
  'rule-added',
  'rule-removed',
  'node-not-compared',
  'expiring',
  'expired',
  'newer-release',
] as const;
export type DriftChangeKind = (typeof DRIFT_CHANGE_KINDS)[number];

/** The kinds of rule transitions on a target. */
export type TransitionKind = 'regression' | 'remediation' | 'error-appeared' | 'error-cleared' | 'status-changed' | 'exemption-changed';

/** A target as drift names it: what it is, its stable key, and what people call it (in the newer run when both have it). */
export interface DriftTarget {
  kind: AssessedTargetKind;
  key: string;
  name: string;
}

/**
 * A field and its value on both sides. An absent side has no value (`undefined`); `redacted` values (environment
 * values) are never given, only the fact that they changed.
 */
export interface DriftField {
  field: string;
  old?: unknown;
  new?: unknown;
  redacted?: boolean;
}

interface OnNode {
  nodeId: string;
  nodeName: string;
}

/** A rule's verdict on a target changed. `fields` are the observations that decided it, with both values. */
export interface TransitionChange extends OnNode {
  kind: TransitionKind;
  stigId: string;
  ruleId: string;
  severity: Severity;
  target: DriftTarget;
  from: DriftStatus;
  to: DriftStatus;
  /** Exemption ids a failure was recorded under on each side (exemption-changed). */
  fromExemption?: string;
  toExemption?: string;
  fields: DriftField[];
  /** The newer side's reason (the older side's when the newer has none). */
  reason: string;
}

/** A target present in one run only. */
export interface TargetPresenceChange extends OnNode {
  kind: 'target-appeared' | 'target-disappeared';
  target: DriftTarget;
  /** How many rules had a verdict on it in the run it is in. */
  ruleCount: number;
  /** The rules it failed there. */
  failing: { stigId: string; severity: Severity }[];
}

/** A field of a target's stored facts changed. `stigIds`: the rules whose observations read that field. */
export interface EvidenceChange extends OnNode {
  kind: 'evidence-changed';
  target: DriftTarget;
  change: DriftField;
  stigIds: string[];
}

/** A rule with results in one run only (another release or profile). */
export interface RulePresenceChange extends OnNode {
  kind: 'rule-added' | 'rule-removed';
  stigId: string;
  ruleId: string;
  severity: Severity;
  /** Targets failing the rule in the run it is in. */
  failingTargets: number;
}

/** A node that could not be compared: in one run only, or not collected in one of them. */
export interface NodeNotComparedChange extends OnNode {
  kind: 'node-not-compared';
  reason: string;
}

/** An exemption (or review) whose expiry is near, or passed since the earlier run. */
export interface ExpiryChange extends OnNode {
  kind: 'expiring' | 'expired';
  subject: 'exemption' | 'review';
  subjectId: string;
  subjectName: string;
  /** The STIG id it covers, or `*`. */
  stigId: string;
  expiresAt: string;
}

/** A newer release of the assessed benchmark is in the library: the rules it adds, removes and changes. */
export interface NewerReleaseChange extends OnNode {
  kind: 'newer-release';
  benchmarkId: string;
  /** The assessed release and the newer one, as `V2R1`. */
  assessedRelease: string;
  newerRelease: string;
  newerDocumentId: string;
  added: string[];
  removed: string[];
  changed: string[];
}

export type DriftChange = TransitionChange | TargetPresenceChange | EvidenceChange | RulePresenceChange | NodeNotComparedChange | ExpiryChange | NewerReleaseChange;

/** How many changes of each kind; `maxSeverity` is the highest severity among regressions. */
export interface DriftCounts {
  regressions: number;
  remediations: number;
  errorsAppeared: number;
  errorsCleared: number;
  statusChanges: number;
  exemptionChanges: number;
  appeared: number;
  disappeared: number;
  evidenceChanges: number;
  rulesAdded: number;
  rulesRemoved: number;
  nodesNotCompared: number;
  expiring: number;
  expired: number;
  newerReleases: number;
}

const COUNT_OF: Record<DriftChangeKind, keyof DriftCounts> = {
  regression: 'regressions',
  remediation: 'remediations',
  'error-appeared': 'errorsAppeared',
  'error-cleared': 'errorsCleared',
  'status-changed': 'statusChanges',
  'exemption-changed': 'exemptionChanges',
  'target-appeared': 'appeared',
  'target-disappeared': 'disappeared',
  'evidence-changed': 'evidenceChanges',
  'rule-added': 'rulesAdded',
  'rule-removed': 'rulesRemoved',
  'node-not-compared': 'nodesNotCompared',
  expiring: 'expiring',
  expired: 'expired',
  'newer-release': 'newerReleases',
};

/** Zero of every count. */
export function emptyCounts(): DriftCounts {
  return {
    regressions: 0, remediations: 0, errorsAppeared: 0, errorsCleared: 0, statusChanges: 0, exemptionChanges: 0, appeared: 0, disappeared: 0,
    evidenceChanges: 0, rulesAdded: 0, rulesRemoved: 0, nodesNotCompared: 0, expiring: 0, expired: 0, newerReleases: 0,
  };
}

const SEVERITY_RANK: Record<Severity, number> = { unknown: 0, low: 1, medium: 2, high: 3 };

/** The counts of a list of changes and the highest severity among its regressions. */
export function countChanges(changes: readonly DriftChange[]): { counts: DriftCounts; maxSeverity?: Severity } {
  const counts = emptyCounts();
  let maxSeverity: Severity | undefined;
  for (const c of changes) {
    counts[COUNT_OF[c.kind]] += 1;
    if (c.kind === 'regression' && (maxSeverity === undefined || SEVERITY_RANK[c.severity] > SEVERITY_RANK[maxSeverity])) maxSeverity = c.severity;
  }
  return { counts, ...(maxSeverity !== undefined ? { maxSeverity } : {}) };
}

/** True when nothing changed. */
export function isEmptyCounts(c: DriftCounts): boolean {
  return Object.values(c).every((n) => n === 0);
}

/** The state of a stored comparison of one node of a run. */
export type DriftReportState = 'compared' | 'first-run' | 'not-collected' | 'failed';
export const DRIFT_REPORT_STATES: readonly DriftReportState[] = ['compared', 'first-run', 'not-collected', 'failed'];

/** One node of a completed run compared with its previous run or its reference run, as stored with the run. */
export interface DriftReport {
  id: string;
  assessmentId: string;
  nodeId: string;
  nodeName: string;
  benchmarkId: string;
  comparison: DriftComparisonKind;
  /** The run compared with (absent for a first run or a node not collected). */
  comparedAssessmentId?: string;
  state: DriftReportState;
  /** Why a node was not compared, or what failed. */
  message?: string;
  counts: DriftCounts;
  maxSeverity?: Severity;
  computedAt: string;
}

/** One side of an ad-hoc comparison. */
export interface ComparedRun {
  assessmentId: string;
  benchmarkId: string;
  benchmarkDocumentId: string;
  /** `V2R2`-style label of the release. */
  release: string;
  startedAt: string;
  finishedAt?: string;
  /** How the caller named it: an assessment id, or an assessment-results document known to the database. */
  source: 'assessment-id' | 'results-document';
}

/** Two assessments compared: every node of either, matched by node id. */
export interface AssessmentComparison {
  old: ComparedRun;
  new: ComparedRun;
  counts: DriftCounts;
  maxSeverity?: Severity;
  changes: DriftChange[];
}

/** How the caller names an assessment to compare: its id, or an assessment-results document it holds. */
export type AssessmentRef = { kind: 'assessment-id'; id: string } | { kind: 'results-document'; name: string; bytes: Uint8Array };

/** The assessment a user pinned for a node and benchmark, which every later run of it is compared with. */
export interface ReferenceRun {
  nodeId: string;
  nodeName: string;
  benchmarkId: string;
  assessmentId: string;
  /** When the pinned run started. */
  assessmentStartedAt: string;
  pinnedBy: string;
  pinnedByUserId?: string;
  pinnedAt: string;
  note?: string;
}

/** A stored change: the change and its row id (its order in the report, and the page cursor). */
export type StoredDriftChange = DriftChange & { id: number; reportId: string };

/** Which stored reports of a run to list. */
export interface DriftReportFilter {
  nodeId?: string;
  comparison?: DriftComparisonKind;
}

/** A report with its changes, as stored with a run. */
export interface ReportWithChanges {
  report: DriftReport;
  changes: DriftChange[];
}

/** Which changes to list; every field given narrows. */
export interface DriftChangeFilter {
  kinds?: readonly DriftChangeKind[];
  nodeId?: string;
  stigId?: string;
  severity?: Severity;
}

/** True when the change passes the filter. */
export function matchesDriftFilter(c: DriftChange, f: DriftChangeFilter): boolean {
  if (f.kinds !== undefined && f.kinds.length > 0 && !f.kinds.includes(c.kind)) return false;
  if (f.nodeId !== undefined && c.nodeId !== f.nodeId) return false;
  if (f.stigId !== undefined) {
    const ids = c.kind === 'evidence-changed' ? c.stigIds : 'stigId' in c ? [c.stigId] : [];
    if (!ids.includes(f.stigId)) return false;
  }
  if (f.severity !== undefined && !('severity' in c && c.severity === f.severity)) return false;
  return true;
}
