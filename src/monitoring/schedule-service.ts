/**
 * Schedules as a use case: create (validated: a usable cron expression and time zone, a node that exists or
 * a selector, a benchmark in the library and a profile it has), list, remove (owner or admin), run now, and
 * the jobs' log. The caller who creates a schedule owns it: its runs act as them.
 */
import { randomUUID } from 'node:crypto';
import { type Principal, roleCovers } from '../domain/auth.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { ScheduleService } from '../domain/monitoring-services.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import { JOB_STATUSES, type JobStatus, type Schedule, type ScheduleInput, type ScheduleJob, type ScheduleTarget } from '../domain/schedule.js';
import type { LibraryService, NodeService } from '../domain/services.js';
import { resolveProfile } from '../assessment/targets.js';
import type { Clock } from '../repositories/clock.js';
import type { CronRepository } from '../repositories/cron.js';
import type { ScheduleRepository } from '../repositories/monitoring/schedule-repository.js';
import { isUniqueViolation } from '../repositories/database/constraint-errors.js';
import type { Firing } from './job-runner.js';

const MAX_NAME = 100;
const MAX_LABELS = 20;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export interface ScheduleServiceDeps {
  repo: ScheduleRepository;
  cron: CronRepository;
  clock: Clock;
  nodes: Pick<NodeService, 'find'>;
  library: Pick<LibraryService, 'findBenchmark'>;
  /** Fires schedules (the job runner of this process). */
  jobs: { fire(schedule: Schedule, trigger: 'manual', dueAt: string, requestedBy: string): Promise<Firing> };
  newId?: () => string;
}

export class DefaultScheduleService implements ScheduleService {
  private readonly newId: () => string;

