/**
 * A check decides one STIG rule for one node from its collected facts. Checks are pure: no I/O, no
 * clock; everything they know comes from NodeFacts, and every verdict carries observations that name
 * the target, the field path and the observed value.
 */
import type { NodeFacts } from '../domain/facts.js';
import type { CheckOutcome, TargetKind } from '../domain/results.js';

/**
 * True for a Docker STIG id (`DKER-EE-001960`). The other checks decide rules of Plimsoll's own benchmark
 * (`PLM-SEC-001`), whose rule text is concrete: the automation records, remediation table and coverage document
 * generated from the Docker STIG cover the Docker STIG's checks only.
 */
export function isDockerStigId(stigId: string): boolean {
  return /^DKER-EE-\d{6}$/.test(stigId);
}

export interface Check {
  /** The rule's STIG id (its XCCDF `<version>`), e.g. `DKER-EE-001960`. */
  stigId: string;
  title: string;
  /** The kinds of target the check's observations are about. */
  targetKinds: TargetKind[];
  /** The facts parts read, when not implied by the target kinds (the coverage document names them). */
  facts?: string[];
  /** When the check answers `not-checked` (manual review) instead of deciding, for the coverage document. */
  manualWhen?: string;
  /** The platform container pattern the rule's check text filters with, when it leaves platform containers out. */
  platformFilter?: string;
  evaluate(facts: NodeFacts): CheckOutcome;
}
