import fs from 'node:fs';
import { DEFAULT_MILESTONE_POLICY, dueDate } from '../../../src/domain/milestones.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpuSharesCheck } from '../../../src/checks/containers/host-resource-rules.js';
import { restartPolicyCheck } from '../../../src/checks/containers/lifecycle-rules.js';
import { hostPidCheck } from '../../../src/checks/namespaces.js';
import { memoryLimitCheck, pidsLimitCheck } from '../../../src/checks/resources.js';
import { SWARM_AUTOLOCK } from '../../../src/checks/swarm/cluster-rules.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { RemediationPlan } from '../../../src/domain/remediation.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { recorded } from '../checks/swarm/swarm-facts.js';
import { container } from './failures.js';
import { as, httpFailure, remediationHarness, testSealer, type Harness } from './harness.js';

const CHECKS = [memoryLimitCheck, pidsLimitCheck, cpuSharesCheck, restartPolicyCheck, hostPidCheck, SWARM_AUTOLOCK];
const ALICE = as('alice');
const CAROL = as('carol');
const DAVE = as('dave');

let dir: string;
let h: Harness;
let sealer: ReturnType<typeof testSealer>;

beforeEach(async () => {
  dir = tempDir('plimsoll-remediation-');
  sealer = testSealer();
  h = await remediationHarness(dir, CHECKS, { sealer });
  h.engine.add(container('web', { Memory: 0, MemorySwap: 0, CpuShares: 512 }));
  h.engine.add(container('api', { Memory: 0, MemorySwap: 0, CpuShares: 512, PidMode: 'host' }));
});
afterEach(async () => {
  await h.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function approvedPlan(proposal: { memory?: string; rules?: string[] } = { memory: '256m' }): Promise<RemediationPlan> {
  const assessmentId = await h.assess();
  const plan = await h.service.propose({ assessmentId, ...proposal }, ALICE);
  return h.service.approve(plan.id, CAROL);
}

function memoryOf(id: string): unknown {
  return (h.engine.containers.get(id)!.HostConfig as Record<string, unknown>).Memory;
}

describe('proposing', () => {
  it("makes one item per failing target from a completed assessment and stores it with the proposer", async () => {
    const assessmentId = await h.assess();
    const plan = await h.service.propose({ assessmentId, memory: '256m', note: 'per SSP 4.2' }, ALICE);
    expect(plan).toMatchObject({ assessmentId, proposedBy: 'alice', proposedByUserId: 'u-alice', note: 'per SSP 4.2', counts: { engine: 2, manual: 1, exempted: 0 }, lifecycle: { status: 'proposed' } });
    expect(await h.service.get(plan.id)).toEqual(plan);
    const items = await h.service.listItems(plan.id);
    expect(items.map((i) => `${i.stigId} ${i.target.name} ${i.action.mode}`)).toEqual(['DKER-EE-002010 web engine', 'DKER-EE-002010 api engine', 'DKER-EE-001240 api manual']);
    // Dated like the POA&M and stored: first seen in this assessment, due after the policy's days for the severity.
    for (const i of items) expect(i.dueAt).toBe(dueDate(i.severity, new Date(i.firstObservedAt!), DEFAULT_MILESTONE_POLICY).toISOString());
    const page = await h.service.items(plan.id, { mode: 'manual' }, { first: 10 });
    expect(page.totalCount).toBe(1);
    expect(page.edges[0]!.node.stigId).toBe('DKER-EE-001240');
  });

  it('limits a plan to the rules asked for, and refuses a rule without failures or an assessment without any', async () => {
    const assessmentId = await h.assess();
    const plan = await h.service.propose({ assessmentId, rules: ['dker-ee-001240'] }, ALICE);
    expect(plan.counts).toEqual({ engine: 0, manual: 1, exempted: 0 });
    expect(await rejection(h.service.propose({ assessmentId, rules: ['DKER-EE-002780'] }, ALICE))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('no failing target for DKER-EE-002780') });
    expect(await rejection(h.service.propose({ assessmentId: 'nope' }, ALICE))).toMatchObject({ code: 'NOT_FOUND' });
    h.engine.containers.clear();
    const clean = await h.assess();
    expect(await rejection(h.service.propose({ assessmentId: clean }, ALICE))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('nothing to remediate') });
  });
});

