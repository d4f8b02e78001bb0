/**
 * The scheduler and the job runner over a real SQLite file and croner, with a clock the test moves: the lease
 * (one instance schedules), missed firings coalesced into one run, the concurrency limit, the per-node timeout,
 * a refused owner (audited, shown on the schedule) and orphaned jobs marked interrupted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallerServices } from '../../../src/auth/service-policy.js';
import type { Caller, Principal } from '../../../src/domain/auth.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { Schedule, ScheduleJob } from '../../../src/domain/schedule.js';
import { JobRunner, type OwnerGateway } from '../../../src/monitoring/job-runner.js';
import { Scheduler } from '../../../src/monitoring/scheduler.js';
import { CronerRepository } from '../../../src/repositories/cron.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyScheduleRepository } from '../../../src/repositories/monitoring/schedule-repository.js';
import { tempDir } from '../../harness/content.js';
import { fakeClock, type FakeClock } from './fake-clock.js';

const OWNER: Principal = { userId: 'u-alice', name: 'alice-assessor', role: 'assessor', kind: 'person', via: 'schedule' };
const HOST = { hostname: 'test-host', pid: process.pid, isAlive: (pid: number) => pid === process.pid };
const node = (i: number, labels: Record<string, string> = { tier: 'web' }): DockerNode => ({ id: `n${i}`, name: `node-${i}`, endpoint: `tcp://10.0.0.${i}:2376`, labels, createdAt: '2026-01-01T00:00:00.000Z' });

interface Run {
  node: string;
  signal: AbortSignal;
  /** The firing the run belongs to (its runs share one plan). */
  firingId: string | undefined;
  finish: (id: string) => void;
  fail: (e: unknown) => void;
}

/** The owner's gateway: assessments.run is held open until the test finishes it. */
class Owners implements OwnerGateway {
  owner: Caller = OWNER;
  nodes: DockerNode[] = [node(1)];
  runs: Run[] = [];
  running = 0;
  peak = 0;
  attempts: { action: string; outcome: string; detail?: string }[] = [];
  refuseRuns: PlimsollError | undefined;

  async scheduleOwner(): Promise<Caller> {
    return this.owner;
  }

  servicesFor(): CallerServices {
    return {
      nodes: { find: async (ref: string) => this.nodes.find((n) => n.id === ref || n.name === ref), list: async () => this.nodes },
      assessments: {
        run: (req: { nodes: string[]; signal: AbortSignal; origin?: { firingId?: string } }) => {
          if (this.refuseRuns) return Promise.reject(this.refuseRuns);
          this.running += 1;
          this.peak = Math.max(this.peak, this.running);
          return new Promise((resolve, reject) => {
            const end = (): void => {
              this.running -= 1;
            };
            this.runs.push({ node: req.nodes[0]!, signal: req.signal, firingId: req.origin?.firingId, finish: (id) => (end(), resolve({ id })), fail: (e) => (end(), reject(e)) });
            req.signal.addEventListener('abort', () => (end(), reject(req.signal.reason)), { once: true });
          });
        },
      },
    } as unknown as CallerServices;
  }

  async recordAttempt(_caller: Caller, attempt: { action: string; outcome: string; detail?: string }): Promise<void> {
    this.attempts.push(attempt);
  }
}

let dir: string;
let db: Db;
let repo: KyselyScheduleRepository;
let clock: FakeClock;
let owners: Owners;
const cron = new CronerRepository();

function runner(concurrency = 4, nodeTimeoutMs = 60_000): JobRunner {
  return new JobRunner({ repo, clock, gateway: () => owners }, { concurrency, nodeTimeoutMs, runner: `${HOST.hostname}:${HOST.pid}` });
}

function scheduler(jobs: JobRunner, holder = 'a'): Scheduler {
  return new Scheduler({ repo, cron, clock, jobs }, { holder, host: HOST });
}

async function addSchedule(over: Partial<Schedule> = {}): Promise<Schedule> {
  const s: Schedule = {
    id: `s-${Math.random().toString(36).slice(2)}`,
    name: 'nightly',
    cron: '0 0 * * *',
    timezone: 'UTC',
    target: { kind: 'node', nodeId: 'n1', nodeName: 'node-1' },
    benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
    ownerUserId: OWNER.userId,
    ownerName: OWNER.name,
    createdAt: clock.now().toISOString(),
    nextRunAt: cron.next('0 0 * * *', 'UTC', clock.now())!.toISOString(),
    state: { status: 'active' },
    ...over,
  };
  await repo.insert(s);
  return s;
}

