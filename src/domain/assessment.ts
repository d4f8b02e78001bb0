import type { AssetFacts } from './asset.js';
import type { RuleResult, RuleStatus } from './results.js';

/** Lifecycle of an assessment run, stored so that a killed process leaves `interrupted`, never silence. */
export type AssessmentStatus = 'running' | 'completed' | 'failed' | 'interrupted';

export type StatusCounts = Record<RuleStatus, number>;

export interface AssessmentSummary {
  counts: StatusCounts;
  /** Failed rules by severity. */
  failedBySeverity: { high: number; medium: number; low: number; unknown: number };
  /**
   * Failed rules recorded under an approved exemption (every failing observation covered), also counted
   * in `counts.fail` and `failedBySeverity`; absent when there are none.
   */
  exempted?: { count: number; bySeverity: { high: number; medium: number; low: number; unknown: number } };
}

/** Why a node of an assessment could not be collected. */
export type NodeFailureReason = 'unreachable' | 'tls' | 'not-allowed' | 'engine-error' | 'internal' | 'unknown';
export const NODE_FAILURE_REASONS: readonly NodeFailureReason[] = ['unreachable', 'tls', 'not-allowed', 'engine-error', 'internal', 'unknown'];

/**
 * How one node of an assessment went. A failed node does not fail the run: its rules are `error` with the
 * reason; `interrupted` when the process running the assessment died before the node was collected.
 */
export type NodeRunStatus =
  | { state: 'pending' }
  | { state: 'collected'; collectedAt: string; factsSha256: string }
  | { state: 'failed'; reason: NodeFailureReason; message: string }
  | { state: 'interrupted'; message: string };

/** A node of an assessment: as it was named at the run, its status, and its asset facts then. */
export interface AssessedNode {
  nodeId: string;
  name: string;
  endpoint: string;
  status: NodeRunStatus;
  asset?: AssetFacts;
}

/** One benchmark an assessment assessed, with the profile that selected its rules (all rules without one). */
export interface AssessedBenchmark {
  documentId: string;
  benchmarkId: string;
  title: string;
  version: string;
  release?: string;
  profileId?: string;
}

export interface Assessment {
  id: string;
  status: AssessmentStatus;
  /** The first (or only) benchmark of the run; `benchmarks` lists them all. */
  benchmarkDocumentId: string;
  benchmarkId: string;
  benchmarkTitle: string;
  benchmarkVersion: string;
  benchmarkRelease?: string;
  profileId?: string;
  nodeIds: string[];
  /** The nodes with their per-node status, in request order. */
  nodes: AssessedNode[];
  startedAt: string;
  finishedAt?: string;
  startedBy: string;
  error?: string;
  summary?: AssessmentSummary;
  /** Every benchmark of the run in request order, the first being `benchmarkDocumentId` (one run may assess several). */
  benchmarks?: AssessedBenchmark[];
}

/** The benchmarks of an assessment: its list, or for an object built without one, its single benchmark. */
export function assessedBenchmarks(a: Assessment): AssessedBenchmark[] {
  if (a.benchmarks !== undefined && a.benchmarks.length > 0) return a.benchmarks;
  return [
    {
      documentId: a.benchmarkDocumentId,
      benchmarkId: a.benchmarkId,
      title: a.benchmarkTitle,
      version: a.benchmarkVersion,
      ...(a.benchmarkRelease !== undefined ? { release: a.benchmarkRelease } : {}),
      ...(a.profileId !== undefined ? { profileId: a.profileId } : {}),
    },
  ];
}

/** The results of one benchmark of an assessment (results of older runs, which name none, belong to its first). */
export function resultsOfBenchmark<R extends Pick<RuleResult, 'benchmarkDocumentId'>>(a: Pick<Assessment, 'benchmarkDocumentId'>, results: readonly R[], documentId: string): R[] {
  return results.filter((r) => (r.benchmarkDocumentId ?? a.benchmarkDocumentId) === documentId);
}

export interface AssessmentWithResults extends Assessment {
  results: RuleResult[];
}

/** Counts results per status, failures per severity and exempted failures. */
export function summarize(results: readonly RuleResult[]): AssessmentSummary {
  const counts: StatusCounts = { pass: 0, fail: 0, 'not-applicable': 0, 'not-checked': 0, error: 0 };
  const failedBySeverity = { high: 0, medium: 0, low: 0, unknown: 0 };
  const exempted = { count: 0, bySeverity: { high: 0, medium: 0, low: 0, unknown: 0 } };
  for (const r of results) {
    counts[r.status] += 1;
    if (r.status === 'fail') failedBySeverity[r.severity] += 1;
    if (r.status === 'fail' && r.exemption !== undefined) {
      exempted.count += 1;
      exempted.bySeverity[r.severity] += 1;
    }
  }
  return { counts, failedBySeverity, ...(exempted.count > 0 ? { exempted } : {}) };
}
