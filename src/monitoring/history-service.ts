/**
 * Posture over time: a node's (or the fleet's) posture per bucket of a capped range, with findings opened and
 * remediated and the mean time to remediate. Each page of buckets costs one range read of the postures and
 * findings events it covers plus one grouped read of the postures before it.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { addPosture, HISTORY_BUCKETS, passRateOf, zeroPosture, type PosturePoint, type PostureQuery, type PostureSeries, type PostureSummary } from '../domain/history.js';
import { connectionOfList, mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { HistoryService, NodeService } from '../domain/services.js';
import type { PostureRepository, PostureScope } from '../repositories/posture-repository.js';
import { bucketsOf, sweepBuckets, type Bucket } from './history-buckets.js';

export interface DefaultHistoryServiceDeps {
  postures: PostureRepository;
  nodes: Pick<NodeService, 'find'>;
  now?: () => Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date (midnight UTC) or date-time with a zone, as epoch milliseconds; BAD_INPUT otherwise. */
function instant(value: string, name: string): number {
  const ms = DATE_ONLY.test(value) ? Date.parse(`${value}T00:00:00Z`) : DATE_TIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new PlimsollError(ErrorCode.BAD_INPUT, `${name} must be an ISO date (2027-01-31) or date-time with a zone (2027-01-31T12:00:00Z), got ${JSON.stringify(value.slice(0, 40))}`);
  return ms;
}

interface Resolved {
  scope: PostureScope;
  from: number;
  to: number;
  buckets: Bucket[];
  query: PostureQuery;
}

export class DefaultHistoryService implements HistoryService {
  private readonly now: () => Date;

  constructor(private readonly deps: DefaultHistoryServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async summary(query: PostureQuery): Promise<PostureSummary> {
    const r = await this.resolve(query);
    const from = new Date(r.from).toISOString();
    const to = new Date(r.to).toISOString();
    const [latest, remediated, opened, stillOpen] = await Promise.all([
      this.deps.postures.latestBefore(r.scope, to),
      this.deps.postures.remediatedBetween(r.scope, from, to),
      this.deps.postures.openedBetween(r.scope, from, to),
      this.deps.postures.openAt(r.scope, to),
    ]);
    const counts = zeroPosture();
    let postures = 0;
    for (const p of latest) {
      if (p.nodeRemovedAt !== undefined && p.nodeRemovedAt < to) continue;
      postures += 1;
      addPosture(counts, p.counts);
    }
    const rate = postures > 0 ? passRateOf(counts) : undefined;
    return {
      from, to, bucket: query.bucket, bucketCount: r.buckets.length,
      ...(r.scope.nodeId !== undefined ? { nodeId: r.scope.nodeId } : {}), ...(r.scope.benchmarkId !== undefined ? { benchmarkId: r.scope.benchmarkId } : {}),
      latest: { postures, ...(postures > 0 ? { counts } : {}), ...(rate !== undefined ? { passRate: rate } : {}) },
      remediated: remediated.length,
      ...(remediated.length > 0 ? { meanTimeToRemediateSeconds: Math.round(remediated.reduce((s, x) => s + x.durationSeconds, 0) / remediated.length) } : {}),
      opened: opened.length,
      stillOpen,
    };
  }

  async points(query: PostureQuery, page: PageRequest = {}): Promise<Connection<PosturePoint>> {
    const r = await this.resolve(query);
    const positions = connectionOfList(r.buckets.map((_, i) => i), page);
    const indexes = positions.edges.map((e) => e.node);
    if (indexes.length === 0) return mapNodes(positions, () => undefined as never);
    const first = Math.min(...indexes);
    const last = Math.max(...indexes);
    const points = await this.sweep(r.scope, r.buckets.slice(first, last + 1));
    return mapNodes(positions, (i) => points[i - first]!);
  }

  async series(query: PostureQuery): Promise<PostureSeries> {
    const r = await this.resolve(query);
    const [summary, points] = await Promise.all([this.summary(query), this.sweep(r.scope, r.buckets)]);
    return { summary, points };
  }

  private async sweep(scope: PostureScope, buckets: readonly Bucket[]): Promise<PosturePoint[]> {
    const from = new Date(buckets[0]!.start).toISOString();
    const to = new Date(buckets[buckets.length - 1]!.end).toISOString();
    const [before, within, remediated, opened] = await Promise.all([
      this.deps.postures.latestBefore(scope, from),
      this.deps.postures.posturesBetween(scope, from, to),
      this.deps.postures.remediatedBetween(scope, from, to),
      this.deps.postures.openedBetween(scope, from, to),
    ]);
    return sweepBuckets(buckets, { before, within, remediated, opened });
  }

  private async resolve(query: PostureQuery): Promise<Resolved> {
    if (!HISTORY_BUCKETS.includes(query.bucket)) throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown bucket "${query.bucket}"; one of ${HISTORY_BUCKETS.join(', ')}`);
    const from = instant(query.from, 'from');
    const to = query.to !== undefined ? instant(query.to, 'to') : this.now().getTime();
    if (from >= to) throw new PlimsollError(ErrorCode.BAD_INPUT, `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`);
    const buckets = bucketsOf(from, to, query.bucket);
    const scope: PostureScope = {};
    if (query.node !== undefined) {
      const node = await this.deps.nodes.find(query.node, { includeRemoved: true });
      if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${query.node}" (by id, name or endpoint)`);
      scope.nodeId = node.id;
    }
    if (query.benchmark !== undefined) scope.benchmarkId = query.benchmark;
    return { scope, from, to, buckets, query };
  }
}
