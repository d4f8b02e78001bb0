/**
 * `plimsoll schedule add|list|remove|run-now|jobs`: assessments that run by themselves. A schedule acts as the
 * user who adds it (--as NAME, PLIMSOLL_USER, else the local operator); `serve` fires it. `run-now` runs it in
 * this process, as its owner, and waits for its jobs.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { UnreachableCaseError } from '../../domain/errors.js';
import { JOB_STATUSES, describeScheduleTarget, type JobStatus, type Schedule, type ScheduleJob } from '../../domain/schedule.js';
import { CliExit, EXIT, table } from '../format.js';
import { collectLabel, intParser } from '../options.js';
import type { CliContext } from '../runtime.js';

interface AddOptions {
  cron: string;
  timezone?: string;
  node?: string;
  label?: Record<string, string>;
  environment?: string;
  benchmark: string;
  profile?: string;
  json?: boolean;
  db?: string;
}

function parseJobStatus(value: string): JobStatus {
  if (!(JOB_STATUSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${JOB_STATUSES.join(', ')}`);
  return value as JobStatus;
}

/** A schedule's state in one cell. */
function stateCell(s: Schedule): string {
  return s.state.status === 'refused' ? `refused since ${s.state.since}: ${s.state.reason}` : 'active';
}

/** Schedules as a table. */
export function formatSchedules(list: readonly Schedule[]): string[] {
  if (list.length === 0) return ['no schedules'];
  return table(
    ['NAME', 'CRON', 'TARGET', 'BENCHMARK', 'OWNER', 'NEXT RUN', 'STATE'],
    list.map((s) => [s.name, `${s.cron}${s.timezone !== 'UTC' ? ` (${s.timezone})` : ''}`, describeScheduleTarget(s.target), s.benchmark + (s.profileId !== undefined ? ` / ${s.profileId}` : ''), s.ownerName, s.nextRunAt ?? '-', stateCell(s)]),
  );
}

/** A job's outcome in one cell. */
export function jobOutcome(j: ScheduleJob): string {
  const s = j.state;
  switch (s.status) {
    case 'queued':
      return 'queued';
    case 'running':
      return `running since ${s.startedAt}`;
    case 'succeeded':
      return `succeeded: assessment ${s.assessmentId}`;
    case 'failed':
      return `failed: ${s.code}: ${s.message}`;
    case 'refused':
      return `refused: ${s.code}: ${s.message}`;
    case 'timed-out':
      return `timed out after ${s.timeoutMs} ms`;
    case 'interrupted':
      return `interrupted: ${s.message}`;
    default:
      throw new UnreachableCaseError(s);
  }
}

/** Jobs as a table. */
export function formatJobs(list: readonly ScheduleJob[]): string[] {
  if (list.length === 0) return ['no jobs'];
  return table(['JOB', 'TRIGGER', 'DUE', 'OUTCOME'], list.map((j) => [j.name, j.trigger, j.dueAt, jobOutcome(j)]));
}

export function registerScheduleCommands(program: Command, ctx: CliContext): void {
  const schedule = program.command('schedule');
  schedule
    .command('add')
    .description('add a schedule that runs as you (--as NAME)')
    .argument('<name>', 'a unique name')
    .requiredOption('--cron <expression>', 'cron expression, e.g. "0 2 * * *" (02:00 daily); 6 fields: seconds first')
    .option('--timezone <iana>', 'time zone of the expression (default UTC)')
    .option('--node <ref>', 'the node (id, name or endpoint)')
    .option('--label <key=value>', 'every node with this label (repeatable: all must match)', collectLabel)
    .option('--environment <name>', 'every node in this environment')
    .requiredOption('--benchmark <ref>', 'benchmark document id or XCCDF benchmark id')
    .option('--profile <id>', 'XCCDF profile id')
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, opts: AddOptions) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const created = await app.services.schedules.create({
          name,
          cron: opts.cron,
          ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
          ...(opts.node !== undefined ? { node: opts.node } : {}),
          ...(opts.label !== undefined ? { labels: opts.label } : {}),
          ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
          benchmark: opts.benchmark,
          ...(opts.profile !== undefined ? { profileId: opts.profile } : {}),
        });
        ctx.io.out(opts.json ? JSON.stringify(created, null, 2) : `added schedule ${created.name} (${created.id}): ${describeScheduleTarget(created.target)}, next run ${created.nextRunAt ?? 'never'}, as ${created.ownerName}`);
      }),
    );
  schedule
    .command('list')
    .description('list schedules')
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (opts: { json?: boolean; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const list = await app.services.schedules.list();
        ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatSchedules(list).join('\n'));
      }),
    );
  schedule
    .command('remove')
    .description('remove a schedule (its owner or an admin); its jobs stay')
    .argument('<ref>', 'schedule id or name')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const removed = await app.services.schedules.remove(ref);
        ctx.io.out(`removed schedule ${removed.name} (${removed.id})`);
      }),
    );
  schedule
    .command('run-now')
    .description("run a schedule now, as its owner, in this process; waits for its jobs (exit 3 when a job did not succeed)")
    .argument('<ref>', 'schedule id or name')
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { json?: boolean; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const jobs = await app.services.schedules.runNow(ref, { wait: true });
        ctx.io.out(opts.json ? JSON.stringify(jobs, null, 2) : formatJobs(jobs).join('\n'));
        const refused = jobs.filter((j) => j.state.status === 'refused');
        if (refused.length > 0) throw new CliExit(EXIT.refused, refused.map((j) => `${j.name}: ${jobOutcome(j)}`));
        const bad = jobs.filter((j) => j.state.status !== 'succeeded');
        if (bad.length > 0) throw new CliExit(EXIT.nodeUnreachable, bad.map((j) => `${j.name}: ${jobOutcome(j)}`));
      }),
    );
  schedule
    .command('jobs')
    .description('list scheduled jobs, newest first')
    .argument('[ref]', 'schedule id or name (default: every schedule)')
    .option('--status <status>', `only this status (${JOB_STATUSES.join(', ')})`, parseJobStatus)
    .option('--limit <n>', 'how many (1 to 100, default 25)', intParser(1, 100))
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string | undefined, opts: { status?: JobStatus; limit?: number; json?: boolean; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const page = await app.services.schedules.jobs({ ...(ref !== undefined ? { schedule: ref } : {}), ...(opts.status !== undefined ? { status: opts.status } : {}) }, { first: opts.limit ?? 25 });
        const jobs = page.edges.map((e) => e.node);
        ctx.io.out(opts.json ? JSON.stringify(jobs, null, 2) : formatJobs(jobs).join('\n'));
      }),
    );
}
