import { describe, expect, it } from 'vitest';
import type { ApiObject, NodeFacts } from '../../../../src/domain/facts.js';
import { SWARM_CHECKS } from '../../../../src/checks/swarm/index.js';
import { managerFacts, managerPart, recorded, recordedRemoteManagers, run, stateFacts, workerFacts } from './swarm-facts.js';

const AUTOLOCK = 'DKER-EE-002400';
const MANAGERS = 'DKER-EE-005060';

/** `count` manager nodes (copies of the recorded one with other ids), the first the leader. */
function managers(count: number): ApiObject[] {
  const node = recorded<ApiObject[]>('nodes.json')[0] as ApiObject;
  return Array.from({ length: count }, (_, i) => ({
    ...structuredClone(node),
    ID: `manager${i}`,
    Description: { ...(node.Description as ApiObject), Hostname: `mgr-${i}` },
    ManagerStatus: { Leader: i === 0, Reachability: 'reachable', Addr: `10.0.0.${i + 1}:2377` },
  }));
}

function worker(id: string): ApiObject {
  const node = structuredClone(recorded<ApiObject[]>('nodes.json')[0] as ApiObject);
  delete node.ManagerStatus;
  return { ...node, ID: id, Spec: { ...(node.Spec as ApiObject), Role: 'worker' } };
}

/** Manager facts whose /info and /nodes agree on `count` managers (plus two workers). */
function withManagers(count: number): NodeFacts {
  const facts = managerFacts({}, { nodes: [...managers(count), worker('w1'), worker('w2')] });
  (facts.info.Swarm as ApiObject).Managers = count;
  (facts.info.Swarm as ApiObject).Nodes = count + 2;
  return facts;
}

describe('swarm checks registry', () => {
  it('registers the automated swarm rules, and none of those left manual', () => {
    expect(SWARM_CHECKS.map((c) => c.stigId).sort()).toEqual(['DKER-EE-002400', 'DKER-EE-005060', 'DKER-EE-006240', 'DKER-EE-006270']);
  });

  it('makes every swarm rule not applicable on a node outside a swarm, with the state as evidence', () => {
    const facts = stateFacts('info-inactive.json');
    for (const check of SWARM_CHECKS) {
      const outcome = check.evaluate(facts);
      expect(outcome.status, check.stigId).toBe('not-applicable');
      expect(outcome.observations[0], check.stigId).toMatchObject({ field: 'info.Swarm.LocalNodeState', value: 'inactive', target: { kind: 'daemon' } });
    }
  });

  it('reports error (never pass) when the swarm part is missing, failed or in a pending/error state', () => {
    const missing = managerFacts({ swarm: undefined });
    const failed = managerFacts({ swarm: { status: 'failed', error: 'GET /swarm failed: HTTP 503' } });
    const pending = managerFacts({}, { localNodeState: 'pending', swarm: null });
    const errored = managerFacts({}, { localNodeState: 'error', swarm: null });
    (errored.info.Swarm as ApiObject).Error = 'manager stopped: raft: no elected cluster leader';
    for (const check of SWARM_CHECKS) {
      expect(check.evaluate(missing).status, check.stigId).toBe('error');
      expect(check.evaluate(failed).message, check.stigId).toContain('HTTP 503');
      expect(check.evaluate(pending).message, check.stigId).toContain('"pending"');
      expect(check.evaluate(errored).message, check.stigId).toContain('no elected cluster leader');
    }
  });
});

