/**
 * Runs the jobs of a schedule's firing: resolves the nodes as the schedule's owner, records one job per node,
 * and runs each node's assessment through the service gateway as the owner, at most `concurrency` at once
 * across every schedule of this process, each stopped at the per-node timeout.
 *
 * Authorisation and audit are the gateway's, exactly as for the owner's own call: `assessments.run` is audited
 * (via `schedule`), a refusal is audited too, and a refused firing marks the schedule `refused` with the reason
 * until a later firing is allowed again. Nothing is run as Plimsoll itself.
 */
import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CallerServices } from '../auth/service-policy.js';
import { isAnonymous, type Caller } from '../domain/auth.js';
import { ErrorCode, PlimsollError, isPlimsollError } from '../domain/errors.js';
import type { DockerNode } from '../domain/node.js';
import { jobName, selectNodes, type JobState, type JobTrigger, type Schedule, type ScheduleJob } from '../domain/schedule.js';
import type { Clock } from '../repositories/clock.js';
import type { ScheduleRepository } from '../repositories/monitoring/schedule-repository.js';

/** What the runner needs of the service gateway (late-bound: the gateway is built after the services). */
export interface OwnerGateway {
  scheduleOwner(userId: string): Promise<Caller>;
  servicesFor(caller: Caller): CallerServices;
  recordAttempt(caller: Caller, attempt: { action: string; target?: string; outcome: 'success' | 'failure'; detail?: string }): Promise<void>;
}

export interface JobRunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunnerOptions {
  /** Node runs at once across every schedule (PLIMSOLL_SCHEDULE_CONCURRENCY). */
  concurrency: number;
  /** A node's run is stopped after this long (PLIMSOLL_SCHEDULE_NODE_TIMEOUT_MS). */
  nodeTimeoutMs: number;
  /** `host:pid` of this process, stored with its jobs. */
  runner: string;
  newId?: () => string;
  logger?: JobRunnerLogger;
}

/** A firing's jobs as recorded, and the promise of their end. */
export interface Firing {
  jobs: ScheduleJob[];
  done: Promise<void>;
}

