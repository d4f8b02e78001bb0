/**
 * Posture over time, per node and for the fleet. Each completed run stores, per node collected, its posture:
 * rule results by status, open failures by severity and exempted failures (accepted risk) by severity, kept apart
 * from open. A series cuts a time range into buckets; a bucket's posture is each node's latest posture at the end
 * of the bucket (carried forward from earlier runs), summed over the nodes for the fleet.
 *
 * Remediation is tracked per finding (target + rule): a finding opens when a target first fails a rule and closes
 * when it passes again (remediated), or when the target is gone or the rule no longer applies (closed without
 * remediation, never counted in the mean time to remediate). An `error` keeps a finding open: nothing shows it
 * was fixed.
 */
import type { Severity } from './results.js';

export type HistoryBucket = 'hour' | 'day' | 'week' | 'month';
export const HISTORY_BUCKETS: readonly HistoryBucket[] = ['hour', 'day', 'week', 'month'];

/** The most buckets a series may have: a longer range needs a coarser bucket. */
export const MAX_HISTORY_BUCKETS = 1000;

export type BySeverity = Record<Severity, number>;

/** Rule results of one node in one run (or summed over nodes). */
export interface PostureCounts {
  pass: number;
  fail: number;
  error: number;
  notApplicable: number;
  notChecked: number;
  /** Failures not covered by an approved exemption. */
  open: BySeverity;
  /** Failures recorded under an approved exemption: accepted risk, still failures, never counted as open. */
  exempted: BySeverity;
}

/** One node's posture after one run. */
export interface NodePosture {
  assessmentId: string;
  nodeId: string;
  benchmarkId: string;
  finishedAt: string;
  counts: PostureCounts;
}

/** What a series is of: a node (by id, name or endpoint) or the fleet, one benchmark or all, over a range. */
export interface PostureQuery {
  node?: string;
  benchmark?: string;
  /** ISO date-time (or date) the range starts at, inclusive. */
  from: string;
  /** ISO date-time (or date) the range ends at, exclusive; default now. */
  to?: string;
  bucket: HistoryBucket;
}

/** One bucket of a series. */
export interface PosturePoint {
  /** ISO date-times: [start, end). */
  start: string;
  end: string;
  /** Node × benchmark postures known at the end of the bucket (carried forward from earlier runs). */
  postures: number;
  /** Of those, how many were assessed within the bucket. */
  assessedInBucket: number;
  /** Sum of the latest postures; undefined when no node had been assessed yet. */
  counts?: PostureCounts;
  /** pass / (pass + fail + error): errors count as not passing. Undefined when nothing was decided. */
  passRate?: number;
  /** Findings remediated within the bucket and their mean time to remediate (seconds). */
  remediated: number;
  meanTimeToRemediateSeconds?: number;
  /** Findings opened within the bucket. */
  opened: number;
}

/** A series' range and totals: the posture at its end, and remediation over the whole range. */
export interface PostureSummary {
  from: string;
  to: string;
  bucket: HistoryBucket;
  bucketCount: number;
  nodeId?: string;
  benchmarkId?: string;
  /** The posture at the end of the range. */
  latest: Omit<PosturePoint, 'start' | 'end' | 'assessedInBucket' | 'remediated' | 'meanTimeToRemediateSeconds' | 'opened'>;
  remediated: number;
  meanTimeToRemediateSeconds?: number;
  opened: number;
  /** Findings open at the end of the range (their age is what remains to remediate). */
  stillOpen: number;
}

/** A series in full (at most MAX_HISTORY_BUCKETS points), for the CLI. */
export interface PostureSeries {
  summary: PostureSummary;
  points: PosturePoint[];
}

/** Zero of every severity. */
export function zeroBySeverity(): BySeverity {
  return { high: 0, medium: 0, low: 0, unknown: 0 };
}

/** Zero counts. */
export function zeroPosture(): PostureCounts {
  return { pass: 0, fail: 0, error: 0, notApplicable: 0, notChecked: 0, open: zeroBySeverity(), exempted: zeroBySeverity() };
}

/** Adds `b` into `a`. */
export function addPosture(a: PostureCounts, b: PostureCounts): void {
  a.pass += b.pass;
  a.fail += b.fail;
  a.error += b.error;
  a.notApplicable += b.notApplicable;
  a.notChecked += b.notChecked;
  for (const s of ['high', 'medium', 'low', 'unknown'] as const) {
    a.open[s] += b.open[s];
    a.exempted[s] += b.exempted[s];
  }
}

/** pass / (pass + fail + error), or undefined when no rule was decided or errored. */
export function passRateOf(c: PostureCounts): number | undefined {
  const decided = c.pass + c.fail + c.error;
  return decided === 0 ? undefined : c.pass / decided;
}

/** Total of a by-severity record. */
export function totalOf(s: BySeverity): number {
  return s.high + s.medium + s.low + s.unknown;
}
