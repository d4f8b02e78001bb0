/** `plimsoll history`: posture over time for a node or the fleet, one row per bucket. */
import { type Command, InvalidArgumentError } from 'commander';
import { HISTORY_BUCKETS, type HistoryBucket, type PostureQuery } from '../../domain/history.js';
import { formatSeries } from '../monitoring-format.js';
import type { CliContext } from '../runtime.js';

function parseBucket(value: string): HistoryBucket {
  if (!(HISTORY_BUCKETS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${HISTORY_BUCKETS.join(', ')}`);
  return value as HistoryBucket;
}

/** The default range: the 30 days before today's end (UTC). */
export function defaultFrom(now: Date): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 29 * 86_400_000);
  return start.toISOString().slice(0, 10);
}

export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .option('--node <ref>', 'one node (id, name or endpoint); default: the fleet')
    .option('--benchmark <id>', 'one XCCDF benchmark id; default: every benchmark')
    .option('--from <date>', 'start (ISO date or date-time with a zone); default: 30 days ago')
    .option('--to <date>', 'end, exclusive (ISO date or date-time with a zone); default: now')
    .option('--bucket <size>', `bucket: ${HISTORY_BUCKETS.join(', ')}`, parseBucket, 'day' as HistoryBucket)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the summary and every bucket as JSON')
    .action(async (opts: { node?: string; benchmark?: string; from?: string; to?: string; bucket: HistoryBucket; db?: string; json?: boolean }) => {
      const query: PostureQuery = {
        from: opts.from ?? defaultFrom(new Date()),
        bucket: opts.bucket,
        ...(opts.to !== undefined ? { to: opts.to } : {}),
        ...(opts.node !== undefined ? { node: opts.node } : {}),
        ...(opts.benchmark !== undefined ? { benchmark: opts.benchmark } : {}),
      };
      const series = await ctx.withApp({ db: opts.db }, ({ services }) => services.history.series(query));
      const scope = `${opts.node !== undefined ? `node ${opts.node}` : 'fleet'}${opts.benchmark !== undefined ? `, ${opts.benchmark}` : ''}`;
      ctx.io.out(opts.json ? JSON.stringify(series, null, 2) : formatSeries(series, scope).join('\n'));
    });
}