describe('DKER-EE-002400 swarm auto-lock', () => {
  it('passes on the recorded manager initialised with --autolock', () => {
    const outcome = run(AUTOLOCK, managerFacts());
    expect(outcome.status).toBe('pass');
    expect(outcome.observations).toEqual([
      expect.objectContaining({
        target: { kind: 'swarm', id: 'prm3g1gz6pciuuxtm2wh7e10j', name: 'swarm default' },
        field: 'Spec.EncryptionConfig.AutoLockManagers',
        value: true,
        verdict: 'pass',
      }),
    ]);
  });

  it('fails after the recorded `docker swarm update --autolock=false`', () => {
    const { JoinTokens: _t, ...swarm } = recorded('swarm-autolock-off.json');
    const outcome = run(AUTOLOCK, managerFacts({}, { swarm }));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations[0]).toMatchObject({ value: false, verdict: 'fail' });
    expect(outcome.message).toContain('not in auto-lock mode');
  });

  it('passes on a locked manager: locking shows auto-lock is on', () => {
    const outcome = run(AUTOLOCK, stateFacts('info-locked.json'));
    expect(outcome.status).toBe('pass');
    expect(outcome.observations[0]).toMatchObject({ field: 'info.Swarm.LocalNodeState', value: 'locked', verdict: 'pass' });
  });

  it('is not applicable on a worker, with its role as evidence', () => {
    const outcome = run(AUTOLOCK, workerFacts());
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.observations[0]).toMatchObject({ field: 'info.Swarm.ControlAvailable', value: false });
  });

  it('reports error when the setting is missing or not a boolean', () => {
    const swarm = managerPart().swarm as ApiObject;
    const noField = structuredClone(swarm);
    delete ((noField.Spec as ApiObject).EncryptionConfig as ApiObject).AutoLockManagers;
    expect(run(AUTOLOCK, managerFacts({}, { swarm: noField })).status).toBe('error');
    const text = structuredClone(swarm);
    ((text.Spec as ApiObject).EncryptionConfig as ApiObject).AutoLockManagers = 'true';
    expect(run(AUTOLOCK, managerFacts({}, { swarm: text })).status).toBe('error');
    expect(run(AUTOLOCK, managerFacts({}, { swarm: null })).status).toBe('error');
  });
});

describe('DKER-EE-005060 number of managers', () => {
  it('passes the recorded single-manager swarm, with the manager node as evidence', () => {
    const outcome = run(MANAGERS, managerFacts());
    expect(outcome.status).toBe('pass');
    expect(outcome.observations).toEqual([
      expect.objectContaining({ target: expect.objectContaining({ kind: 'swarm' }), field: 'info.Swarm.Managers', value: 1, verdict: 'pass' }),
      expect.objectContaining({
        target: { kind: 'node', id: '5kjy36s47nga2nzjol84pq9kx', name: 'vm' },
        field: 'ManagerStatus',
        value: { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' },
      }),
    ]);
  });

  it('passes 1, 2 and 3 managers and fails 0, 4, 5 and 7, as the check text says', () => {
    for (const n of [1, 2, 3]) expect(run(MANAGERS, withManagers(n)).status, `${n}`).toBe('pass');
    for (const n of [0, 4, 5, 7]) expect(run(MANAGERS, withManagers(n)).status, `${n}`).toBe('fail');
    const five = run(MANAGERS, withManagers(5));
    expect(five.message).toContain('5 managers');
    expect(five.observations.filter((o) => o.target.kind === 'node')).toHaveLength(5);
    expect(run(MANAGERS, withManagers(2)).message).toContain('odd number');
  });

  it('reports error when /info and /nodes disagree, or /info has no count', () => {
    const racing = withManagers(3);
    (racing.info.Swarm as ApiObject).Managers = 4;
    expect(run(MANAGERS, racing).status).toBe('error');
    const noCount = managerFacts();
    delete (noCount.info.Swarm as ApiObject).Managers;
    expect(run(MANAGERS, noCount).status).toBe('error');
  });

  it('counts the managers a worker knows (info.Swarm.RemoteManagers)', () => {
    const one = run(MANAGERS, workerFacts());
    expect(one.status).toBe('pass');
    expect(one.observations[0]).toMatchObject({ field: 'info.Swarm.RemoteManagers', value: recordedRemoteManagers(), target: { kind: 'daemon' } });
    const four = Array.from({ length: 4 }, (_, i) => ({ NodeID: `m${i}`, Addr: `10.0.0.${i}:2377` }));
    expect(run(MANAGERS, workerFacts(undefined, four)).status).toBe('fail');
    expect(run(MANAGERS, workerFacts(undefined, null)).status).toBe('error');
    expect(run(MANAGERS, workerFacts(undefined, [{ Addr: '10.0.0.1:2377' }])).status).toBe('error');
  });

  it('reports error on a locked manager (its swarm is unreadable until unlocked)', () => {
    const outcome = run(MANAGERS, stateFacts('info-locked.json'));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('docker swarm unlock');
  });
});