describe('deciding', () => {
  it('refuses approval by the proposer and by a user the proposer created; another admin approves', async () => {
    const plan = await h.service.propose({ assessmentId: await h.assess(), memory: '256m' }, CAROL);
    expect(await rejection(h.service.approve(plan.id, CAROL))).toMatchObject({ code: 'FORBIDDEN_SEPARATION_OF_DUTIES' });
    expect(await rejection(h.service.approve(plan.id, as('carol-2')))).toMatchObject({ code: 'FORBIDDEN_SEPARATION_OF_DUTIES', message: expect.stringContaining('created by') });
    const approved = await h.service.approve(plan.id, DAVE);
    expect(approved.lifecycle).toMatchObject({ status: 'approved', approval: { by: 'dave', byUserId: 'u-dave' } });
    expect(await rejection(h.service.approve(plan.id, DAVE))).toMatchObject({ code: 'CONFLICT' });
    expect(await rejection(h.service.reject(plan.id, 'too late', DAVE))).toMatchObject({ code: 'CONFLICT' });
  });

  it('rejects with a reason, after which nothing applies it', async () => {
    const plan = await h.service.propose({ assessmentId: await h.assess(), memory: '256m' }, ALICE);
    expect(await rejection(h.service.reject(plan.id, '  ', CAROL))).toMatchObject({ code: 'BAD_INPUT' });
    expect((await h.service.reject(plan.id, 'size it from the SSP first', CAROL)).lifecycle).toMatchObject({ status: 'rejected', reason: 'size it from the SSP first' });
    expect(await rejection(h.service.apply(plan.id, { dryRun: false }, DAVE))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('rejected') });
  });
});

