/**
 * Per-target results: one verdict per (assessment, node, rule, target) with the evidence about that target,
 * beside the per-rule summary (RuleResult). A target is named twice: by its id in this run (the container id
 * of that run) and by a stable key that survives a redeploy, so that drift and carried-over findings match
 * the same container, image or file across assessments.
 *
 * Stable keys (unique per node and kind):
 * - node: `node` — the node as a whole: the target of a rule whose result has no per-target observations
 *   (manual rules, parts that could not be collected, a node that could not be reached, "no containers").
 * - daemon: `daemon` — the node's Docker daemon (the same word observations use for it).
 * - container: `compose/<project>/<service>/<number>` for compose containers (their labels),
 *   `swarm/<service>/<slot>` for swarm tasks (the service name and task slot; the node id for global services),
 *   else `name/<container name>`.
 * - image: `tag/<repository:tag>`, else `digest/<repository@sha256:…>`, else `id/<image id>`.
 * - swarm: `swarm` (the cluster the node belongs to); swarm-node: `hostname/<hostname>`;
 *   service, network, secret: `name/<name>`; file: the path.
 */
import type { Observation, RuleStatus, Severity } from './results.js';

/**
 * A rule's verdict on one target: a rule status, or `excluded` for a target the rule's STIG check text leaves
 * out (a platform container matched by the node's pattern: every observation of it is `excluded`). An excluded
 * target is its own row so nothing is dropped silently, and it never counts as passing.
 */
export type TargetStatus = RuleStatus | 'excluded';

export const TARGET_STATUSES: readonly TargetStatus[] = ['pass', 'fail', 'not-applicable', 'not-checked', 'error', 'excluded'];

export const ASSESSED_TARGET_KINDS = ['node', 'daemon', 'container', 'image', 'swarm', 'swarm-node', 'service', 'network', 'secret', 'file'] as const;

/** What a per-target result is about. */
export type AssessedTargetKind = (typeof ASSESSED_TARGET_KINDS)[number];

/** The key of the node-level target. */
export const NODE_TARGET_KEY = 'node';

export interface AssessedTarget {
  kind: AssessedTargetKind;
  /** Stable across runs and redeploys; unique per node and kind (see the module comment). */
  key: string;
  /** The target's id in this run: container or image id, swarm object id, path, node id. */
  id: string;
  /** What people call it: container name, image tag, path. */
  name: string;
  /** A container's image, as it was created from. */
  image?: string;
}

/** One rule's verdict on one target of one node, with the observations about that target. */
export interface TargetResult {
  nodeId: string;
  ruleId: string;
  stigId: string;
  checkContentHash: string;
  severity: Severity;
  target: AssessedTarget;
  /**
   * `excluded` when every observation of the target is `excluded` (the check text leaves it out); else `fail`
   * when an observation of the target fails; `pass` when the rule passed or failed and every other observation
   * of the target passes; otherwise the rule's status (`error`, `not-applicable`, `not-checked`): a target is
   * never reported as passing a rule that was not decided, nor one it was left out of.
   */
  status: TargetStatus;
  message: string;
  observations: Observation[];
  /** The approved exemption covering every failing observation of this target; the status stays `fail`. */
  exemptedBy?: string;
  /** On the node-level row of a rule answered by a manual review: the accepted review (the status is its result). */
  attestedBy?: string;
}

/** A stored per-target result: its row id orders the results of an assessment (and is the page cursor). */
export interface StoredTargetResult extends TargetResult {
  id: number;
  assessmentId: string;
  /** When the node's facts were collected (the assessment's start for nodes never collected). */
  collectedAt: string;
}

/** Filters of an assessment's per-target results. */
export interface TargetResultFilter {
  nodeId?: string;
  status?: TargetStatus;
  kind?: AssessedTargetKind;
  /** STIG id or XCCDF rule id. */
  rule?: string;
  /** A stable key (with `kind`, one target). */
  key?: string;
}

/** The same target across assessments (for drift): node, kind and stable key; optionally one rule. */
export interface TargetLocator {
  nodeId: string;
  kind: AssessedTargetKind;
  key: string;
  /** STIG id or XCCDF rule id. */
  rule?: string;
}

/** One target across assessments, as callers name it: the node by id, name or endpoint. */
export interface TargetQuery {
  node: string;
  kind: AssessedTargetKind;
  key: string;
  /** STIG id or XCCDF rule id. */
  rule?: string;
}

/** True for a known target kind. */
export function isAssessedTargetKind(value: string): value is AssessedTargetKind {
  return (ASSESSED_TARGET_KINDS as readonly string[]).includes(value);
}