async function jobs(scheduleId: string): Promise<ScheduleJob[]> {
  return (await repo.pageJobs({ scheduleId }, { first: 100 })).edges.map((e) => e.node);
}

/** Lets pending promise chains (database writes included) settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
}

beforeEach(async () => {
  dir = tempDir('plimsoll-scheduler-');
  db = await openDatabase(path.join(dir, 'test.db'));
  repo = new KyselyScheduleRepository(db);
  clock = fakeClock(new Date('2026-03-10T12:00:00.000Z'));
  owners = new Owners();
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scheduler', () => {
  it('fires a schedule when it is due, once, as a cron job, and moves its next firing on', async () => {
    const s = await addSchedule();
    const jr = runner();
    const sch = scheduler(jr);
    await sch.tick();
    expect(sch.isLeader).toBe(true);
    expect(await jobs(s.id)).toEqual([]);
    await clock.advance(12 * 3600_000);
    await sch.tick();
    await sch.tick();
    await settle();
    expect(owners.runs).toHaveLength(1);
    owners.runs[0]!.finish('assessment-1');
    await jr.drain();
    const [job] = await jobs(s.id);
    expect(job).toMatchObject({ name: 'nightly/node-1', trigger: 'cron', dueAt: '2026-03-11T00:00:00.000Z', state: { status: 'succeeded', assessmentId: 'assessment-1' } });
    expect((await repo.findById(s.id))?.nextRunAt).toBe('2026-03-12T00:00:00.000Z');
  });

  it('lets only the holder of the lease schedule; another takes over when the lease is released', async () => {
    const s = await addSchedule({ nextRunAt: '2026-03-10T11:00:00.000Z' });
    const a = scheduler(runner(), 'a');
    const b = scheduler(runner(), 'b');
    await a.tick();
    await b.tick();
    await settle();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(await jobs(s.id)).toHaveLength(1);
    owners.runs[0]!.finish('x');
    await a.stop();
    await b.tick();
    expect(b.isLeader).toBe(true);
  });

  it('runs firings missed while no scheduler ran once, marked missed', async () => {
    // Due three days ago: three midnights passed with no server.
    const s = await addSchedule({ nextRunAt: '2026-03-08T00:00:00.000Z' });
    const jr = runner();
    const sch = scheduler(jr);
    await sch.tick();
    await sch.tick();
    await settle();
    const list = await jobs(s.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ trigger: 'missed', dueAt: '2026-03-08T00:00:00.000Z' });
    expect((await repo.findById(s.id))?.nextRunAt).toBe('2026-03-11T00:00:00.000Z');
    owners.runs[0]!.finish('a');
    await jr.drain();
  });

  it('runs at most `concurrency` nodes at once across a selector schedule', async () => {
    owners.nodes = Array.from({ length: 7 }, (_, i) => node(i + 1));
    const s = await addSchedule({ target: { kind: 'selector', labels: { tier: 'web' } }, nextRunAt: '2026-03-10T11:59:00.000Z' });
    const jr = runner(3);
    const sch = scheduler(jr);
    await sch.tick();
    await settle();
    expect(await jobs(s.id)).toHaveLength(7);
    for (let done = 0; done < 7; done++) {
      await settle();
      expect(owners.running).toBeLessThanOrEqual(3);
      owners.runs.find((r) => !r.signal.aborted && !(r as { done?: boolean }).done && ((r as { done?: boolean }).done = true))!.finish(`a${done}`);
    }
    await jr.drain();
    expect(owners.peak).toBe(3);
    expect((await jobs(s.id)).every((j) => j.state.status === 'succeeded')).toBe(true);
    // One firing: its seven runs name the same firing, so they share one plan.
    expect(owners.runs).toHaveLength(7);
    expect(owners.runs[0]!.firingId).toEqual(expect.any(String));
    expect(new Set(owners.runs.map((r) => r.firingId)).size).toBe(1);
  });

  it('does not queue a node again while its previous run of the schedule has not ended', async () => {
    owners.nodes = [node(1), node(2)];
    const s = await addSchedule({ cron: '* * * * *', target: { kind: 'selector', labels: { tier: 'web' } }, nextRunAt: '2026-03-10T11:59:00.000Z' });
    const jr = runner(4, 3_600_000);
    const sch = scheduler(jr);
    await sch.tick();
    await settle();
    owners.runs.find((r) => r.node === 'n1')!.finish('a1');
    await settle();
    // The next minute: node 1 is free again, node 2 still runs the first firing.
    await clock.advance(60_000);
    await sch.tick();
    await settle();
    const list = await jobs(s.id);
    expect(list.map((j) => `${j.nodeName}:${j.state.status}`).sort()).toEqual(['node-1:running', 'node-1:succeeded', 'node-2:running']);
    for (const r of owners.runs.slice(1)) r.finish('x');
    await jr.drain();
  });

  it('stops a node run at the per-node timeout and records it timed out', async () => {
    const s = await addSchedule({ nextRunAt: '2026-03-10T11:59:00.000Z' });
    const jr = runner(2, 5_000);
    const sch = scheduler(jr);
    await sch.tick();
    await settle();
    expect(owners.runs).toHaveLength(1);
    await clock.advance(5_000);
    await jr.drain();
    expect(owners.runs[0]!.signal.aborted).toBe(true);
    expect((owners.runs[0]!.signal.reason as PlimsollError).code).toBe(ErrorCode.TIMED_OUT);
    expect((await jobs(s.id))[0]?.state).toMatchObject({ status: 'timed-out', timeoutMs: 5_000 });
    expect(owners.running).toBe(0);
  });

  it('refuses the runs of an owner who is gone or lost the right, audits the refusal and shows why on the schedule', async () => {
    const s = await addSchedule({ nextRunAt: '2026-03-10T11:59:00.000Z' });
    owners.owner = { anonymous: true, reason: "the schedule's owner (user u-alice) no longer exists" };
    const jr = runner();
    const sch = scheduler(jr);
    await sch.tick();
    await settle();
    expect(owners.runs).toHaveLength(0);
    expect((await jobs(s.id))[0]?.state).toMatchObject({ status: 'refused', code: 'UNAUTHENTICATED' });
    expect(owners.attempts).toEqual([expect.objectContaining({ action: 'runAssessment', outcome: 'failure', detail: expect.stringContaining('no longer exists') })]);
    expect((await repo.findById(s.id))?.state).toMatchObject({ status: 'refused', code: 'UNAUTHENTICATED' });

    // The owner is back but the gateway refuses the run (the role no longer allows it): FORBIDDEN.
    owners.owner = OWNER;
    owners.refuseRuns = new PlimsollError(ErrorCode.FORBIDDEN, 'Forbidden: runAssessment needs the assessor role; alice is an auditor');
    await clock.advance(12 * 3600_000);
    await sch.tick();
    await settle();
    await jr.drain();
    expect((await jobs(s.id))[0]?.state).toMatchObject({ status: 'refused', code: 'FORBIDDEN' });
    expect((await repo.findById(s.id))?.state).toMatchObject({ status: 'refused', code: 'FORBIDDEN', reason: expect.stringContaining('auditor') });

    // Allowed again: the next firing succeeds and the schedule is active again.
    owners.refuseRuns = undefined;
    await clock.advance(24 * 3600_000);
    await sch.tick();
    await settle();
    owners.runs[0]!.finish('ok');
    await jr.drain();
    expect((await repo.findById(s.id))?.state).toEqual({ status: 'active' });
  });

  it('marks jobs left running by a process that is gone as interrupted when it takes the lease', async () => {
    const s = await addSchedule();
    await repo.insertJobs([{ id: 'j-old', name: 'nightly/node-1', scheduleId: s.id, scheduleName: s.name, nodeId: 'n1', nodeName: 'node-1', trigger: 'cron', dueAt: '2026-03-10T00:00:00.000Z', createdAt: '2026-03-10T00:00:00.000Z', state: { status: 'queued' } }], 'test-host:4242');
    await repo.updateJob('j-old', { status: 'running', startedAt: '2026-03-10T00:00:01.000Z' });
    await scheduler(runner()).tick();
    expect((await repo.findJob('j-old'))?.state).toMatchObject({ status: 'interrupted' });
  });
});