const REFUSALS: ReadonlySet<string> = new Set([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

function isRefusal(e: unknown): e is PlimsollError {
  return isPlimsollError(e) && REFUSALS.has(e.code);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class JobRunner {
  private readonly limit: LimitFunction;
  private readonly newId: () => string;
  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs running or queued in this process (never marked interrupted while here). */
  private readonly active = new Set<string>();
  /** `scheduleId/nodeId` of those jobs: a firing skips a node whose previous run of the schedule is still due to end. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly deps: { repo: ScheduleRepository; clock: Clock; gateway: () => OwnerGateway },
    private readonly options: JobRunnerOptions,
  ) {
    this.limit = pLimit(Math.max(1, Math.floor(options.concurrency)));
    this.newId = options.newId ?? randomUUID;
  }

  /** Whether this process is running (or about to run) the job. */
  isActive(jobId: string): boolean {
    return this.active.has(jobId);
  }

  /** Node runs in progress and waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.limit.activeCount, waiting: this.limit.pendingCount };
  }

  /**
   * Fires `schedule`: records its jobs (queued; none for a node whose previous job of this schedule has not
   * ended) and starts them; `done` resolves when every job has ended.
   */
  async fire(schedule: Schedule, trigger: JobTrigger, dueAt: string, requestedBy?: string): Promise<Firing> {
    const gateway = this.deps.gateway();
    const caller = await gateway.scheduleOwner(schedule.ownerUserId);
    const services = gateway.servicesFor(caller);
    const base = { scheduleId: schedule.id, scheduleName: schedule.name, trigger, dueAt, ...(requestedBy !== undefined ? { requestedBy } : {}) };
    let nodes: DockerNode[];
    try {
      if (isAnonymous(caller)) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, `Not authenticated: ${caller.reason}`);
      nodes = await this.nodesOf(schedule, services);
    } catch (e) {
      const node = schedule.target.kind === 'node' ? { nodeId: schedule.target.nodeId, nodeName: schedule.target.nodeName } : {};
      const job = this.newJob(base, node.nodeName, node.nodeId);
      if (isRefusal(e)) {
        // The run never reached assessments.run (which audits): the refusal is audited here, as a transport does.
        await gateway.recordAttempt(caller, { action: 'runAssessment', target: JSON.stringify({ scheduleId: schedule.id, jobId: job.id }), outcome: 'failure', detail: `${e.code}: ${e.message}` });
        await this.record([{ ...job, state: { status: 'refused', finishedAt: this.now(), code: e.code, message: e.message } }]);
        await this.deps.repo.setState(schedule.id, { status: 'refused', code: e.code, reason: e.message, since: this.now() });
      } else {
        await this.record([{ ...job, state: { status: 'failed', finishedAt: this.now(), code: isPlimsollError(e) ? e.code : ErrorCode.INTERNAL, message: messageOf(e) } }]);
      }
      const recorded = await this.deps.repo.findJob(job.id);
      return { jobs: recorded !== undefined ? [recorded] : [], done: Promise.resolve() };
    }
    // A firing that comes while the previous one still runs a node does not queue that node again: the
    // queue stays bounded by the fleet, whatever the cron expression and however slow the nodes.
    const free = nodes.filter((n) => !this.busy.has(`${schedule.id}/${n.id}`));
    if (free.length < nodes.length) this.options.logger?.warn({ schedule: schedule.name, skipped: nodes.length - free.length }, 'nodes still running the previous firing were skipped');
    const jobs = free.map((n) => this.newJob(base, n.name, n.id));
    for (const j of jobs) {
      this.active.add(j.id);
      this.busy.add(`${schedule.id}/${j.nodeId}`);
    }
    try {
      await this.record(jobs);
    } catch (e) {
      for (const j of jobs) {
        this.active.delete(j.id);
        this.busy.delete(`${schedule.id}/${j.nodeId}`);
      }
      throw e;
    }
    const firingId = this.newId();
    const done = Promise.all(jobs.map((job) => this.track(this.limit(() => this.execute(job, schedule, services, firingId))))).then(() => undefined);
    return { jobs, done };
  }

  /** Waits for every job started in this process to end. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async nodesOf(schedule: Schedule, services: CallerServices): Promise<DockerNode[]> {
    const target = schedule.target;
    if (target.kind === 'node') {
      const node = await services.nodes.find(target.nodeId);
      if (node === undefined || node.id !== target.nodeId) throw new PlimsollError(ErrorCode.NOT_FOUND, `node ${target.nodeName} (${target.nodeId}) no longer exists`);
      return [node];
    }
    const nodes = selectNodes(target, await services.nodes.list());
    if (nodes.length === 0) throw new PlimsollError(ErrorCode.NOT_FOUND, 'no node matches the schedule\'s selector');
    return nodes;
  }

  private newJob(base: Omit<ScheduleJob, 'id' | 'name' | 'createdAt' | 'state'>, nodeName: string | undefined, nodeId: string | undefined): ScheduleJob {
    return {
      ...base,
      id: this.newId(),
      name: jobName(base.scheduleName, nodeName),
      ...(nodeId !== undefined ? { nodeId } : {}),
      ...(nodeName !== undefined ? { nodeName } : {}),
      createdAt: this.now(),
      state: { status: 'queued' },
    };
  }

  private async record(jobs: ScheduleJob[]): Promise<void> {
    await this.deps.repo.insertJobs(jobs, this.options.runner);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** One node's run, as the owner, stopped at the timeout; never rejects (the job records what happened). */
  private async execute(job: ScheduleJob, schedule: Schedule, services: CallerServices, firingId: string): Promise<void> {
    const startedAt = this.now();
    const set = (state: JobState): Promise<void> => this.deps.repo.updateJob(job.id, state).catch((e: unknown) => this.options.logger?.error({ err: e, job: job.id }, 'could not record a job status'));
    try {
      await set({ status: 'running', startedAt });
      const stop = new AbortController();
      const settled = new AbortController();
      const timeoutMs = this.options.nodeTimeoutMs;
      const run = services.assessments.run({
        nodes: [job.nodeId!],
        benchmark: schedule.benchmark,
        ...(schedule.profileId !== undefined ? { profileId: schedule.profileId } : {}),
        signal: stop.signal,
        origin: { scheduleId: schedule.id, jobId: job.id, firingId },
      });
      const outcome = await Promise.race([
        run.then(
          (a) => ({ kind: 'done' as const, assessmentId: a.id }),
          (e: unknown) => ({ kind: 'error' as const, error: e }),
        ),
        this.deps.clock.sleep(timeoutMs, settled.signal).then(() => ({ kind: 'timeout' as const })),
      ]);
      settled.abort();
      switch (outcome.kind) {
        case 'done':
          await set({ status: 'succeeded', startedAt, finishedAt: this.now(), assessmentId: outcome.assessmentId });
          if (schedule.state.status === 'refused') await this.deps.repo.setState(schedule.id, { status: 'active' });
          break;
        case 'timeout':
          stop.abort(new PlimsollError(ErrorCode.TIMED_OUT, `the run of ${job.name} was stopped after the per-node timeout of ${timeoutMs} ms`));
          await set({ status: 'timed-out', startedAt, finishedAt: this.now(), timeoutMs });
          this.options.logger?.warn({ job: job.name, timeoutMs }, 'a scheduled node run timed out');
          // The slot is held until the run has really stopped, so the concurrency limit stays true.
          await run.catch(() => undefined);
          break;
        case 'error':
          if (isRefusal(outcome.error)) {
            await set({ status: 'refused', finishedAt: this.now(), code: outcome.error.code, message: outcome.error.message });
            await this.deps.repo.setState(schedule.id, { status: 'refused', code: outcome.error.code, reason: outcome.error.message, since: this.now() });
          } else {
            const code = isPlimsollError(outcome.error) ? outcome.error.code : ErrorCode.INTERNAL;
            await set({ status: 'failed', startedAt, finishedAt: this.now(), code, message: messageOf(outcome.error) });
          }
          break;
      }
    } catch (e) {
      this.options.logger?.error({ err: e, job: job.name }, 'a scheduled job failed unexpectedly');
      await set({ status: 'failed', startedAt, finishedAt: this.now(), code: ErrorCode.INTERNAL, message: messageOf(e) });
    } finally {
      this.active.delete(job.id);
      this.busy.delete(`${schedule.id}/${job.nodeId}`);
    }
  }
}
