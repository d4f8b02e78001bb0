/**
 * Splits a rule result into per-target results: one per distinct target of its observations, or one
 * node-level result when it has none. What each target's status means:
 *
 * - a failing observation of the target makes it `fail` (whatever the rule's overall status);
 * - otherwise, when the rule was decided (`pass` or `fail`), the target `pass`es: its observations all pass;
 * - otherwise the rule's own status applies (`error`, `not-applicable`, `not-checked`): a target is never
 *   reported as passing a rule that was not decided.
 *
 * A rule result without observations (a manual rule, a part that could not be collected, a node that could
 * not be reached, "no containers") maps to the node-level target with the rule's status and message.
 */
import type { Observation, RuleResult } from '../domain/results.js';
import type { AssessedTarget, TargetResult } from '../domain/target-results.js';
import { nodeLevelTarget, type TargetIndex } from './target-keys.js';

function targetStatus(rule: RuleResult, observations: readonly Observation[]): TargetResult['status'] {
  if (observations.some((o) => o.verdict === 'fail')) return 'fail';
  return rule.status === 'pass' || rule.status === 'fail' ? 'pass' : rule.status;
}

/** The observations' messages that decide the status: the failing ones for a failure, else all. */
function targetMessage(status: TargetResult['status'], observations: readonly Observation[], ruleMessage: string): string {
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
    return [{ ...base, target: nodeLevelTarget(node), status: rule.status, message: rule.message, observations: [] }];
  }
  const groups = new Map<string, { target: AssessedTarget; observations: Observation[] }>();
  for (const o of rule.observations) {
    const target: AssessedTarget = index?.resolve(o.target) ?? fallbackTarget(o, node);
    const id = `${target.kind}\u0000${target.key}`;
    const group = groups.get(id);
    if (group) group.observations.push(o);
    else groups.set(id, { target, observations: [o] });
  }
  return [...groups.values()].map(({ target, observations }) => {
    const status = targetStatus(rule, observations);
    const exemptedBy = exemptionOf(observations);
    return { ...base, target, status, message: targetMessage(status, observations, rule.message), observations, ...(exemptedBy !== undefined ? { exemptedBy } : {}) };
  });
}

/** Without facts, the observation's own reference: kind (the engine as `engine`) and id. */
function fallbackTarget(o: Observation, node: { id: string; name: string }): AssessedTarget {
  if (o.target.kind === 'daemon') return { kind: 'engine', key: 'engine', id: o.target.id, name: o.target.name };
  if (o.target.kind === 'node' && o.target.id === node.id) return nodeLevelTarget(node);
  if (o.target.kind === 'file') return { kind: 'file', key: o.target.id || o.target.name, id: o.target.id, name: o.target.name };
  const kind = o.target.kind === 'node' ? 'swarm-node' : o.target.kind;
  return { kind, key: `id/${o.target.id || o.target.name}`, id: o.target.id, name: o.target.name };
}
