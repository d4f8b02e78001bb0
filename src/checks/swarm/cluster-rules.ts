/**
 * Swarm cluster settings: auto-lock (DKER-EE-002400) and the number of managers (DKER-EE-005060).
 * Both are settings of the whole swarm, read on a manager (/swarm, /info, /nodes).
 */
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { hasField, labelField, readField } from '../evidence.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { nodeTarget, plural, stateJudgement, swarmRole, swarmTarget, workerJudgement } from './swarm-state.js';

const AUTOLOCK_FIELD = 'Spec.EncryptionConfig.AutoLockManagers';

/**
 * DKER-EE-002400. The STIG reads `docker swarm unlock-key` ("no unlock key is set" is the finding); the
 * same setting is `Spec.EncryptionConfig.AutoLockManagers` of /swarm, read without fetching the key. A manager
 * found locked (it restarted and waits for its unlock key) shows auto-lock on. Auto-lock encrypts the keys
 * managers hold: a worker has none, so the rule is not applicable to it (its swarm's managers are assessed).
 */
export const SWARM_AUTOLOCK = engineCheck({
  stigId: 'DKER-EE-002400',
  title: 'Docker Enterprise Swarm manager must be run in auto-lock mode.',
  targetKinds: ['swarm', 'daemon'],
  expected: 'swarm auto-lock on (Spec.EncryptionConfig.AutoLockManagers true: `docker swarm unlock-key` shows a key)',
  judge(facts): EngineDecision {
    const role = swarmRole(facts);
    if ('decision' in role) return role.decision;
    switch (role.role) {
      case 'locked':
        return {
          judgements: [
            stateJudgement(facts, role.data, 'pass', `The manager is locked (info.Swarm.LocalNodeState "locked"): the swarm is auto-locked and waits for its unlock key.`),
          ],
        };
      case 'worker':
        return {
          notApplicable: `${facts.nodeName} is a swarm worker: auto-lock protects the TLS and Raft keys of manager nodes, so the rule is assessed on the swarm's managers.`,
          judgements: [workerJudgement(facts, 'The node is a worker: swarm control (and auto-lock) belongs to the managers.')],
        };
      case 'manager': {
        if (!hasField(role.swarm, AUTOLOCK_FIELD)) return { invalid: `GET /swarm has no ${AUTOLOCK_FIELD}` };
        const value = readField(role.swarm, AUTOLOCK_FIELD);
        if (typeof value !== 'boolean') return { invalid: `${AUTOLOCK_FIELD} is ${show(value)}: expected true or false` };
        return {
          judgements: [
            {
              target: swarmTarget(role.swarm),
              field: AUTOLOCK_FIELD,
              value,
              verdict: value ? 'pass' : 'fail',
              message: value
                ? 'The swarm runs in auto-lock mode: a restarted manager stays locked until its unlock key is given.'
                : 'The swarm is not in auto-lock mode (no unlock key is set): a restarted manager loads its TLS and Raft keys unprotected.',
            },
          ],
        };
      }
    }
  },
});

/** What DKER-EE-005060's check text accepts: "If the number of leaders is not 1, 2 or 3, this is a finding." */
export const MIN_MANAGERS = 1;
export const MAX_MANAGERS = 3;

function countVerdict(count: number): 'pass' | 'fail' {
  return count >= MIN_MANAGERS && count <= MAX_MANAGERS ? 'pass' : 'fail';
}

function countMessage(count: number, source: string): string {
  const verdict = countVerdict(count);
  if (verdict === 'fail') return `The swarm has ${plural(count, 'manager')} (${source}): the STIG allows 1, 2 or 3; demote the excess with \`docker node demote\`.`;
  // The check text passes 2; its discussion asks for the smallest practical odd number, so say so.
  const even = count % 2 === 0 ? ' (an even count adds no fault tolerance over one fewer; the discussion asks for an odd number)' : '';
  return `The swarm has ${plural(count, 'manager')} (${source}), within the 1 to 3 the STIG allows${even}.`;
}