describe('applying', () => {
  it('refuses an unapproved plan, changing nothing, but shows its dry run', async () => {
    const plan = await h.service.propose({ assessmentId: await h.assess(), memory: '256m' }, ALICE);
    expect(await rejection(h.service.apply(plan.id, { dryRun: false }, CAROL))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not approved') });
    const dry = await h.service.apply(plan.id, {}, CAROL);
    expect(dry).toMatchObject({ dryRun: true, staleReasons: [], blockers: [], resolved: 0, plan: { lifecycle: { status: 'proposed' } } });
    expect(dry.calls.map((c) => `${c.method} ${c.path} ${c.outcome}`)).toEqual(['POST /containers/web-id/update pending', 'POST /containers/api-id/update pending']);
    expect(h.engine.calls.filter((c) => c.startsWith('update'))).toEqual([]);
    expect(memoryOf('web-id')).toBe(0);
    expect(await h.service.listCalls(plan.id)).toEqual([]);
  });

  it('is a dry run by default: checks every target, lists the calls, changes nothing', async () => {
    const plan = await approvedPlan();
    const dry = await h.service.apply(plan.id, {}, DAVE);
    expect(dry.dryRun).toBe(true);
    expect(dry.calls[0]!.request).toEqual({ Memory: 268435456, MemorySwap: 268435456 });
    expect(h.engine.calls).toEqual(['inspect web-id', 'inspect api-id']);
    expect((await h.service.get(plan.id))!.lifecycle.status).toBe('approved');
  });

  it('inspects each container once however many of its settings the plan changes', async () => {
    h.engine.add(container('busy', { Memory: 0, MemorySwap: 0, PidsLimit: null, CpuShares: 0, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }));
    const assessmentId = await h.assess();
    const plan = await h.service.approve((await h.service.propose({ assessmentId, memory: '256m', pidsLimit: 100 }, ALICE)).id, CAROL);
    h.engine.calls = [];
    const report = await h.service.apply(plan.id, { dryRun: false }, DAVE);
    expect(report.plan.lifecycle.status).toBe('applied');
    expect(h.engine.calls.filter((c) => c === 'inspect busy-id')).toHaveLength(1);
    expect(h.engine.calls.filter((c) => c.startsWith('update busy-id'))).toHaveLength(4);
    expect(h.engine.containers.get('busy-id')!.HostConfig).toMatchObject({ Memory: 268435456, PidsLimit: 100, CpuShares: 512, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } });
    expect(report.resolved).toBe(6);
  });

  it('applies an approved plan, records each call (the checking reads, then the changes) with its answer, re-assesses and verifies each item', async () => {
    const plan = await approvedPlan();
    const report = await h.service.apply(plan.id, { dryRun: false }, DAVE);
    expect(memoryOf('web-id')).toBe(268435456);
    expect(memoryOf('api-id')).toBe(268435456);
    expect(report).toMatchObject({ dryRun: false, resolved: 2, plan: { lifecycle: { status: 'applied', application: { by: 'dave', reassessmentId: h.runs[1] } } } });
    const calls = await h.service.listCalls(plan.id);
    expect(calls.map((c) => [c.position, c.method, c.path, c.outcome, c.httpStatus])).toEqual([
      [1, 'GET', '/containers/web-id/json', 'ok', 200],
      [2, 'GET', '/containers/api-id/json', 'ok', 200],
      [1, 'POST', '/containers/web-id/update', 'ok', 200],
      [2, 'POST', '/containers/api-id/update', 'ok', 200],
    ]);
    expect(calls.map((c) => c.note)).toEqual([expect.stringContaining('inspected'), expect.stringContaining('inspected'), 'updated', 'updated']);
    expect(report.calls).toEqual(calls);
    const items = await h.service.listItems(plan.id);
    expect(items.map((i) => [i.position, i.verification?.outcome, i.verification?.status])).toEqual([
      [1, 'resolved', 'pass'],
      [2, 'resolved', 'pass'],
      [3, 'still-failing', 'fail'],
    ]);
    const stored = await h.service.get(plan.id);
    expect(stored!.lifecycle.status === 'applied' && stored!.lifecycle.application.message).toMatch(/2 of 2 changes made; re-assessment .*: 2 of 3 failures on the touched nodes are gone/);
    expect(await rejection(h.service.apply(plan.id, { dryRun: false }, DAVE))).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a plan whose container was recreated since as stale, applying nothing', async () => {
    const plan = await approvedPlan();
    // web recreated: same name, new id.
    const web = h.engine.containers.get('web-id')!;
    h.engine.containers.delete('web-id');
    h.engine.containers.set('web-id-2', { ...web, Id: 'web-id-2' });
    const dry = await h.service.apply(plan.id, {}, DAVE);
    expect(dry.staleReasons).toEqual([expect.stringContaining('container web (name/web) on node one is gone: no container has the id web-id')]);
    const err = await rejection(h.service.apply(plan.id, { dryRun: false }, DAVE));
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is stale, nothing was applied') });
    expect(memoryOf('api-id')).toBe(0);
    expect((await h.service.get(plan.id))!.lifecycle).toMatchObject({ status: 'stale', detected: { by: 'dave' }, reasons: [expect.stringContaining('is gone')] });
    // The reads that found it stale are the record; no change was sent.
    expect((await h.service.listCalls(plan.id)).map((c) => `${c.method} ${c.path} ${c.outcome}`)).toEqual(['GET /containers/web-id/json not-found', 'GET /containers/api-id/json ok']);
  });

  it('refuses as stale a target whose value or stable key changed since the assessment', async () => {
    const plan = await approvedPlan();
    (h.engine.containers.get('api-id')!.HostConfig as Record<string, unknown>).Memory = 1048576 * 64;
    h.engine.containers.get('web-id')!.Config = { Labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's', 'com.docker.compose.container-number': '1' } };
    const dry = await h.service.apply(plan.id, {}, DAVE);
    expect(dry.staleReasons).toEqual([
      expect.stringContaining('now has the stable key compose/p/s/1'),
      'HostConfig.Memory of container api (name/api) on node one is now 67108864; the plan was made when it was 0',
    ]);
  });

  it('ends partially applied when a call fails, recording the classified answer and never the engine body', async () => {
    const plan = await approvedPlan();
    h.engine.failures.set('api-id', httpFailure(409));
    const report = await h.service.apply(plan.id, { dryRun: false }, DAVE);
    expect(report.plan.lifecycle.status).toBe('partially-applied');
    const calls = (await h.service.listCalls(plan.id)).filter((c) => c.method === 'POST');
    expect(calls[1]).toMatchObject({ outcome: 'conflict', httpStatus: 409, errorCode: 'NODE_UNREACHABLE', note: expect.stringContaining('409') });
    const rows = JSON.stringify(await h.db.selectFrom('remediation_call').selectAll().execute());
    expect(rows).not.toContain('the engine says');
    const items = await h.service.listItems(plan.id);
    expect(items[1]!.verification).toMatchObject({ outcome: 'still-failing' });
  });

  it('ends failed when no change was made, and runs no re-assessment', async () => {
    const plan = await approvedPlan();
    h.engine.failures.set('web-id', httpFailure(400));
    h.engine.failures.set('api-id', httpFailure(500));
    const report = await h.service.apply(plan.id, { dryRun: false }, DAVE);
    expect(report.plan.lifecycle).toMatchObject({ status: 'failed', application: { message: '0 of 2 changes made' } });
    expect(h.runs).toHaveLength(1);
    expect((await h.service.listCalls(plan.id)).map((c) => c.outcome)).toEqual(['ok', 'ok', 'rejected', 'engine-error']);
  });

  it("refuses to apply while an engine can't be read, in its own words: the plan stays approved, no change is sent", async () => {
    const plan = await approvedPlan();
    // What the client throws for an HTTP failure: its message carries the body of whatever answered.
    h.engine.inspectFailure = new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine unix:///fake.sock failed GET /containers/web-id/json with HTTP 502: <html>proxy secret page</html>', [], {
      cause: Object.assign(new Error('(HTTP code 502)'), { statusCode: 502, json: '<html>proxy secret page</html>' }),
    });
    for (const dryRun of [true, false]) {
      const err = await rejection(h.service.apply(plan.id, { dryRun }, DAVE));
      expect(err).toMatchObject({ code: 'NODE_UNREACHABLE', message: expect.stringContaining("Can't check item 1 (container web on node one) before applying: the engine failed the call with 502") });
      expect(err.message).not.toContain('proxy secret page');
    }
    expect((await h.service.get(plan.id))!.lifecycle.status).toBe('approved');
    // The dry run recorded nothing; the application recorded its read, classified, and sent no change.
    const calls = await h.service.listCalls(plan.id);
    expect(calls).toEqual([expect.objectContaining({ method: 'GET', path: '/containers/web-id/json', outcome: 'engine-error', httpStatus: 502 })]);
    expect(JSON.stringify(calls)).not.toContain('proxy secret page');
    expect(h.engine.calls.filter((c) => c.startsWith('update'))).toEqual([]);
  });

  it('refuses a plan of manual steps only', async () => {
    const plan = await approvedPlan({ rules: ['DKER-EE-001240'] });
    expect(await rejection(h.service.apply(plan.id, {}, DAVE))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('manual steps') });
  });
});

