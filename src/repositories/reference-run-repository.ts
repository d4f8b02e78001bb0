/**
 * Reference runs: at most one pinned assessment per (node, XCCDF benchmark id). Pinning again replaces the pin;
 * the audit log keeps who pinned what when. Joined with the node (its name) and the assessment (its start).
 */
import type { Selectable } from './database/kysely.js';
import type { ReferenceRun } from '../domain/drift.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import type { ReferenceRunTable } from './database/tables.js';
import { countOf, keysetPage } from './database/keyset.js';

export interface ReferenceRunRepository {
  /** Pins (or re-pins) and returns the pin, with the one it replaced. */
  pin(pin: Omit<ReferenceRun, 'nodeName' | 'assessmentStartedAt'>): Promise<{ pinned: ReferenceRun; replaced?: ReferenceRun }>;
  /** Removes a pin; returns it, or undefined when there was none. */
  unpin(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined>;
  find(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined>;
  /** The pins of a node (every benchmark). */
  ofNode(nodeId: string): Promise<ReferenceRun[]>;
  /** A page of pins (of one node), by node name then benchmark id. */
  page(filter: { nodeId?: string }, request: PageRequest): Promise<Connection<ReferenceRun>>;
}

type JoinedRow = Selectable<ReferenceRunTable> & { node_name: string; started_at: string };

function mapRow(r: JoinedRow): ReferenceRun {
  return {
    nodeId: r.node_id,
    nodeName: r.node_name,
    benchmarkId: r.benchmark_id,
    assessmentId: r.assessment_id,
    assessmentStartedAt: r.started_at,
    pinnedBy: r.pinned_by,
    ...(r.pinned_by_user_id !== null ? { pinnedByUserId: r.pinned_by_user_id } : {}),
    pinnedAt: r.pinned_at,
    ...(r.note !== null ? { note: r.note } : {}),
  };
}

export class KyselyReferenceRunRepository implements ReferenceRunRepository {
  constructor(private readonly db: Db) {}

  private joined(db: Db = this.db) {
    return db
      .selectFrom('reference_run')
      .innerJoin('node', 'node.id', 'reference_run.node_id')
      .innerJoin('assessment', 'assessment.id', 'reference_run.assessment_id')
      .selectAll('reference_run')
      .select(['node.name as node_name', 'assessment.started_at as started_at']);
  }

  async pin(pin: Omit<ReferenceRun, 'nodeName' | 'assessmentStartedAt'>): Promise<{ pinned: ReferenceRun; replaced?: ReferenceRun }> {
    return this.db.transaction().execute(async (trx) => {
      const one = (db: Db) => this.joined(db).where('reference_run.node_id', '=', pin.nodeId).where('reference_run.benchmark_id', '=', pin.benchmarkId).executeTakeFirst();
      const before = await one(trx);
      await trx.deleteFrom('reference_run').where('node_id', '=', pin.nodeId).where('benchmark_id', '=', pin.benchmarkId).execute();
      await trx
        .insertInto('reference_run')
        .values({
          node_id: pin.nodeId, benchmark_id: pin.benchmarkId, assessment_id: pin.assessmentId, pinned_by: pin.pinnedBy,
          pinned_by_user_id: pin.pinnedByUserId ?? null, pinned_at: pin.pinnedAt, note: pin.note ?? null,
        })
        .execute();
      const row = await one(trx);
      if (row === undefined) throw new Error('reference run vanished inside its transaction');
      return { pinned: mapRow(row), ...(before !== undefined ? { replaced: mapRow(before) } : {}) };
    });
  }

  async unpin(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined> {
    const before = await this.find(nodeId, benchmarkId);
    if (before === undefined) return undefined;
    await this.db.deleteFrom('reference_run').where('node_id', '=', nodeId).where('benchmark_id', '=', benchmarkId).execute();
    return before;
  }

  async find(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined> {
    const row = await this.joined().where('reference_run.node_id', '=', nodeId).where('reference_run.benchmark_id', '=', benchmarkId).executeTakeFirst();
    return row === undefined ? undefined : mapRow(row);
  }

  async ofNode(nodeId: string): Promise<ReferenceRun[]> {
    const rows = await this.joined().where('reference_run.node_id', '=', nodeId).orderBy('reference_run.benchmark_id').execute();
    return rows.map(mapRow);
  }

  async page(filter: { nodeId?: string }, request: PageRequest): Promise<Connection<ReferenceRun>> {
    let base = this.joined();
    if (filter.nodeId !== undefined) base = base.where('reference_run.node_id', '=', filter.nodeId);
    const key = [
      { ref: 'node.name', type: 'string' as const, value: (r: JoinedRow) => r.node_name },
      { ref: 'reference_run.node_id', type: 'string' as const, value: (r: JoinedRow) => r.node_id },
      { ref: 'reference_run.benchmark_id', type: 'string' as const, value: (r: JoinedRow) => r.benchmark_id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), mapRow);
  }
}
