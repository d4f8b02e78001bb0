/**
 * Schedules: an assessment that runs by itself, on a cron expression, for one node or for every node a label
 * selector matches, as the user who owns the schedule. Each firing makes one job per node; a job's status is a
 * tagged union, so a refused, timed-out or interrupted run says so instead of looking like a failure.
 *
 * Pure types and functions; the cron arithmetic lives behind the cron repository, time behind the clock.
 */
import type { DockerNode } from './node.js';

/** What a schedule assesses: one node (kept by id, its name at creation for display), or a label selector. */
export type ScheduleTarget =
  | { kind: 'node'; nodeId: string; nodeName: string }
  | { kind: 'selector'; labels: Record<string, string>; environment?: string };

/**
 * Whether the schedule's runs go ahead. `refused`: the last firing was refused because the owner lost the
 * right to run assessments or no longer exists (the reason says which); the next allowed firing clears it.
 */
export type ScheduleState = { status: 'active' } | { status: 'refused'; code: string; reason: string; since: string };

export interface Schedule {
  id: string;
  /** Unique among present schedules, compared case-insensitively. */
  name: string;
  /** A cron expression: five fields (minute precision) or six (seconds first). */
  cron: string;
  /** IANA time zone the expression is read in (default UTC). */
  timezone: string;
  target: ScheduleTarget;
  /** A benchmark document id or XCCDF benchmark id (the latest release at each run). */
  benchmark: string;
  profileId?: string;
  /** The user the runs act as. */
  ownerUserId: string;
  ownerName: string;
  createdAt: string;
  /** The next firing; absent when the expression has no future occurrence. */
  nextRunAt?: string;
  lastFiredAt?: string;
  state: ScheduleState;
  /** Set once removed: the schedule stops firing, its jobs stay readable. */
  removedAt?: string;
}

/** What a user supplies to create a schedule: `node` or `labels`/`environment`, not both. */
export interface ScheduleInput {
  name: string;
  cron: string;
  timezone?: string;
  /** A node id, name or endpoint. */
  node?: string;
  /** Every node carrying all these labels (and in `environment`, when given) at the time of each run. */
  labels?: Record<string, string>;
  environment?: string;
  benchmark: string;
  profileId?: string;
}

/** Why a job exists: its cron time came, it was missed while no server ran (run once at start), or a user asked. */
export type JobTrigger = 'cron' | 'missed' | 'manual';
export const JOB_TRIGGERS: readonly JobTrigger[] = ['cron', 'missed', 'manual'];

/** A job's lifecycle: queued → running → one of the ends. */
export type JobState =
  | { status: 'queued' }
  | { status: 'running'; startedAt: string }
  /** The assessment completed (whatever it found). */
  | { status: 'succeeded'; startedAt: string; finishedAt: string; assessmentId: string }
  /** The assessment could not run or complete; `code` is the public error code. */
  | { status: 'failed'; startedAt?: string; finishedAt: string; code: string; message: string }
  /** The owner may not run it (UNAUTHENTICATED: the owner is gone; FORBIDDEN: the role is no longer enough). */
  | { status: 'refused'; finishedAt: string; code: string; message: string }
  /** The node's run passed the per-node timeout and was stopped. */
  | { status: 'timed-out'; startedAt: string; finishedAt: string; timeoutMs: number }
  /** The process running it stopped before it ended. */
  | { status: 'interrupted'; finishedAt: string; message: string };

export type JobStatus = JobState['status'];
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'refused', 'timed-out', 'interrupted'];

/** One node's run of one firing of a schedule. */
export interface ScheduleJob {
  id: string;
  /** `schedule-name/node-name` (or `schedule-name` when no node matched). */
  name: string;
  scheduleId: string;
  scheduleName: string;
  nodeId?: string;
  nodeName?: string;
  trigger: JobTrigger;
  /** When it was due: the cron time, or when it was asked for. */
  dueAt: string;
  /** Who asked, for manual runs. */
  requestedBy?: string;
  createdAt: string;
  state: JobState;
}

/** True when the job has ended (it will not change any more). */
export function isJobFinished(state: JobState): boolean {
  return state.status !== 'queued' && state.status !== 'running';
}

/** The name of a job of `schedule` on `node`. */
export function jobName(scheduleName: string, nodeName?: string): string {
  return nodeName === undefined ? scheduleName : `${scheduleName}/${nodeName}`;
}

/** The nodes a selector matches: every label present with its value, and the environment when given. */
export function selectNodes(target: Extract<ScheduleTarget, { kind: 'selector' }>, nodes: readonly DockerNode[]): DockerNode[] {
  return nodes.filter(
    (n) =>
      n.removedAt === undefined &&
      Object.entries(target.labels).every(([k, v]) => n.labels[k] === v) &&
      (target.environment === undefined || (n.environment ?? 'default') === target.environment),
  );
}

/** The schedule's target in words, for lists and messages. */
export function describeScheduleTarget(target: ScheduleTarget): string {
  if (target.kind === 'node') return `node ${target.nodeName}`;
  const labels = Object.entries(target.labels).map(([k, v]) => `${k}=${v}`);
  const env = target.environment !== undefined ? [`environment=${target.environment}`] : [];
  const all = [...labels, ...env];
  return all.length === 0 ? 'every node' : `nodes with ${all.join(', ')}`;
}
