import { describe, expect, it } from 'vitest';
import { DEFAULT_MILESTONE_POLICY } from '../../../src/domain/milestones.js';
import { cpuSharesCheck } from '../../../src/checks/containers/host-resource-rules.js';
import { restartPolicyCheck } from '../../../src/checks/containers/lifecycle-rules.js';
import { hostPidCheck } from '../../../src/checks/namespaces.js';
import { memoryLimitCheck, pidsLimitCheck } from '../../../src/checks/resources.js';
import { SWARM_AUTOLOCK } from '../../../src/checks/swarm/cluster-rules.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { RemediationItem, RemediationSettings } from '../../../src/domain/remediation.js';
import { buildPlanItems } from '../../../src/remediation/plan-builder.js';
import { findingKey } from '../../../src/domain/poam.js';
import { nodeFacts } from '../checks/facts-helpers.js';
import { managerFacts, recorded } from '../checks/swarm/swarm-facts.js';
import { container, failingTargets, targetResults } from './failures.js';

const SETTINGS: RemediationSettings = { memoryBytes: 256 * 1024 ** 2, pidsLimit: 100, cpuShares: 512, restartMaxRetries: 5 };
const COMPOSE = {
  'com.docker.compose.project': 'shop',
  'com.docker.compose.service': 'api',
  'com.docker.compose.container-number': '1',
  'com.docker.compose.project.config_files': '/srv/shop/compose.yaml',
};
const SWARM_TASK = { 'com.docker.swarm.service.name': 'queue', 'com.docker.swarm.task.name': 'queue.1.abc', 'com.docker.swarm.task.id': 'abc' };

function facts(): NodeFacts {
  return nodeFacts([
    container('web', { Memory: 0, MemorySwap: 0, PidsLimit: null, CpuShares: 0, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }),
    container('shop-api-1', { Memory: 0, MemorySwap: 0, PidMode: 'host' }, COMPOSE),
    container('queue.1.abc', { Memory: 0, MemorySwap: 0 }, SWARM_TASK),
    container('ok', { CpuShares: 512 }),
  ]);
}

function build(f: NodeFacts, settings: RemediationSettings = SETTINGS, checks = [memoryLimitCheck, pidsLimitCheck, cpuSharesCheck, restartPolicyCheck, hostPidCheck]) {
  return buildPlanItems({ failures: failingTargets(f, checks), facts: new Map([[f.nodeId, f]]), nodeNames: new Map([[f.nodeId, 'node one']]), fixTexts: new Map(), settings, firstObserved: new Map(), policy: DEFAULT_MILESTONE_POLICY });
}

function item(items: readonly RemediationItem[], stigId: string, name: string): RemediationItem {
  const found = items.find((i) => i.stigId === stigId && i.target.name === name);
  if (found === undefined) throw new Error(`no item ${stigId} ${name}: ${items.map((i) => `${i.stigId} ${i.target.name}`).join(', ')}`);
  return found;
}

