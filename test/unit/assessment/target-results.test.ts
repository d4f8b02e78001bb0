import { describe, expect, it } from 'vitest';
import { containerKey, imageKey, targetIndexOf } from '../../../src/assessment/target-keys.js';
import { targetResultsOf } from '../../../src/assessment/target-results.js';
import type { ApiObject, NodeFacts } from '../../../src/domain/facts.js';
import type { Observation, RuleResult, TargetRef } from '../../../src/domain/results.js';
import { COLLECTED_AT, nodeFacts, recordedContainer } from '../checks/facts-helpers.js';

function withLabels(name: string, labels: Record<string, string>) {
  const c = recordedContainer('hardened');
  const inspect = structuredClone(c.inspect);
  (inspect.Config as ApiObject).Labels = labels;
  return { ...c, id: `${name}-id`, name, inspect };
}

const COMPOSE = withLabels('shop-web-1', { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' });
const TASK = withLabels('api.2.k3x9q', { 'com.docker.swarm.service.name': 'api', 'com.docker.swarm.task.name': 'api.2.k3x9q', 'com.docker.swarm.task.id': 'k3x9q' });
const PLAIN = withLabels('db', {});

function facts(): NodeFacts {
  return {
    ...nodeFacts([COMPOSE, TASK, PLAIN]),
    engine: {
      status: 'collected',
      data: {
        images: [
          { Id: 'sha256:aaa', RepoTags: ['nginx:1.25'], RepoDigests: ['nginx@sha256:111'] },
          { Id: 'sha256:bbb', RepoTags: ['<none>:<none>'], RepoDigests: ['app@sha256:222'] },
          { Id: 'sha256:ccc', RepoTags: [], RepoDigests: [] },
        ],
        networks: [],
        volumes: [],
        plugins: [],
        processes: {},
      },
    },
    swarm: {
      status: 'collected',
      data: {
        localNodeState: 'active',
        isManager: true,
        swarm: { ID: 'cluster-1' },
        nodes: [{ ID: 'sn-2', Description: { Hostname: 'worker-2' } }],
        services: [{ ID: 'svc-1', Spec: { Name: 'api' } }],
        secrets: [{ ID: 'sec-1', Spec: { Name: 'db-password' } }],
        configs: [],
        tasks: [],
        networks: [{ Id: 'net-1', Name: 'backend' }],
      },
    },
  };
}

function obs(target: TargetRef, verdict: Observation['verdict'], message = `${target.name} ${verdict}`, exemptedBy?: string): Observation {
  return { target, field: 'HostConfig.Privileged', value: verdict === 'fail', expected: 'false', verdict, message, collectedAt: COLLECTED_AT, ...(exemptedBy ? { exemptedBy } : {}) };
}

function rule(status: RuleResult['status'], observations: Observation[], message = 'rule message'): RuleResult {
  return {
    nodeId: 'node-1',
    stigId: 'DKER-EE-001960',
    ruleId: 'SV-1_rule',
    groupId: 'V-1',
    checkContentHash: 'h',
    title: 't',
    severity: 'medium',
    status,
    message,
    observations,
    controlIds: [],
    ccis: [],
    fixText: 'fix',
  };
}

const NODE = { id: 'node-1', name: 'node one' };
const container = (c: { id: string; name: string }): TargetRef => ({ kind: 'container', id: c.id, name: c.name });

describe('stable target keys', () => {
  const index = targetIndexOf(facts());

  it('keys compose containers by project, service and number, swarm tasks by service and slot, others by name', () => {
    expect(index.resolve(container(COMPOSE))).toMatchObject({ kind: 'container', key: 'compose/shop/web/1', id: 'shop-web-1-id', name: 'shop-web-1', image: COMPOSE.image });
    expect(index.resolve(container(TASK)).key).toBe('swarm/api/2');
    expect(index.resolve(container(PLAIN)).key).toBe('name/db');
  });

  it('survives a redeploy: a recreated compose container with a new id and name keeps its key', () => {
    const recreated = { ...COMPOSE, id: 'other-id', name: 'shop_web_1' };
    const again = targetIndexOf({ ...facts(), containers: [recreated] });
    expect(again.resolve(container(recreated)).key).toBe(index.resolve(container(COMPOSE)).key);
  });

  it('falls back to the name when swarm labels do not frame the slot', () => {
    expect(containerKey('x', { Config: { Labels: { 'com.docker.swarm.service.name': 'api', 'com.docker.swarm.task.name': 'other.1.z', 'com.docker.swarm.task.id': 'z' } } })).toBe('name/x');
  });

  it('keys images by tag, then digest, then id', () => {
    expect(imageKey({ Id: 'sha256:aaa', RepoTags: ['nginx:1.25'] })).toBe('tag/nginx:1.25');
    expect(index.resolve({ kind: 'image', id: 'sha256:bbb', name: 'app@sha256:222' }).key).toBe('digest/app@sha256:222');
    expect(index.resolve({ kind: 'image', id: 'sha256:ccc', name: 'ccc' }).key).toBe('id/sha256:ccc');
  });

  it('keeps the daemon as the daemon, maps the host to the node, swarm members, overlay networks, services, secrets and files', () => {
    expect(index.resolve({ kind: 'daemon', id: 'node-1', name: 'node one' })).toEqual({ kind: 'daemon', key: 'daemon', id: 'node-1', name: 'node one' });
    expect(index.resolve({ kind: 'node', id: 'node-1', name: 'node one' })).toMatchObject({ kind: 'node', key: 'node' });
    expect(index.resolve({ kind: 'node', id: 'sn-2', name: 'worker-2' })).toMatchObject({ kind: 'swarm-node', key: 'hostname/worker-2' });
    expect(index.resolve({ kind: 'swarm', id: 'cluster-1', name: 'swarm' })).toMatchObject({ kind: 'swarm', key: 'swarm' });
    expect(index.resolve({ kind: 'swarm', id: 'net-1', name: 'overlay network backend' })).toMatchObject({ kind: 'network', key: 'name/backend' });
    expect(index.resolve({ kind: 'service', id: 'svc-1', name: 'api' })).toMatchObject({ kind: 'service', key: 'name/api' });
    expect(index.resolve({ kind: 'secret', id: 'sec-1', name: 'x' })).toMatchObject({ kind: 'secret', key: 'name/db-password' });
    expect(index.resolve({ kind: 'file', id: '/etc/docker/daemon.json', name: '/etc/docker/daemon.json' })).toMatchObject({ kind: 'file', key: '/etc/docker/daemon.json' });
  });
});

describe('per-target results of a rule result', () => {
  const index = targetIndexOf(facts());

  it('gives one row per target: failing targets fail, the others of a decided rule pass', () => {
    const rows = targetResultsOf(rule('fail', [obs(container(COMPOSE), 'fail', 'web runs privileged'), obs(container(PLAIN), 'pass'), obs(container(COMPOSE), 'pass', 'other field ok')]), NODE, index);
    expect(rows.map((r) => [r.target.key, r.status, r.observations.length])).toEqual([
      ['compose/shop/web/1', 'fail', 2],
      ['name/db', 'pass', 1],
    ]);
    expect(rows[0]).toMatchObject({ nodeId: 'node-1', ruleId: 'SV-1_rule', stigId: 'DKER-EE-001960', severity: 'medium', message: 'web runs privileged' });
  });

  it('never passes a target of an undecided rule: error keeps error, a failing observation still fails, and the rule\'s reason stays on the node', () => {
    const rows = targetResultsOf(rule('error', [obs(container(COMPOSE), 'pass'), obs(container(PLAIN), 'fail')], 'Cannot decide for 1 of 3 containers (api.2.k3x9q: no HostConfig)'), NODE, index);
    expect(rows.map((r) => [r.target.kind, r.status])).toEqual([
      ['container', 'error'],
      ['container', 'fail'],
      ['node', 'error'],
    ]);
    // The container that could not be decided has no observation: the node-level row names it.
    expect(rows[2]).toMatchObject({ message: 'Cannot decide for 1 of 3 containers (api.2.k3x9q: no HostConfig)', observations: [] });
  });

  it('gives an excluded platform container its own row with status excluded, never pass, whatever the rule decided', () => {
    const platform = withLabels('ucp-agent', {});
    for (const status of ['pass', 'fail', 'not-applicable'] as const) {
      const observations = [obs(container(platform), 'excluded', 'Container ucp-agent: left out as a platform container'), ...(status === 'not-applicable' ? [] : [obs(container(PLAIN), status === 'fail' ? 'fail' : 'pass')])];
      const rows = targetResultsOf(rule(status, observations), NODE, index);
      expect(rows.map((r) => [r.target.key, r.status])).toEqual([
        ['name/ucp-agent', 'excluded'],
        ...(status === 'not-applicable' ? [] : [['name/db', status]]),
      ]);
      expect(rows[0]).toMatchObject({ message: 'Container ucp-agent: left out as a platform container', observations: [expect.objectContaining({ verdict: 'excluded' })] });
    }
  });

  it('maps a result without observations to the node-level target with the rule status and message', () => {
    for (const status of ['not-checked', 'error', 'not-applicable', 'pass'] as const) {
      const rows = targetResultsOf(rule(status, [], `why ${status}`), NODE, index);
      expect(rows).toEqual([expect.objectContaining({ target: { kind: 'node', key: 'node', id: 'node-1', name: 'node one' }, status, message: `why ${status}`, observations: [] })]);
    }
  });

  it('records the exemption of a target only when it covers every failing observation of that target', () => {
    const rows = targetResultsOf(
      rule('fail', [obs(container(COMPOSE), 'fail', 'a', 'ex-1'), obs(container(PLAIN), 'fail', 'b', 'ex-2'), obs(container(PLAIN), 'fail', 'c')]),
      NODE,
      index,
    );
    expect(rows.map((r) => r.exemptedBy)).toEqual(['ex-1', undefined]);
  });

  it('keys by kind and id when the node has no facts', () => {
    const rows = targetResultsOf(rule('fail', [obs(container(PLAIN), 'fail'), obs({ kind: 'daemon', id: 'node-1', name: 'n' }, 'pass')]), NODE, undefined);
    expect(rows.map((r) => [r.target.kind, r.target.key])).toEqual([
      ['container', 'id/db-id'],
      ['daemon', 'daemon'],
    ]);
  });
});