describe('swarm auto-lock and its unlock key', () => {
  beforeEach(() => {
    const { JoinTokens: _t, ...swarm } = recorded('swarm.json');
    h.engine.swarm = { ...swarm, Spec: { ...(swarm.Spec as object), EncryptionConfig: { AutoLockManagers: false } } };
  });

  it('turns auto-lock on, seals the unlock key and shows it once to the approver alone', async () => {
    const plan = await approvedPlan({ rules: ['DKER-EE-002400'] });
    const report = await h.service.apply(plan.id, { dryRun: false }, DAVE);
    expect(report.plan).toMatchObject({ lifecycle: { status: 'applied' }, pendingUnlockKeys: 1 });
    expect((h.engine.swarm!.Spec as { EncryptionConfig: unknown }).EncryptionConfig).toEqual({ AutoLockManagers: true });
    const calls = await h.service.listCalls(plan.id);
    expect(calls.map((c) => [c.method, c.path, c.request, c.outcome])).toEqual([
      ['GET', '/swarm', {}, 'ok'],
      ['POST', '/swarm/update?version=10', { 'Spec.EncryptionConfig.AutoLockManagers': true }, 'ok'],
      ['GET', '/swarm/unlockkey', {}, 'ok'],
    ]);
    expect((await h.service.listItems(plan.id))[0]!.verification).toMatchObject({ outcome: 'resolved' });
    // Stored sealed only.
    const stored = JSON.stringify([await h.db.selectFrom('remediation_secret').selectAll().execute(), await h.db.selectFrom('remediation_call').selectAll().execute(), await h.db.selectFrom('remediation_plan').selectAll().execute()]);
    expect(stored).not.toContain(h.engine.unlockKey);
    expect(stored).toContain(sealer.sealed[0]);
    // The proposer and the applier (another admin) may not read it; the approver reads it once.
    expect(await rejection(h.service.revealUnlockKeys(plan.id, ALICE))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(h.service.revealUnlockKeys(plan.id, DAVE))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only carol') });
    // A server started with another PLIMSOLL_SECRET_KEY can't open it, and clears nothing: the right key still can.
    const open = sealer.open;
    sealer.open = () => {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, 'cannot decrypt a stored swarm-unlock-key');
    };
    expect(await rejection(h.service.revealUnlockKeys(plan.id, CAROL))).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await h.service.get(plan.id))!.pendingUnlockKeys).toBe(1);
    sealer.open = open;
    expect(await h.service.revealUnlockKeys(plan.id, CAROL)).toEqual([{ position: 1, nodeName: 'node one', swarmId: 'prm3g1gz6pciuuxtm2wh7e10j', unlockKey: h.engine.unlockKey }]);
    expect(await rejection(h.service.revealUnlockKeys(plan.id, CAROL))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('shown already') });
    expect((await h.service.get(plan.id))!.pendingUnlockKeys).toBe(0);
    const secret = await h.db.selectFrom('remediation_secret').selectAll().executeTakeFirstOrThrow();
    expect(secret).toMatchObject({ sealed_value: null, revealed_by: 'carol' });
  });

  it('refuses to turn auto-lock on without a key to seal the unlock key with (no call made)', async () => {
    await h.db.destroy();
    h = await remediationHarness(tempDir('plimsoll-remediation-nokey-'), CHECKS);
    const { JoinTokens: _t, ...swarm } = recorded('swarm.json');
    h.engine.swarm = { ...swarm, Spec: { ...(swarm.Spec as object), EncryptionConfig: { AutoLockManagers: false } } };
    const plan = await approvedPlan({ rules: ['DKER-EE-002400'] });
    expect((await h.service.apply(plan.id, {}, DAVE)).blockers).toEqual([expect.stringContaining('PLIMSOLL_SECRET_KEY')]);
    expect(await rejection(h.service.apply(plan.id, { dryRun: false }, DAVE))).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(h.engine.calls).not.toContain('update swarm 10');
    expect((await h.service.get(plan.id))!.lifecycle.status).toBe('approved');
    expect(await h.service.listCalls(plan.id)).toEqual([]);
  });

  it('is stale when the swarm was locked meanwhile or the node left it', async () => {
    const plan = await approvedPlan({ rules: ['DKER-EE-002400'] });
    h.engine.swarm = { ...h.engine.swarm!, Spec: { EncryptionConfig: { AutoLockManagers: true } } };
    expect((await h.service.apply(plan.id, {}, DAVE)).staleReasons).toEqual(['Spec.EncryptionConfig.AutoLockManagers of the swarm of node one is now true; the plan was made when it was false']);
    h.engine.swarm = undefined;
    expect((await h.service.apply(plan.id, {}, DAVE)).staleReasons).toEqual([expect.stringContaining('is no longer a swarm manager (the engine answered 503')]);
  });
});

