/**
 * Splits a rule result into per-target results: one per distinct target of its observations, or one
 * node-level result when it has none. What each target's status means:
 *
 * - a target whose observations are all `excluded` (a platform container the rule's check text leaves out,
 *   wp-evidence) is `excluded`, whatever the rule's status: it was not judged, so it never passes;
 * - a failing observation of the target makes it `fail` (whatever the rule's overall status);
 * - otherwise, when the rule was decided (`pass` or `fail`), the target `pass`es: its observations all pass;
 * - otherwise the rule's own status applies (`error`, `not-applicable`, `not-checked`): a target is never
 *   reported as passing a rule that was not decided.
 *
 * A rule result without observations (a manual rule, a part that could not be collected, a node that could
 * not be reached, "no containers") maps to the node-level target with the rule's status and message. A rule
 * that is `error` with observations also gets that node-level row: the targets it could not decide have no
 * observation of their own, and the row keeps the rule's reason (which names them) beside its targets.
 */
import type { Observation, RuleResult } from '../domain/results.js';
import type { AssessedTarget, TargetResult, TargetStatus } from '../domain/target-results.js';
import type { NewTargetResult } from '../repositories/assessment/target-result-rows.js';
import type { NodeRun } from './report-input.js';
import { nodeLevelTarget, targetIndexOf, type TargetIndex } from './target-keys.js';

function targetStatus(rule: RuleResult, observations: readonly Observation[]): TargetStatus {
  if (observations.every((o) => o.verdict === 'excluded')) return 'excluded';
  if (observations.some((o) => o.verdict === 'fail')) return 'fail';
  return rule.status === 'pass' || rule.status === 'fail' ? 'pass' : rule.status;
}

/** The observations' messages that decide the status: the failing ones for a failure, else all. */
function targetMessage(status: TargetStatus, observations: readonly Observation[], ruleMessage: string): string {
  const deciding = status === 'fail' ? observations.filter((o) => o.verdict === 'fail') : observations;
  const text = deciding
    .map((o) => o.message.trim())
    .filter((m) => m !== '')
    .join(' ');
  return text !== '' ? text : ruleMessage;
}

/** The exemption covering every failing observation of the target, if one does. */
function exemptionOf(observations: readonly Observation[]): string | undefined {
  const failing = observations.filter((o) => o.verdict === 'fail');
  if (failing.length === 0 || failing.some((o) => o.exemptedBy === undefined)) return undefined;
  return failing[0]!.exemptedBy;
}

/**
 * The per-target results of one rule result, in first-observed order. `index` resolves stable keys from the
 * node's facts; without it (a node never collected) every target is keyed by its kind and id.
 */
export function targetResultsOf(rule: RuleResult, node: { id: string; name: string }, index: TargetIndex | undefined): TargetResult[] {
  const base = { nodeId: rule.nodeId, ruleId: rule.ruleId, stigId: rule.stigId, checkContentHash: rule.checkContentHash, severity: rule.severity };
  if (rule.observations.length === 0) {
    const attestedBy = rule.attestation?.reviewId;
    return [{ ...base, target: nodeLevelTarget(node), status: rule.status, message: rule.message, observations: [], ...(attestedBy !== undefined ? { attestedBy } : {}) }];
  }
  const groups = new Map<string, { target: AssessedTarget; observations: Observation[] }>();
  for (const o of rule.observations) {
    const target: AssessedTarget = index?.resolve(o.target) ?? fallbackTarget(o, node);
    const id = `${target.kind}\u0000${target.key}`;
    const group = groups.get(id);
    if (group) group.observations.push(o);
    else groups.set(id, { target, observations: [o] });
  }
  const rows: TargetResult[] = [...groups.values()].map(({ target, observations }) => {
    const status = targetStatus(rule, observations);
    const exemptedBy = exemptionOf(observations);
    return { ...base, target, status, message: targetMessage(status, observations, rule.message), observations, ...(exemptedBy !== undefined ? { exemptedBy } : {}) };
  });
  const nodeTarget = nodeLevelTarget(node);
  if (rule.status === 'error' && !groups.has(`${nodeTarget.kind}\u0000${nodeTarget.key}`)) {
    rows.push({ ...base, target: nodeTarget, status: 'error', message: rule.message, observations: [] });
  }
  return rows;
}

/** Without facts, the observation's own reference: kind and id. */
function fallbackTarget(o: Observation, node: { id: string; name: string }): AssessedTarget {
  if (o.target.kind === 'daemon') return { kind: 'daemon', key: 'daemon', id: o.target.id, name: o.target.name };
  if (o.target.kind === 'node' && o.target.id === node.id) return nodeLevelTarget(node);
  if (o.target.kind === 'file') return { kind: 'file', key: o.target.id || o.target.name, id: o.target.id, name: o.target.name };
  const kind = o.target.kind === 'node' ? 'swarm-node' : o.target.kind;
  return { kind, key: `id/${o.target.id || o.target.name}`, id: o.target.id, name: o.target.name };
}

/** The per-target results of a run, each with its node's collection time. */
export function splitPerTarget(runs: readonly NodeRun[], results: readonly RuleResult[]): NewTargetResult[] {
  const byNode = new Map(runs.map((r) => [r.node.id, { run: r, index: r.snapshot !== undefined ? targetIndexOf(r.snapshot.facts) : undefined }]));
  return results.flatMap((r) => {
    const entry = byNode.get(r.nodeId);
    const collectedAt = entry?.run.snapshot?.collectedAt ?? r.observations[0]?.collectedAt ?? '';
    const node = entry !== undefined ? { id: entry.run.node.id, name: entry.run.node.name } : { id: r.nodeId, name: r.nodeId };
    return targetResultsOf(r, node, entry?.index).map((t) => ({ ...t, collectedAt }));
  });
}
