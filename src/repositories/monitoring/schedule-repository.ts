/**
 * Schedules, their jobs and the scheduler lease in the database: rows in, domain types out (explicit maps).
 * A firing is claimed with a conditional update on `next_run_at`, so it can't fire twice even if two
 * processes ever looked at once; the lease makes one server instance the scheduler.
 */
import type { Selectable } from '../database/kysely.js';
import { userNameKey } from '../../domain/auth.js';
import { mapNodes, type Connection, type PageRequest } from '../../domain/paging.js';
import type { JobState, JobStatus, JobTrigger, Schedule, ScheduleJob, ScheduleState, ScheduleTarget } from '../../domain/schedule.js';
import type { Db } from '../database/database.js';
import { countOf, keysetPage } from '../database/keyset.js';
import type { ScheduleJobTable, ScheduleTable } from '../database/tables-monitoring.js';

type ScheduleRow = Selectable<ScheduleTable>;
type JobRow = Selectable<ScheduleJobTable>;

/** Which jobs to list. */
export interface JobFilter {
  scheduleId?: string;
  status?: JobStatus;
}

export interface ScheduleRepository {
  insert(schedule: Schedule): Promise<void>;
  /** A present schedule; with `includeRemoved`, a removed one too. */
  findById(id: string, options?: { includeRemoved?: boolean }): Promise<Schedule | undefined>;
  /** A present schedule by name (case-insensitively). */
  findByName(name: string): Promise<Schedule | undefined>;
  /** Present schedules by name. */
  list(): Promise<Schedule[]>;
  page(request: PageRequest): Promise<Connection<Schedule>>;
  markRemoved(id: string, at: string): Promise<boolean>;
  /** Present schedules whose next firing is at or before `now`. */
  due(now: string): Promise<Schedule[]>;
  /** The earliest next firing of a present schedule. */
  earliestNextRun(): Promise<string | undefined>;
  /** Claims the firing at `expected`: moves it to `next` (absent: none); false when another claim came first. */
  claimFiring(id: string, expected: string, next: string | undefined, firedAt: string): Promise<boolean>;
  setState(id: string, state: ScheduleState): Promise<void>;

  insertJobs(jobs: readonly ScheduleJob[], runner: string): Promise<void>;
  updateJob(id: string, state: JobState): Promise<void>;
  findJob(id: string): Promise<ScheduleJob | undefined>;
  /** Jobs newest first. */
  pageJobs(filter: JobFilter, request: PageRequest): Promise<Connection<ScheduleJob>>;
  /** Queued or running jobs with their runner. */
  unfinishedJobs(): Promise<{ job: ScheduleJob; runner: string | null }[]>;