  constructor(private readonly deps: ScheduleServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async create(input: ScheduleInput, actor: Principal): Promise<Schedule> {
    if (actor.kind !== 'person') throw new PlimsollError(ErrorCode.FORBIDDEN, `schedules act as their owner, a person; ${actor.name} is not one`);
    const problems: Problem[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '' || name.length > MAX_NAME || CONTROL_CHARS.test(name)) problems.push({ pointer: '/name', message: `name must have 1 to ${MAX_NAME} characters, no control characters` });
    const cron = typeof input.cron === 'string' ? input.cron.trim() : '';
    const timezone = input.timezone?.trim() || 'UTC';
    const cronProblem = this.deps.cron.problem(cron, timezone);
    if (cronProblem !== undefined) problems.push({ pointer: input.timezone !== undefined && cronProblem.startsWith('unknown time zone') ? '/timezone' : '/cron', message: cronProblem });
    const target = await this.targetOf(input, problems);
    const benchmarkRef = typeof input.benchmark === 'string' ? input.benchmark.trim() : '';
    const benchmark = benchmarkRef === '' ? undefined : await this.deps.library.findBenchmark(benchmarkRef);
    if (benchmark === undefined) problems.push({ pointer: '/benchmark', message: benchmarkRef === '' ? 'a benchmark is required' : `benchmark ${benchmarkRef.slice(0, 100)} is not in the library (import it first)` });
    else if (input.profileId !== undefined) {
      try {
        resolveProfile(benchmark, input.profileId);
      } catch (e) {
        problems.push({ pointer: '/profileId', message: (e as Error).message });
      }
    }
    if (problems.length > 0 || target === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid schedule: ${problems.map((p) => p.message).join('; ')}`, problems);
    if ((await this.deps.repo.findByName(name)) !== undefined) throw new PlimsollError(ErrorCode.CONFLICT, `a schedule named "${name}" already exists`);
    const now = this.deps.clock.now();
    const next = this.deps.cron.next(cron, timezone, now);
    const schedule: Schedule = {
      id: this.newId(),
      name,
      cron,
      timezone,
      target,
      benchmark: benchmarkRef,
      ...(input.profileId !== undefined ? { profileId: input.profileId } : {}),
      ownerUserId: actor.userId,
      ownerName: actor.name,
      createdAt: now.toISOString(),
      ...(next !== undefined ? { nextRunAt: next.toISOString() } : {}),
      state: { status: 'active' },
    };
    try {
      await this.deps.repo.insert(schedule);
    } catch (e) {
      if (isUniqueViolation(e)) throw new PlimsollError(ErrorCode.CONFLICT, `a schedule named "${name}" already exists`, [], { cause: e });
      throw e;
    }
    return schedule;
  }

  list(): Promise<Schedule[]> {
    return this.deps.repo.list();
  }

  page(page: PageRequest): Promise<Connection<Schedule>> {
    return this.deps.repo.page(page);
  }

  async get(ref: string, options: { includeRemoved?: boolean } = {}): Promise<Schedule | undefined> {
    const r = ref.trim();
    if (r === '') return undefined;
    return (await this.deps.repo.findById(r, options)) ?? (await this.deps.repo.findByName(r));
  }

  async remove(ref: string, actor: Principal): Promise<Schedule> {
    const schedule = await this.require(ref);
    if (schedule.ownerUserId !== actor.userId && !roleCovers(actor.role, 'admin')) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `schedule ${schedule.name} belongs to ${schedule.ownerName}; only its owner or an admin removes it`);
    }
    const at = this.deps.clock.now().toISOString();
    if (!(await this.deps.repo.markRemoved(schedule.id, at))) throw notFound(ref);
    return { ...schedule, removedAt: at };
  }

  async runNow(ref: string, actor: Principal, options: { wait?: boolean } = {}): Promise<ScheduleJob[]> {
    const schedule = await this.require(ref);
    const firing = await this.deps.jobs.fire(schedule, 'manual', this.deps.clock.now().toISOString(), actor.name);
    if (options.wait !== true) return firing.jobs;
    await firing.done;
    return Promise.all(firing.jobs.map(async (j) => (await this.deps.repo.findJob(j.id)) ?? j));
  }

  async jobs(filter: { schedule?: string; status?: JobStatus }, page: PageRequest): Promise<Connection<ScheduleJob>> {
    if (filter.status !== undefined && !JOB_STATUSES.includes(filter.status)) throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown job status "${String(filter.status).slice(0, 40)}"; one of ${JOB_STATUSES.join(', ')}`);
    let scheduleId: string | undefined;
    if (filter.schedule !== undefined) {
      const schedule = await this.get(filter.schedule, { includeRemoved: true });
      if (schedule === undefined) throw notFound(filter.schedule);
      scheduleId = schedule.id;
    }
    return this.deps.repo.pageJobs({ ...(scheduleId !== undefined ? { scheduleId } : {}), ...(filter.status !== undefined ? { status: filter.status } : {}) }, page);
  }

  job(id: string): Promise<ScheduleJob | undefined> {
    return this.deps.repo.findJob(id);
  }

  private async require(ref: string): Promise<Schedule> {
    const s = await this.get(ref);
    if (s === undefined) throw notFound(ref);
    return s;
  }

  /** The target of the input: a node that exists now, or a selector; problems otherwise. */
  private async targetOf(input: ScheduleInput, problems: Problem[]): Promise<ScheduleTarget | undefined> {
    const labels = input.labels ?? {};
    const bySelector = Object.keys(labels).length > 0 || input.environment !== undefined;
    if (input.node !== undefined && bySelector) {
      problems.push({ pointer: '/node', message: 'give a node or a selector (labels, environment), not both' });
      return undefined;
    }
    if (input.node !== undefined) {
      const node = await this.deps.nodes.find(input.node);
      if (node === undefined) {
        problems.push({ pointer: '/node', message: `no node matches "${input.node.slice(0, 100)}" (by id, name or endpoint)` });
        return undefined;
      }
      return { kind: 'node', nodeId: node.id, nodeName: node.name };
    }
    if (!bySelector) {
      problems.push({ pointer: '/node', message: 'a node, or a selector (labels and/or environment), is required' });
      return undefined;
    }
    const entries = Object.entries(labels);
    if (entries.length > MAX_LABELS) problems.push({ pointer: '/labels', message: `at most ${MAX_LABELS} labels` });
    for (const [k, v] of entries) {
      if (k.trim() === '' || typeof v !== 'string') problems.push({ pointer: `/labels/${k}`, message: 'labels are non-empty keys with string values' });
    }
    const environment = input.environment?.trim();
    return { kind: 'selector', labels: { ...labels }, ...(environment !== undefined && environment !== '' ? { environment } : {}) };
  }
}

function notFound(ref: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, `no schedule matches "${ref.slice(0, 100)}" (by id or name)`);
}
