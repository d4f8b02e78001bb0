/**
 * Failing per-target results for remediation tests, made the way an assessment makes them: the real checks
 * evaluate synthetic facts, and the results are split per target with the real stable keys.
 */
import { targetIndexOf } from '../../../src/assessment/target-keys.js';
import { targetResultsOf } from '../../../src/assessment/target-results.js';
import type { Check } from '../../../src/checks/check.js';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type { StoredTargetResult } from '../../../src/domain/target-results.js';
import { COLLECTED_AT, variant } from '../checks/facts-helpers.js';

/** A hardened container with some HostConfig fields replaced and labels set. */
export function container(name: string, hostConfig: Record<string, unknown>, labels: Record<string, string> = {}): ContainerFacts {
  const c = variant(name, hostConfig);
  const config = { ...(c.inspect.Config as ApiObject), Labels: labels };
  return { ...c, inspect: { ...c.inspect, Config: config } };
}

/** Every per-target result of `checks` on `facts`, as stored (ids from 1), in check order. */
export function targetResults(facts: NodeFacts, checks: readonly Check[], assessmentId = 'a-1'): StoredTargetResult[] {
  const index = targetIndexOf(facts);
  let id = 0;
  return checks.flatMap((check) => {
    const outcome = check.evaluate(facts);
    const rule: RuleResult = {
      nodeId: facts.nodeId,
      stigId: check.stigId,
      ruleId: `SV-${check.stigId.replace(/\D/g, '')}r1_rule`,
      groupId: `V-${check.stigId.replace(/\D/g, '')}`,
      checkContentHash: 'hash',
      title: check.title,
      severity: 'medium',
      status: outcome.status,
      message: outcome.message,
      observations: outcome.observations,
      controlIds: [],
      ccis: [],
      fixText: `Fix text of ${check.stigId}`,
    };
    return targetResultsOf(rule, { id: facts.nodeId, name: facts.nodeName }, index).map((t) => ({ ...t, id: ++id, assessmentId, collectedAt: COLLECTED_AT }));
  });
}

/** Only the failing ones. */
export function failingTargets(facts: NodeFacts, checks: readonly Check[]): StoredTargetResult[] {
  return targetResults(facts, checks).filter((t) => t.status === 'fail');
}
