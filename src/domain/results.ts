import type { ExemptionKind } from './exemption.js';
import type { RuleAttestation, RuleReviewNote } from './review.js';

/**
 * Rule results and their evidence. A result never forgets where it came from:
 * rule result → observations → fact (target, field path, value, collected-at) → node.
 */

export type RuleStatus = 'pass' | 'fail' | 'not-applicable' | 'not-checked' | 'error';
export type Severity = 'high' | 'medium' | 'low' | 'unknown';

export type TargetKind = 'container' | 'image' | 'service' | 'secret' | 'file' | 'daemon' | 'swarm' | 'node';

export interface TargetRef {
  kind: TargetKind;
  id: string;
  name: string;
}

/** One piece of evidence: the value observed at a field of a target, and what was expected. */
export interface Observation {
  target: TargetRef;
  /** Path of the field in the collected API object, e.g. `HostConfig.Privileged`. */
  field: string;
  /** The observed value, as JSON. `undefined` never appears: missing fields are `null`. */
  value: unknown;
  expected: string;
  /**
   * `excluded`: the target was left out of the rule as its STIG check text leaves it out (a platform container
   * matched by the node's pattern); recorded so that nothing is dropped silently. It never passes or fails.
   */
  verdict: 'pass' | 'fail' | 'excluded';
  message: string;
  collectedAt: string;
  /** Id of the approved exemption covering this failing observation; the verdict stays `fail`. */
  exemptedBy?: string;
}

/**
 * What a check decides for one node. `not-checked` is for a check that can't apply where it is not configured
 * (e.g. no trust server for the node's environment): manual review, with the reason as message.
 */
export interface CheckOutcome {
  status: RuleStatus;
  /** Why, in one sentence (e.g. "2 of 7 containers run privileged"). */
  message: string;
  observations: Observation[];
}

/** One rule's result on one node within an assessment. */
export interface RuleResult {
  /** The stored benchmark the rule belongs to (an assessment may assess several); absent on results of older runs. */
  benchmarkDocumentId?: string;
  nodeId: string;
  stigId: string;
  ruleId: string;
  groupId: string;
  checkContentHash: string;
  title: string;
  severity: Severity;
  status: RuleStatus;
  message: string;
  observations: Observation[];
  /** The 800-53 control statement ids mapped from the rule's CCIs (e.g. `cm-6_smt.b`). */
  controlIds: string[];
  ccis: string[];
  /** The remediation: the STIG fix text. */
  fixText: string;
  /**
   * On a failed rule with a concrete remediation: the STIG fix text, then the concrete command or
   * daemon.json change (`Concrete remediation: …`). `fixText` stays the benchmark's text as-is.
   */
  remediation?: string;
  /**
   * On an automated rule: the check text its automation was written against. `stale` when the benchmark's
   * check text (its hash) differs, so the verdict may no longer follow the rule as written.
   */
  automation?: RuleAutomation;
  /**
   * Set when approved, unexpired exemptions cover every failing observation: the status stays `fail`
   * (the finding is recorded as a deviation, never hidden). With several, the one expiring first.
   */
  exemption?: RuleExemption;
  /** Approved exemptions that would have matched a failing observation but had expired; they never apply. */
  expiredExemptions?: { id: string; name: string; expiresAt: string }[];
  /**
   * Set on a rule no check decided (`not-checked`) that an accepted, unexpired manual review answers: the status
   * is the review's result, attested by who submitted and who accepted it (src/assessment/apply-reviews.ts).
   */
  attestation?: RuleAttestation;
  /** Reviews that matched but did not answer: expired ones, and ones for a rule a check decided (ignored). */
  reviewNotes?: RuleReviewNote[];
}

/** The exemption a failed rule result is recorded under. */
export interface RuleExemption {
  id: string;
  name: string;
  /** Absent on results stored before kinds existed: those were risk acceptances. */
  kind?: ExemptionKind;
  justification: string;
  approvedBy: string;
  approvedAt: string;
  expiresAt: string;
}

/** What a rule's automation was written against, and whether the rule's check text has changed since. */
export interface RuleAutomation {
  stale: boolean;
  /** The release and check-content hash the check was written against, e.g. `V2R2 (hash 85ec4b3fa4b7…)`. */
  automatedAgainst: string;
  /** Set when stale: why the verdict may be out of date. */
  message?: string;
}
