/**
 * Container rules that need more than each container's inspection: a node-level condition first (is
 * AppArmor on? was the engine part collected?), then the per-container judgement of container-rule.ts.
 * The gate either stops the rule with a ready outcome (not applicable with its evidence, or an error for a
 * missing part) or hands the judge what it needs; the per-container aggregation stays the shared one.
 */
import type { NodeFacts } from '../../domain/facts.js';
import type { CheckOutcome, Observation, TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';
import { STIG_PLATFORM_PATTERN, containerCheck, type ContainerRuleSpec } from '../container-rule.js';

/** What a gate decides: stop with an outcome, or go on with a context for the judge and node-level evidence. */
export type GateResult<T> = { outcome: CheckOutcome } | { context: T; evidence?: Observation[] };

export interface GatedContainerRuleSpec<T> extends Omit<ContainerRuleSpec, 'judge'> {
  gate(facts: NodeFacts): GateResult<T>;
  judge(context: T): ContainerRuleSpec['judge'];
}

/** Builds a Check whose per-container judgement runs only when its gate lets it, with the gate's context. */
export function gatedContainerCheck<T>(spec: GatedContainerRuleSpec<T>): Check {
  return {
    stigId: spec.stigId,
    title: spec.title,
    targetKinds: ['container'],
    ...(spec.excludesPlatformContainers ? { platformFilter: spec.stigPlatformPattern ?? STIG_PLATFORM_PATTERN } : {}),
    evaluate: (facts) => {
      const gate = spec.gate(facts);
      if ('outcome' in gate) return gate.outcome;
      const outcome = containerCheck({ ...spec, judge: spec.judge(gate.context) }).evaluate(facts);
      return { ...outcome, observations: [...(gate.evidence ?? []), ...outcome.observations] };
    },
  };
}

/** The node's Docker daemon as an observation target (node-level evidence of a container rule). */
export function daemonTargetOf(facts: NodeFacts): TargetRef {
  return { kind: 'daemon', id: facts.nodeId, name: facts.nodeName };
}

/**
 * A rule whose check text applies on Linux hosts only: not applicable, with the evidence, when the engine
 * reports another OS type (`info.OSType`, e.g. "windows"); decided on Linux. The engine always reports
 * OSType: without it, whether the rule applies is unknown (error).
 */
export function linuxOnly(check: Check): Check {
  return {
    ...check,
    evaluate: (facts) => {
      const os = facts.info.OSType;
      if (typeof os !== 'string' || os === '') {
        return { status: 'error', message: `Cannot decide: GET /info of ${facts.nodeName} has OSType ${JSON.stringify(os ?? null)}, so whether this Linux rule applies is unknown.`, observations: [] };
      }
      if (os.toLowerCase() === 'linux') return check.evaluate(facts);
      const message = `The engine of ${facts.nodeName} runs on ${os} (info.OSType); the rule applies on Linux hosts only.`;
      const evidence: Observation = { target: daemonTargetOf(facts), field: 'info.OSType', value: os, expected: 'info.OSType "linux"', verdict: 'pass', message, collectedAt: facts.collectedAt };
      return { status: 'not-applicable', message, observations: [evidence] };
    },
  };
}