describe('a process that dies while applying', () => {
  it('leaves the plan applying with its unanswered call, which the next start closes', async () => {
    const plan = await approvedPlan();
    const approval = plan.lifecycle.status === 'approved' ? plan.lifecycle.approval : undefined;
    await h.repo.transition(plan.id, 'approved', { status: 'applying', approval: approval!, application: { by: 'dave', byUserId: 'u-dave', startedAt: '2025-01-01T00:00:00Z', runner: 'gone-host:1' } });
    const seq = await h.repo.startCall({ planId: plan.id, position: 1, nodeId: 'node-1', method: 'POST', path: '/containers/web-id/update', request: {}, startedAt: '2025-01-01T00:00:01Z' });
    expect(seq).toBeGreaterThan(0);
    // Another host's runner is left alone; a dead runner of this host is closed.
    expect(await h.service.markInterrupted()).toBe(0);
    await h.db.updateTable('remediation_plan').set({ runner: 'no-such-runner' }).execute();
    expect(await h.service.markInterrupted()).toBe(1);
    const closed = await h.service.get(plan.id);
    expect(closed!.lifecycle).toMatchObject({ status: 'failed', application: { message: expect.stringContaining('no re-assessment ran') } });
    expect((await h.service.listCalls(plan.id))[0]).toMatchObject({ outcome: 'interrupted', note: expect.stringContaining('may or may not') });
  });
});

describe('listing', () => {
  it('pages plans newest first, by assessment and status', async () => {
    const assessmentId = await h.assess();
    const first = await h.service.propose({ assessmentId }, ALICE);
    const second = await h.service.propose({ assessmentId, memory: '128m' }, ALICE);
    await h.service.approve(second.id, CAROL);
    expect((await h.service.list({ assessmentId })).map((p) => p.id).sort()).toEqual([first.id, second.id].sort());
    expect((await h.service.page({ status: 'approved' }, { first: 10 })).edges.map((e) => e.node.id)).toEqual([second.id]);
    expect(await rejection(h.service.page({ status: 'bogus' as never }, {}))).toMatchObject({ code: 'BAD_INPUT' });
    expect(await rejection(h.service.listItems('nope'))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