/** The managers /nodes lists: the nodes with a ManagerStatus, as `docker info` counts them. */
function managerNodes(nodes: readonly ApiObject[]): ApiObject[] {
  return nodes.filter((n) => readField(n, 'ManagerStatus') !== null);
}

function managerJudgement(node: ApiObject, verdict: 'pass' | 'fail'): EngineJudgement {
  const status = readField(node, 'ManagerStatus');
  const leader = labelField(node, 'ManagerStatus.Leader') === true ? 'leader, ' : '';
  const reachability = labelField(node, 'ManagerStatus.Reachability');
  const target = nodeTarget(node);
  return {
    target,
    field: 'ManagerStatus',
    value: status,
    verdict,
    message: `Node ${target.name} is a manager (${leader}${typeof reachability === 'string' ? reachability : 'reachability unknown'}).`,
  };
}

/**
 * DKER-EE-005060. The check reads `docker info --format '{{ .Swarm.Managers }}'` (or counts `docker node ls`)
 * and passes 1, 2 or 3. On a manager: info.Swarm.Managers, which must agree with the managers /nodes lists
 * (each is evidence). A worker's /info has no manager count, but lists the managers it knows
 * (info.Swarm.RemoteManagers, from the managers themselves): that list is counted.
 */
export const SWARM_MANAGER_COUNT = engineCheck({
  stigId: 'DKER-EE-005060',
  title: 'Docker Swarm must have the minimum number of manager nodes.',
  targetKinds: ['swarm', 'node', 'daemon'],
  expected: `${MIN_MANAGERS} to ${MAX_MANAGERS} manager nodes`,
  judge(facts): EngineDecision {
    const role = swarmRole(facts);
    if ('decision' in role) return role.decision;
    switch (role.role) {
      case 'locked':
        return { invalid: 'the manager is locked (info.Swarm.LocalNodeState "locked"): unlock it (`docker swarm unlock`) so that its swarm can be read' };
      case 'worker':
        return judgeWorker(facts);
      case 'manager':
        return judgeManager(facts, role.swarm, role.data.nodes);
    }
  },
  summarize: (_status, judgements) => judgements[0]?.message ?? '',
});

function judgeManager(facts: NodeFacts, swarm: ApiObject, nodes: readonly ApiObject[]): EngineDecision {
  const count = readField(facts.info, 'Swarm.Managers');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return { invalid: `info.Swarm.Managers is ${show(count)}: expected the number of managers` };
  const managers = managerNodes(nodes);
  const verdict = countVerdict(count);
  const judgements: EngineJudgement[] = [
    { target: swarmTarget(swarm), field: 'info.Swarm.Managers', value: count, verdict, message: countMessage(count, 'info.Swarm.Managers') },
    ...managers.map((n) => managerJudgement(n, verdict)),
  ];
  if (managers.length !== count) {
    return { invalid: `info.Swarm.Managers is ${count} but GET /nodes lists ${plural(managers.length, 'manager')}: the swarm changed during collection`, judgements };
  }
  return { judgements };
}

function judgeWorker(facts: NodeFacts): EngineDecision {
  const remote = readField(facts.info, 'Swarm.RemoteManagers');
  if (!Array.isArray(remote) || remote.length === 0) {
    return { invalid: `the node is a worker and info.Swarm.RemoteManagers is ${show(remote)}: it knows no manager to count; assess a manager of its swarm` };
  }
  const ids = new Set(remote.map((m) => readField(isObject(m) ? m : {}, 'NodeID')));
  if (ids.has(null) || ids.has('')) return { invalid: `info.Swarm.RemoteManagers has an entry without a NodeID: ${show(remote)}` };
  const count = ids.size;
  return {
    judgements: [
      {
        field: 'info.Swarm.RemoteManagers',
        value: remote,
        verdict: countVerdict(count),
        message: countMessage(count, "the managers this worker knows, info.Swarm.RemoteManagers; a manager's /info counts them exactly"),
      },
    ],
  };
}

function isObject(value: unknown): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const CLUSTER_CHECKS: readonly Check[] = [SWARM_AUTOLOCK, SWARM_MANAGER_COUNT];
