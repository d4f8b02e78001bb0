/**
 * Queries of per-target results, paged in the database by row id (keyset pagination): one assessment's
 * results in storage order (index assessment_id, id), and one target's results across assessments, newest
 * first (index node_id, target_kind, target_key, stig_id, assessment_id). Rows are written by the assessment
 * repository, in the transaction that completes a run.
 */
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { StoredTargetResult, TargetLocator, TargetResultFilter } from '../domain/target-results.js';
import { mapTargetResultRow } from './assessment/target-result-rows.js';
import type { Db } from './database/database.js';
import type { Database } from './database/tables.js';

/** A page of rows and whether more follow; `total` counts every match. */
export interface TargetResultPage {
  items: StoredTargetResult[];
  hasMore: boolean;
  total: number;
}

type Query = SelectQueryBuilder<Database, 'target_result', object>;

function ruleMatch(eb: ExpressionBuilder<Database, 'target_result'>, rule: string) {
  return eb.or([eb('stig_id', '=', rule), eb('rule_id', '=', rule)]);
}

export interface TargetResultRepository {
  /** Results of an assessment after row `afterId`, in storage order. */
  page(assessmentId: string, filter: TargetResultFilter, afterId: number | undefined, limit: number): Promise<TargetResultPage>;
  /** Results of one target across assessments, newest first, before row `beforeId`. */
  history(target: TargetLocator, beforeId: number | undefined, limit: number): Promise<TargetResultPage>;
}

export class KyselyTargetResultRepository implements TargetResultRepository {
  constructor(private readonly db: Db) {}

  async page(assessmentId: string, filter: TargetResultFilter, afterId: number | undefined, limit: number): Promise<TargetResultPage> {
    const filtered = (q: Query): Query => {
      let out = q.where('assessment_id', '=', assessmentId);
      if (filter.nodeId !== undefined) out = out.where('node_id', '=', filter.nodeId);
      if (filter.status !== undefined) out = out.where('status', '=', filter.status);
      if (filter.kind !== undefined) out = out.where('target_kind', '=', filter.kind);
      if (filter.key !== undefined) out = out.where('target_key', '=', filter.key);
      if (filter.rule !== undefined) out = out.where((eb) => ruleMatch(eb, filter.rule!));
      return out;
    };
    return this.run(filtered, afterId === undefined ? undefined : ['>', afterId], 'asc', limit);
  }

  async history(target: TargetLocator, beforeId: number | undefined, limit: number): Promise<TargetResultPage> {
    const filtered = (q: Query): Query => {
      let out = q.where('node_id', '=', target.nodeId).where('target_kind', '=', target.kind).where('target_key', '=', target.key);
      if (target.rule !== undefined) out = out.where((eb) => ruleMatch(eb, target.rule!));
      return out;
    };
    return this.run(filtered, beforeId === undefined ? undefined : ['<', beforeId], 'desc', limit);
  }

  private async run(filtered: (q: Query) => Query, cursor: ['>' | '<', number] | undefined, order: 'asc' | 'desc', limit: number): Promise<TargetResultPage> {
    const base = this.db.selectFrom('target_result') as unknown as Query;
    const { total } = await filtered(base)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    let rows = filtered(base).selectAll();
    if (cursor !== undefined) rows = rows.where('id', cursor[0], cursor[1]);
    const found = await rows.orderBy('id', order).limit(limit + 1).execute();
    return { items: found.slice(0, limit).map(mapTargetResultRow), hasMore: found.length > limit, total: Number(total) };
  }
}
