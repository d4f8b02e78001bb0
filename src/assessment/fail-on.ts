/**
 * The CI gate of `plimsoll assess --fail-on SEVERITY`: does a run leave failed rules open at or above a
 * severity? Pure. What it decides:
 *
 * - Only `fail` results count: `error` and `not-checked` are undecided, not findings (the summary shows them).
 * - A failed result recorded under an approved exemption (`exemption` set: every failing observation is
 *   covered) is an approved deviation, not open; a partly covered one stays open.
 * - A failure of `unknown` severity counts at every threshold: nothing shows it is below the gate.
 * - One line per open failure, highest severity first, then STIG id and node, so the output is stable.
 */
import type { RuleResult, Severity } from '../domain/results.js';

export const FAIL_ON_SEVERITIES = ['high', 'medium', 'low'] as const;
export type FailOnSeverity = (typeof FAIL_ON_SEVERITIES)[number];

const RANK: Readonly<Record<Severity, number>> = { unknown: 3, high: 3, medium: 2, low: 1 };
const ORDER: Readonly<Record<Severity, number>> = { high: 0, unknown: 1, medium: 2, low: 3 };

/** Whether `value` names a --fail-on threshold. */
export function isFailOnSeverity(value: string): value is FailOnSeverity {
  return (FAIL_ON_SEVERITIES as readonly string[]).includes(value);
}

/** A failed rule the gate counts. */
export interface OpenFailure {
  stigId: string;
  nodeId: string;
  severity: Severity;
  title: string;
}

export interface FailOnDecision {
  threshold: FailOnSeverity;
  /** True when at least one open failure is at or above the threshold. */
  failed: boolean;
  open: OpenFailure[];
  /** Failed rules at or above the threshold left out because an approved exemption covers them. */
  exempted: number;
}

/** Whether a result of this severity is at or above the threshold. */
export function atOrAbove(severity: Severity, threshold: FailOnSeverity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** The gate's decision on a run's results. */
export function decideFailOn(results: readonly Pick<RuleResult, 'stigId' | 'nodeId' | 'severity' | 'status' | 'title' | 'exemption'>[], threshold: FailOnSeverity): FailOnDecision {
  const gated = results.filter((r) => r.status === 'fail' && atOrAbove(r.severity, threshold));
  const open = gated
    .filter((r) => r.exemption === undefined)
    .map((r) => ({ stigId: r.stigId, nodeId: r.nodeId, severity: r.severity, title: r.title }))
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.stigId.localeCompare(b.stigId) || a.nodeId.localeCompare(b.nodeId));
  return { threshold, failed: open.length > 0, open, exempted: gated.length - open.length };
}