describe('buildPlanItems', () => {
  it('makes an Engine API change of each in-place setting of a container, with the values it saw and the docker update doing the same', () => {
    const { items } = build(facts());
    expect(item(items, 'DKER-EE-002010', 'web').action).toEqual({
      mode: 'engine',
      change: { setting: 'memory', containerId: 'web-id', update: { Memory: 268435456, MemorySwap: 268435456 }, before: { 'HostConfig.Memory': 0, 'HostConfig.MemorySwap': 0 } },
      command: 'docker update --memory 256m --memory-swap 256m web',
    });
    expect(item(items, 'DKER-EE-002780', 'web').action).toMatchObject({ mode: 'engine', change: { setting: 'pids-limit', update: { PidsLimit: 100 }, before: { 'HostConfig.PidsLimit': null } }, command: 'docker update --pids-limit 100 web' });
    expect(item(items, 'DKER-EE-002020', 'web').action).toMatchObject({ mode: 'engine', change: { setting: 'cpu-shares', update: { CpuShares: 512 }, before: { 'HostConfig.CpuShares': 0 } } });
    expect(item(items, 'DKER-EE-004030', 'web').action).toMatchObject({
      mode: 'engine',
      change: { setting: 'restart-policy', update: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } }, before: { 'HostConfig.RestartPolicy': { Name: 'always', MaximumRetryCount: 0 } } },
      command: 'docker update --restart on-failure:5 web',
    });
    // A compose container is changed in place too (its compose file should follow; the manual steps say how to recreate).
    expect(item(items, 'DKER-EE-002010', 'shop-api-1').action.mode).toBe('engine');
  });

  it('numbers items from 1 in the order of the failures and keeps the failing evidence and the stable key', () => {
    const { items } = build(facts());
    expect(items.map((i) => i.position)).toEqual(items.map((_, n) => n + 1));
    const memory = item(items, 'DKER-EE-002010', 'web');
    expect(memory).toMatchObject({ nodeId: 'node-1', nodeName: 'node one', target: { kind: 'container', key: 'name/web', id: 'web-id' } });
    expect(memory.evidence).toEqual([{ field: 'HostConfig.Memory', value: 0, message: expect.stringContaining('not limited') }]);
    expect(item(items, 'DKER-EE-002010', 'shop-api-1').target.key).toBe('compose/shop/api/1');
  });

  it('lists what needs a container recreated as manual, with the recreate command of its origin', () => {
    const { items } = build(facts());
    const pid = item(items, 'DKER-EE-001240', 'shop-api-1').action;
    expect(pid).toMatchObject({ mode: 'manual', reason: expect.stringContaining('recreated') });
    if (pid.mode !== 'manual') throw new Error('manual expected');
    expect(pid.instructions).toContain('--pid=host');
    expect(pid.commands).toEqual(['docker compose --project-name shop --file /srv/shop/compose.yaml up --detach --force-recreate --no-deps api']);
  });

  it("turns a swarm task's in-place setting into docker service update, since the swarm restores the service spec", () => {
    const { items } = build(facts());
    const task = item(items, 'DKER-EE-002010', 'queue.1.abc').action;
    expect(task).toMatchObject({ mode: 'manual', reason: expect.stringContaining('swarm service queue'), commands: ['docker service update --limit-memory 256m queue'] });
  });

  it('keeps memory and PIDs items manual when the proposer gave no size (a guessed limit could kill a workload)', () => {
    const { items } = build(facts(), { cpuShares: 512, restartMaxRetries: 5 });
    expect(item(items, 'DKER-EE-002010', 'web').action).toMatchObject({ mode: 'manual', reason: expect.stringContaining('no memory limit was given') });
    expect(item(items, 'DKER-EE-002780', 'web').action).toMatchObject({ mode: 'manual', reason: expect.stringContaining('no PIDs limit was given') });
    expect(item(items, 'DKER-EE-002010', 'web').action).toMatchObject({ commands: ['docker rm --force web', 'docker run --detach --name web <its other options, changed as above> plimsoll/busybox:test'] });
  });

  it('dates each item like the POA&M: first observation (carried over when known) plus the policy days for its severity', () => {
    const f = facts();
    const failures = failingTargets(f, [memoryLimitCheck]).map((t) => ({ ...t, collectedAt: '2026-11-01T00:00:00.000Z', ...(t.target.name === 'web' ? { severity: 'high' as const } : {}) }));
    const web = failures.find((t) => t.target.name === 'web')!;
    const firstObserved = new Map([[findingKey(web.nodeId, web.stigId, web.target.kind, web.target.key), '2026-10-01T00:00:00.000Z']]);
    const policy = { dueDays: { high: 15, medium: 60, low: 120, unknown: 60 } };
    const { items } = buildPlanItems({ failures, facts: new Map([[f.nodeId, f]]), nodeNames: new Map(), fixTexts: new Map(), settings: SETTINGS, firstObserved, policy });
    // Carried over from an earlier assessment: the deadline is not postponed by re-assessing.
    expect(item(items, 'DKER-EE-002010', 'web')).toMatchObject({ firstObservedAt: '2026-10-01T00:00:00.000Z', dueAt: '2026-10-16T00:00:00.000Z' });
    // First seen in this assessment: counted from its collection.
    expect(item(items, 'DKER-EE-002010', 'shop-api-1')).toMatchObject({ firstObservedAt: '2026-11-01T00:00:00.000Z', dueAt: '2026-12-31T00:00:00.000Z' });
  });

  it('leaves out failures an approved exemption covers, and counts them', () => {
    const f = facts();
    const failures = failingTargets(f, [memoryLimitCheck]).map((t) => (t.target.name === 'web' ? { ...t, exemptedBy: 'ex-1' } : t));
    const built = buildPlanItems({ failures, facts: new Map([[f.nodeId, f]]), nodeNames: new Map(), fixTexts: new Map(), settings: SETTINGS, firstObserved: new Map(), policy: DEFAULT_MILESTONE_POLICY });
    expect(built.exempted).toBe(1);
    expect(built.items.map((i) => i.target.name).sort()).toEqual(['queue.1.abc', 'shop-api-1']);
  });

  it('ignores results that are not failures', () => {
    const f = facts();
    const all = targetResults(f, [cpuSharesCheck]);
    expect(all.some((t) => t.status === 'pass')).toBe(true);
    const built = buildPlanItems({ failures: all, facts: new Map([[f.nodeId, f]]), nodeNames: new Map(), fixTexts: new Map(), settings: SETTINGS, firstObserved: new Map(), policy: DEFAULT_MILESTONE_POLICY });
    expect(built.items.every((i) => i.target.name !== 'ok')).toBe(true);
  });

  it('turns swarm auto-lock on through a manager, once per swarm', () => {
    const { JoinTokens: _t, ...swarm } = recorded('swarm.json');
    const unlocked = { ...swarm, Spec: { ...(swarm.Spec as object), EncryptionConfig: { AutoLockManagers: false } } };
    const one = managerFacts({ nodeId: 'm1', nodeName: 'manager one' }, { swarm: unlocked });
    const two = managerFacts({ nodeId: 'm2', nodeName: 'manager two' }, { swarm: unlocked });
    const failures = [...failingTargets(one, [SWARM_AUTOLOCK]), ...failingTargets(two, [SWARM_AUTOLOCK])];
    const { items } = buildPlanItems({ failures, facts: new Map([['m1', one], ['m2', two]]), nodeNames: new Map(), fixTexts: new Map(), settings: SETTINGS, firstObserved: new Map(), policy: DEFAULT_MILESTONE_POLICY });
    expect(items[0]!.action).toEqual({
      mode: 'engine',
      change: { setting: 'swarm-autolock', swarmId: swarm.ID, before: { 'Spec.EncryptionConfig.AutoLockManagers': false } },
      command: 'docker swarm update --autolock=true',
    });
    expect(items[1]!.action).toMatchObject({ mode: 'manual', reason: 'the same swarm as item 1, whose update turns auto-lock on for every manager' });
  });
});
