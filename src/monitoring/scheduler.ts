/**
 * The scheduler: one server instance at a time (the holder of a database lease, renewed on every tick) fires
 * the schedules that are due. A firing is claimed in the database by moving the schedule's next firing past
 * now, so several occurrences missed while no server ran coalesce into one run, marked `missed`: a schedule
 * is never replayed once per missed occurrence. At takeover, jobs left queued or running by a stopped process
 * are marked `interrupted` (the same host:pid policy as interrupted assessments).
 *
 * Time and cron are repositories: tests drive `tick()` with a fake clock.
 */
import { interruptionReason, type RunnerHost } from '../assessment/runner.js';
import type { Clock } from '../repositories/clock.js';
import type { CronRepository } from '../repositories/cron.js';
import type { ScheduleRepository } from '../repositories/monitoring/schedule-repository.js';
import type { JobRunner, JobRunnerLogger } from './job-runner.js';

/** The lease name of the scheduler (webhook delivery runs under it too). */
export const SCHEDULER_LEASE = 'scheduler';

export interface SchedulerOptions {
  /** Unique per process start: `host:pid:random`. */
  holder: string;
  /** This process, to tell jobs of dead processes from live ones. */
  host: RunnerHost;
  /** How long the lease lasts unless renewed (default 30 s). */
  leaseMs?: number;
  /** How often due schedules are looked for (default 1 s). */
  tickMs?: number;
  logger?: JobRunnerLogger;
  /** Told when this instance becomes or stops being the leader (the webhook worker follows it). */
  onLeadership?: (leader: boolean) => void;
}

/** The scheduler's life: stopped, or running its loop. */
type Phase = { phase: 'stopped' } | { phase: 'running'; stop: AbortController; loop: Promise<void> };

export class Scheduler {
  private leaderSince: Date | undefined;
  private state: Phase = { phase: 'stopped' };
  private readonly leaseMs: number;
  private readonly tickMs: number;

  constructor(
    private readonly deps: { repo: ScheduleRepository; cron: CronRepository; clock: Clock; jobs: JobRunner },
    private readonly options: SchedulerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.tickMs = options.tickMs ?? 1000;
  }

  /** Whether this instance holds the lease. */
  get isLeader(): boolean {
    return this.leaderSince !== undefined;
  }

  /** One pass: takes or renews the lease; as the leader, fires every due schedule. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    const { repo } = this.deps;
    const leader = await repo.acquireLease(SCHEDULER_LEASE, this.options.holder, now.toISOString(), new Date(now.getTime() + this.leaseMs).toISOString());
    if (!leader) {
      if (this.leaderSince !== undefined) {
        this.leaderSince = undefined;
        this.options.logger?.warn({ holder: this.options.holder }, 'lost the scheduler lease; another instance schedules');
        this.options.onLeadership?.(false);
      }
      return;
    }
    if (this.leaderSince === undefined) {
      this.leaderSince = now;
      await this.interruptOrphans(now);
      this.options.logger?.info({ holder: this.options.holder }, 'this instance schedules');
      this.options.onLeadership?.(true);
    }
    for (const schedule of await repo.due(now.toISOString())) {
      const dueAt = schedule.nextRunAt!;
      const next = this.deps.cron.next(schedule.cron, schedule.timezone, now);
      if (!(await repo.claimFiring(schedule.id, dueAt, next?.toISOString(), now.toISOString()))) continue;
      // Due before this instance began to schedule: no scheduler ran when it was due.
      const trigger = new Date(dueAt).getTime() < this.leaderSince.getTime() ? 'missed' : 'cron';
      this.deps.jobs.fire(schedule, trigger, dueAt).catch((e: unknown) => this.options.logger?.error({ err: e, schedule: schedule.name }, 'a schedule could not fire'));
    }
  }

  /** Starts the loop (tick, sleep, tick…) until stop(). */
  start(): void {
    if (this.state.phase === 'running') return;
    const stop = new AbortController();
    const loop = (async () => {
      while (!stop.signal.aborted) {
        try {
          await this.tick();
        } catch (e) {
          this.options.logger?.error({ err: e }, 'scheduler tick failed');
        }
        await this.deps.clock.sleep(this.tickMs, stop.signal);
      }
    })();
    this.state = { phase: 'running', stop, loop };
  }

  /** Stops the loop, waits for running jobs to end (up to `graceMs`), and gives the lease back. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.state.phase === 'running') {
      this.state.stop.abort();
      await this.state.loop;
    }
    this.state = { phase: 'stopped' };
    const settled = new AbortController();
    await Promise.race([this.deps.jobs.drain(), this.deps.clock.sleep(graceMs, settled.signal)]);
    settled.abort();
    if (this.leaderSince !== undefined) {
      this.leaderSince = undefined;
      this.options.onLeadership?.(false);
      await this.deps.repo.releaseLease(SCHEDULER_LEASE, this.options.holder).catch(() => undefined);
    }
  }

  /** Jobs left queued or running by processes that are gone end as `interrupted`. */
  private async interruptOrphans(now: Date): Promise<void> {
    for (const { job, runner } of await this.deps.repo.unfinishedJobs()) {
      const reason = interruptionReason(runner, this.options.host, this.deps.jobs.isActive(job.id));
      if (reason === undefined) continue;
      await this.deps.repo.updateJob(job.id, { status: 'interrupted', finishedAt: now.toISOString(), message: reason });
    }
  }
}
