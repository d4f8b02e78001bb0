import type { Severity } from './results.js';

/**
 * How long an open finding may stay open before its remediation is due, by severity (DISA categories:
 * CAT I = high, CAT II = medium, CAT III = low). One policy for the POA&M's milestones, the remediation PDF
 * and anything else that dates a finding, so the documents an authorizing official compares never disagree.
 */
export interface MilestonePolicy {
  /** Days from the finding's first observation to its due date, per severity. */
  dueDays: Record<Severity, number>;
}

/** The default: CAT I 30 days, CAT II 90, CAT III 180; an unknown severity is treated as CAT II. */
export const DEFAULT_MILESTONE_POLICY: MilestonePolicy = {
  dueDays: { high: 30, medium: 90, low: 180, unknown: 90 },
};

const DAY_MS = 86_400_000;

/**
 * The date a finding's remediation is due: its first observation plus the policy's days for its severity.
 * Carried-over findings keep the date of their first observation, so re-assessing never postpones a deadline.
 */
export function dueDate(severity: Severity, firstObservedAt: Date, policy: MilestonePolicy = DEFAULT_MILESTONE_POLICY): Date {
  return new Date(firstObservedAt.getTime() + policy.dueDays[severity] * DAY_MS);
}
