/**
 * Buckets of a posture series and the sweep that fills them (pure). Hour, day and week buckets are fixed
 * lengths from the start of the range; month buckets follow calendar months (UTC), the first one from the start
 * of the range; the last bucket ends with the range. A bucket's posture is each (node, benchmark)'s latest posture
 * finished before the bucket's end, carried forward from earlier runs, except nodes removed by then.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { addPosture, MAX_HISTORY_BUCKETS, passRateOf, zeroPosture, type HistoryBucket, type PosturePoint } from '../domain/history.js';
import type { PostureRow } from '../repositories/posture-repository.js';

/** A bucket: [start, end) in epoch milliseconds. */
export interface Bucket {
  start: number;
  end: number;
}

const FIXED_MS: Record<Exclude<HistoryBucket, 'month'>, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** The buckets of [from, to); BAD_INPUT when there would be more than MAX_HISTORY_BUCKETS. */
export function bucketsOf(from: number, to: number, bucket: HistoryBucket): Bucket[] {
  const refuse = (count: number): PlimsollError =>
    new PlimsollError(ErrorCode.BAD_INPUT, `the range holds ${count} ${bucket} buckets; at most ${MAX_HISTORY_BUCKETS}: choose a shorter range or a longer bucket`);
  const out: Bucket[] = [];
  if (bucket === 'month') {
    const d = new Date(from);
    const months = (new Date(to).getUTCFullYear() - d.getUTCFullYear()) * 12 + new Date(to).getUTCMonth() - d.getUTCMonth() + 1;
    if (months > MAX_HISTORY_BUCKETS) throw refuse(months);
    let start = from;
    for (let k = 1; start < to; k += 1) {
      const end = Math.min(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1), to);
      out.push({ start, end });
      start = end;
    }
    return out;
  }
  const length = FIXED_MS[bucket];
  const count = Math.ceil((to - from) / length);
  if (count > MAX_HISTORY_BUCKETS) throw refuse(count);
  for (let start = from; start < to; start += length) out.push({ start, end: Math.min(start + length, to) });
  return out;
}

/** What the sweep reads: postures before the first bucket and within the buckets, and findings' events. */
export interface SweepInput {
  /** The latest posture of each (node, benchmark) before the first bucket's start. */
  before: readonly PostureRow[];
  /** Postures finished within the buckets, oldest first. */
  within: readonly PostureRow[];
  remediated: readonly { closedAt: string; durationSeconds: number }[];
  opened: readonly string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The points of consecutive buckets. */
export function sweepBuckets(buckets: readonly Bucket[], input: SweepInput): PosturePoint[] {
  const latest = new Map<string, PostureRow>();
  const keyOf = (r: PostureRow): string => `${r.nodeId}\u0000${r.benchmarkId}`;
  for (const r of input.before) latest.set(keyOf(r), r);
  let next = 0;
  const out: PosturePoint[] = [];
  for (const b of buckets) {
    const assessed = new Set<string>();
    while (next < input.within.length && Date.parse(input.within[next]!.finishedAt) < b.end) {
      const r = input.within[next]!;
      latest.set(keyOf(r), r);
      if (Date.parse(r.finishedAt) >= b.start) assessed.add(keyOf(r));
      next += 1;
    }
    const counts = zeroPosture();
    let postures = 0;
    for (const [key, r] of latest) {
      if (r.nodeRemovedAt !== undefined && Date.parse(r.nodeRemovedAt) < b.end) {
        assessed.delete(key);
        continue;
      }
      postures += 1;
      addPosture(counts, r.counts);
    }
    const inBucket = (t: string): boolean => {
      const ms = Date.parse(t);
      return ms >= b.start && ms < b.end;
    };
    const remediated = input.remediated.filter((r) => inBucket(r.closedAt));
    const rate = postures > 0 ? passRateOf(counts) : undefined;
    out.push({
      start: iso(b.start),
      end: iso(b.end),
      postures,
      assessedInBucket: assessed.size,
      ...(postures > 0 ? { counts } : {}),
      ...(rate !== undefined ? { passRate: rate } : {}),
      remediated: remediated.length,
      ...(remediated.length > 0 ? { meanTimeToRemediateSeconds: Math.round(remediated.reduce((s, r) => s + r.durationSeconds, 0) / remediated.length) } : {}),
      opened: input.opened.filter(inBucket).length,
    });
  }
  return out;
}