  /** Takes or renews the lease `name` until `expiresAt` when it is free, expired or already `holder`'s. */
  acquireLease(name: string, holder: string, now: string, expiresAt: string): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} holds invalid JSON`);
  }
}

/** Row → domain. */
export function mapScheduleRow(row: ScheduleRow): Schedule {
  const target: ScheduleTarget =
    row.target_kind === 'node'
      ? { kind: 'node', nodeId: row.target_node_id ?? '', nodeName: row.target_node_name ?? row.target_node_id ?? '' }
      : { kind: 'selector', labels: parseJson<Record<string, string>>(row.target_labels_json, `schedule ${row.id} labels`), ...(row.target_environment !== null ? { environment: row.target_environment } : {}) };
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    target,
    benchmark: row.benchmark,
    ...(row.profile_id !== null ? { profileId: row.profile_id } : {}),
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    createdAt: row.created_at,
    ...(row.next_run_at !== null ? { nextRunAt: row.next_run_at } : {}),
    ...(row.last_fired_at !== null ? { lastFiredAt: row.last_fired_at } : {}),
    state: parseJson<ScheduleState>(row.state_json, `schedule ${row.id} state`),
    ...(row.removed_at !== null ? { removedAt: row.removed_at } : {}),
  };
}

/** Domain → row. */
export function toScheduleRow(s: Schedule): ScheduleRow {
  return {
    id: s.id,
    name: s.name,
    name_key: userNameKey(s.name),
    cron: s.cron,
    timezone: s.timezone,
    target_kind: s.target.kind,
    target_node_id: s.target.kind === 'node' ? s.target.nodeId : null,
    target_node_name: s.target.kind === 'node' ? s.target.nodeName : null,
    target_labels_json: JSON.stringify(s.target.kind === 'selector' ? s.target.labels : {}),
    target_environment: s.target.kind === 'selector' ? (s.target.environment ?? null) : null,
    benchmark: s.benchmark,
    profile_id: s.profileId ?? null,
    owner_user_id: s.ownerUserId,
    owner_name: s.ownerName,
    created_at: s.createdAt,
    next_run_at: s.nextRunAt ?? null,
    last_fired_at: s.lastFiredAt ?? null,
    state_json: JSON.stringify(s.state),
    removed_at: s.removedAt ?? null,
  };
}

/** Row → domain. */
export function mapJobRow(row: JobRow): ScheduleJob {
  return {
    id: row.id,
    name: row.name,
    scheduleId: row.schedule_id,
    scheduleName: row.schedule_name,
    ...(row.node_id !== null ? { nodeId: row.node_id } : {}),
    ...(row.node_name !== null ? { nodeName: row.node_name } : {}),
    trigger: row.trigger as JobTrigger,
    dueAt: row.due_at,
    ...(row.requested_by !== null ? { requestedBy: row.requested_by } : {}),
    createdAt: row.created_at,
    state: parseJson<JobState>(row.state_json, `job ${row.id} state`),
  };
}

function toJobRow(job: ScheduleJob, runner: string): JobRow {
  return {
    id: job.id,
    name: job.name,
    schedule_id: job.scheduleId,
    schedule_name: job.scheduleName,
    node_id: job.nodeId ?? null,
    node_name: job.nodeName ?? null,
    trigger: job.trigger,
    due_at: job.dueAt,
    requested_by: job.requestedBy ?? null,
    created_at: job.createdAt,
    status: job.state.status,
    state_json: JSON.stringify(job.state),
    runner,
  };
}

/** The Kysely implementation (SQLite now, PostgreSQL next: nothing dialect-specific). */
export class KyselyScheduleRepository implements ScheduleRepository {
  constructor(private readonly db: Db) {}

  async insert(schedule: Schedule): Promise<void> {
    await this.db.insertInto('schedule').values(toScheduleRow(schedule)).execute();
  }

  async findById(id: string, options: { includeRemoved?: boolean } = {}): Promise<Schedule | undefined> {
    let q = this.db.selectFrom('schedule').selectAll().where('id', '=', id);
    if (options.includeRemoved !== true) q = q.where('removed_at', 'is', null);
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : mapScheduleRow(row);
  }

  async findByName(name: string): Promise<Schedule | undefined> {
    const row = await this.db.selectFrom('schedule').selectAll().where('name_key', '=', userNameKey(name)).where('removed_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : mapScheduleRow(row);
  }

  async list(): Promise<Schedule[]> {
    return (await this.db.selectFrom('schedule').selectAll().where('removed_at', 'is', null).orderBy('name_key').execute()).map(mapScheduleRow);
  }

  async page(request: PageRequest): Promise<Connection<Schedule>> {
    const base = this.db.selectFrom('schedule').selectAll().where('removed_at', 'is', null);
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'schedule.name_key', type: 'string', value: (r) => r.name_key }], 'asc', request), mapScheduleRow);
  }

  async markRemoved(id: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('schedule').set({ removed_at: at }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async due(now: string): Promise<Schedule[]> {
    const rows = await this.db.selectFrom('schedule').selectAll().where('removed_at', 'is', null).where('next_run_at', 'is not', null).where('next_run_at', '<=', now).orderBy('next_run_at').execute();
    return rows.map(mapScheduleRow);
  }

  async earliestNextRun(): Promise<string | undefined> {
    const row = await this.db.selectFrom('schedule').select('next_run_at').where('removed_at', 'is', null).where('next_run_at', 'is not', null).orderBy('next_run_at').limit(1).executeTakeFirst();
    return row?.next_run_at ?? undefined;
  }

  async claimFiring(id: string, expected: string, next: string | undefined, firedAt: string): Promise<boolean> {
    const r = await this.db.updateTable('schedule').set({ next_run_at: next ?? null, last_fired_at: firedAt }).where('id', '=', id).where('next_run_at', '=', expected).where('removed_at', 'is', null).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async setState(id: string, state: ScheduleState): Promise<void> {
    await this.db.updateTable('schedule').set({ state_json: JSON.stringify(state) }).where('id', '=', id).execute();
  }

  async insertJobs(jobs: readonly ScheduleJob[], runner: string): Promise<void> {
    if (jobs.length === 0) return;
    // Inserted in chunks: a selector over a thousand nodes is a thousand rows, and SQLite caps bound parameters.
    for (let i = 0; i < jobs.length; i += 50) await this.db.insertInto('schedule_job').values(jobs.slice(i, i + 50).map((j) => toJobRow(j, runner))).execute();
  }

  async updateJob(id: string, state: JobState): Promise<void> {
    await this.db.updateTable('schedule_job').set({ status: state.status, state_json: JSON.stringify(state) }).where('id', '=', id).execute();
  }

  async findJob(id: string): Promise<ScheduleJob | undefined> {
    const row = await this.db.selectFrom('schedule_job').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapJobRow(row);
  }

  async pageJobs(filter: JobFilter, request: PageRequest): Promise<Connection<ScheduleJob>> {
    let base = this.db.selectFrom('schedule_job').selectAll();
    if (filter.scheduleId !== undefined) base = base.where('schedule_id', '=', filter.scheduleId);
    if (filter.status !== undefined) base = base.where('status', '=', filter.status);
    const key = [
      { ref: 'schedule_job.created_at', type: 'string' as const, value: (r: JobRow) => r.created_at },
      { ref: 'schedule_job.id', type: 'string' as const, value: (r: JobRow) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'desc', request), mapJobRow);
  }

  async unfinishedJobs(): Promise<{ job: ScheduleJob; runner: string | null }[]> {
    const rows = await this.db.selectFrom('schedule_job').selectAll().where('status', 'in', ['queued', 'running']).execute();
    return rows.map((r) => ({ job: mapJobRow(r), runner: r.runner }));
  }

  async acquireLease(name: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
    await this.db.insertInto('scheduler_lease').values({ name, holder, acquired_at: now, expires_at: expiresAt }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const r = await this.db
      .updateTable('scheduler_lease')
      .set({ holder, expires_at: expiresAt })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('scheduler_lease').where('name', '=', name).where('holder', '=', holder).execute();
  }
}
