/**
 * Queries of per-target results, paged in the database with the shared keyset helper (row id as the key): one
 * assessment's results in storage order (index assessment_id, id), and one target's results across
 * assessments, newest first (index node_id, target_kind, target_key, stig_id, assessment_id). Rows are written
 * by the assessment repository, in the transaction that completes a run.
 */
import type { ExpressionBuilder } from './database/kysely.js';
import { type EarlierFinding, openFindings } from '../domain/poam.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { StoredTargetResult, TargetLocator, TargetResultFilter } from '../domain/target-results.js';
import { mapFindingHistoryRow, mapTargetResultRow } from './assessment/target-result-rows.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { Database } from './database/tables.js';

function ruleMatch(eb: ExpressionBuilder<Database, 'target_result'>, rule: string) {
  return eb.or([eb('stig_id', '=', rule), eb('rule_id', '=', rule)]);
}

export interface TargetResultRepository {
  /** One result by its row id. */
  find(id: number): Promise<StoredTargetResult | undefined>;
  /** A page of an assessment's results, in storage order. */
  page(assessmentId: string, filter: TargetResultFilter, request: PageRequest): Promise<Connection<StoredTargetResult>>;
  /** All results of an assessment (of one node), in storage order: what its reports are built from. */
  list(assessmentId: string, nodeId?: string): Promise<StoredTargetResult[]>;
  /** A page of one target's results across assessments, newest first. */
  history(target: TargetLocator, request: PageRequest): Promise<Connection<StoredTargetResult>>;
  /**
   * The findings failing in this assessment (optionally on one node) that were already open at the node's
   * latest earlier completed assessment, with their first observation: the POA&M's carry-over.
   */
  earlierFindings(assessmentId: string, nodeId?: string): Promise<EarlierFinding[]>;
}

const BY_ID = [{ ref: 'target_result.id', type: 'number' as const, value: (r: { id: number }) => r.id }];

export class KyselyTargetResultRepository implements TargetResultRepository {
  constructor(private readonly db: Db) {}

  async find(id: number): Promise<StoredTargetResult | undefined> {
    const row = await this.db.selectFrom('target_result').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapTargetResultRow(row);
  }

  async page(assessmentId: string, filter: TargetResultFilter, request: PageRequest): Promise<Connection<StoredTargetResult>> {
    let base = this.db.selectFrom('target_result').selectAll().where('assessment_id', '=', assessmentId);
    if (filter.nodeId !== undefined) base = base.where('node_id', '=', filter.nodeId);
    if (filter.status !== undefined) base = base.where('status', '=', filter.status);
    if (filter.kind !== undefined) base = base.where('target_kind', '=', filter.kind);
    if (filter.key !== undefined) base = base.where('target_key', '=', filter.key);
    if (filter.rule !== undefined) base = base.where((eb) => ruleMatch(eb, filter.rule!));
    return mapNodes(await keysetPage(base, countOf(base), BY_ID, 'asc', request), mapTargetResultRow);
  }

  async list(assessmentId: string, nodeId?: string): Promise<StoredTargetResult[]> {
    let q = this.db.selectFrom('target_result').selectAll().where('assessment_id', '=', assessmentId);
    if (nodeId !== undefined) q = q.where('node_id', '=', nodeId);
    return (await q.orderBy('id').execute()).map(mapTargetResultRow);
  }

  async history(target: TargetLocator, request: PageRequest): Promise<Connection<StoredTargetResult>> {
    let base = this.db.selectFrom('target_result').selectAll().where('node_id', '=', target.nodeId).where('target_kind', '=', target.kind).where('target_key', '=', target.key);
    if (target.rule !== undefined) base = base.where((eb) => ruleMatch(eb, target.rule!));
    return mapNodes(await keysetPage(base, countOf(base), BY_ID, 'desc', request), mapTargetResultRow);
  }

  async earlierFindings(assessmentId: string, nodeId?: string): Promise<EarlierFinding[]> {
    // Every earlier verdict on a target that fails now, by node, kind, key and STIG id (the target index):
    // completed assessments started before this one, oldest first.
    let query = this.db
      .selectFrom('target_result as cur')
      .innerJoin('assessment as cur_run', 'cur_run.id', 'cur.assessment_id')
      .innerJoin('target_result as prev', (join) =>
        join.onRef('prev.node_id', '=', 'cur.node_id').onRef('prev.target_kind', '=', 'cur.target_kind').onRef('prev.target_key', '=', 'cur.target_key').onRef('prev.stig_id', '=', 'cur.stig_id'),
      )
      .innerJoin('assessment as prev_run', 'prev_run.id', 'prev.assessment_id')
      .where('cur.assessment_id', '=', assessmentId)
      .where('cur.status', '=', 'fail')
      .where('prev_run.status', '=', 'completed')
      .whereRef('prev_run.started_at', '<', 'cur_run.started_at')
      .select(['prev.node_id as nodeId', 'prev.stig_id as stigId', 'prev.target_kind as kind', 'prev.target_key as key', 'prev.status as status', 'prev.collected_at as collectedAt', 'prev.id as id'])
      .orderBy('prev_run.started_at')
      .orderBy('prev.id');
    if (nodeId !== undefined) query = query.where('cur.node_id', '=', nodeId);
    const rows = await query.execute();
    return openFindings(rows.map(mapFindingHistoryRow));
  }
}
