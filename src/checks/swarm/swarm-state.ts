/**
 * What the swarm rules share: the node's place in a swarm, read from the swarm part, and the targets of
 * their observations. A node outside any swarm makes every swarm rule not applicable, with the state as
 * evidence; a swarm that is still joining or in error can't be judged (error, never pass). Each rule then
 * says what it decides on an active manager, an active worker and a locked manager.
 */
import type { ApiObject, NodeFacts, SwarmFacts } from '../../domain/facts.js';
import type { TargetRef } from '../../domain/results.js';
import { labelField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { daemonTarget, show, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';

/** The node's role in its swarm, or the decision every swarm rule makes without one. */
export type SwarmRole =
  | { role: 'manager'; data: SwarmFacts; swarm: ApiObject }
  | { role: 'worker'; data: SwarmFacts }
  /** A manager whose swarm was auto-locked and not unlocked since the engine started. */
  | { role: 'locked'; data: SwarmFacts }
  | { decision: EngineDecision };

/** The evidence of the node's swarm state (`info.Swarm.LocalNodeState`), about the node's engine. */
export function stateJudgement(facts: NodeFacts, data: SwarmFacts, verdict: 'pass' | 'fail', message: string): EngineJudgement {
  return { target: daemonTarget(facts), field: 'info.Swarm.LocalNodeState', value: data.localNodeState, verdict, message };
}

/** The evidence that the node is a worker (`info.Swarm.ControlAvailable` false). */
export function workerJudgement(facts: NodeFacts, message: string): EngineJudgement {
  return { target: daemonTarget(facts), field: 'info.Swarm.ControlAvailable', value: readField(facts.info, 'Swarm.ControlAvailable'), verdict: 'pass', message };
}

/** The node's role, from the swarm part; `decision` when the rule can't go further (not collected, inactive, pending, error). */
export function swarmRole(facts: NodeFacts): SwarmRole {
  const part = requirePart(facts, 'swarm');
  if ('outcome' in part) return { decision: part };
  const data = part.data;
  switch (data.localNodeState) {
    case 'inactive':
      return {
        decision: {
          notApplicable: `${facts.nodeName} is not part of a swarm (info.Swarm.LocalNodeState is "inactive"): the swarm rules apply to swarm nodes only.`,
          judgements: [stateJudgement(facts, data, 'pass', `The engine's swarm state is "inactive": it is not in swarm mode.`)],
        },
      };
    case 'locked':
      return { role: 'locked', data };
    case 'active':
      if (!data.isManager) return { role: 'worker', data };
      if (data.swarm === null) return { decision: { invalid: 'the node is an active manager but GET /swarm was not collected' } };
      return { role: 'manager', data, swarm: data.swarm };
    default: {
      const error = readField(facts.info, 'Swarm.Error');
      const why = typeof error === 'string' && error !== '' ? ` (${error})` : '';
      return { decision: { invalid: `the node's swarm state is ${show(data.localNodeState)}${why}: it is neither out of a swarm nor an active member, so its swarm can't be read` } };
    }
  }
}

/** The swarm itself as an observation target: its cluster id and name. */
export function swarmTarget(swarm: ApiObject): TargetRef {
  const id = labelField(swarm, 'ID');
  const name = labelField(swarm, 'Spec.Name');
  return { kind: 'swarm', id: typeof id === 'string' ? id : '', name: typeof name === 'string' && name !== '' ? `swarm ${name}` : 'swarm' };
}

/** A swarm node as an observation target: its node id and hostname. */
export function nodeTarget(node: ApiObject): TargetRef {
  const id = labelField(node, 'ID');
  const hostname = labelField(node, 'Description.Hostname');
  const idText = typeof id === 'string' ? id : '';
  return { kind: 'node', id: idText, name: typeof hostname === 'string' && hostname !== '' ? hostname : idText.slice(0, 12) };
}

/**
 * A swarm-scoped overlay network as an observation target. There is no `network` target kind: an overlay
 * network is a swarm resource, so it is named as one (`overlay network NAME`, its network id).
 */
export function networkTarget(network: ApiObject): TargetRef {
  const id = labelField(network, 'Id');
  const name = labelField(network, 'Name');
  return { kind: 'swarm', id: typeof id === 'string' ? id : '', name: `overlay network ${typeof name === 'string' ? name : show(name)}` };
}

/** `1 thing` / `2 things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
