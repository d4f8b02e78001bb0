/**
 * Remediation plans, their items, Engine API calls and sealed secrets, through Kysely (portable SQL only).
 * A plan and its items are inserted in one transaction; lifecycle transitions are conditional updates on the
 * status they leave, so two admins can't both apply one plan; a call is inserted before it is made and
 * answered after, so a dying process leaves it visible; a sealed secret is taken (read and cleared) in one
 * transaction, so it is shown once.
 */
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { EngineAnswer, EngineCallRecord, ItemVerification, RemediationItem, RemediationLifecycle, RemediationPlan, RemediationPlanFilter, RemediationPlanStatus } from '../domain/remediation.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import { lifecycleColumns, mapCallRow, mapItemRow, mapPlanRow, toItemRow, toPlanRow, type PlanRow } from './remediation/plan-rows.js';

export type PlanFilter = RemediationPlanFilter;

/** A call as recorded before it is made. */
export type NewEngineCall = Omit<EngineCallRecord, 'sequence' | 'finishedAt' | 'outcome' | 'httpStatus' | 'errorCode' | 'note'>;

export interface RemediationRepository {
  insert(plan: RemediationPlan, items: readonly RemediationItem[]): Promise<void>;
  get(id: string): Promise<RemediationPlan | undefined>;
  /** Newest first. */
  page(filter: PlanFilter, request: PageRequest): Promise<Connection<RemediationPlan>>;
  list(filter: PlanFilter): Promise<RemediationPlan[]>;
  /** Moves the plan from `from` to `next`; false when it was no longer `from`. */
  transition(id: string, from: RemediationPlanStatus, next: RemediationLifecycle): Promise<boolean>;
  /** Items in position order (of one mode when given). */
  items(planId: string, filter: { mode?: 'engine' | 'manual' }, request: PageRequest): Promise<Connection<RemediationItem>>;
  listItems(planId: string): Promise<RemediationItem[]>;
  setVerifications(planId: string, verifications: readonly { position: number; verification: ItemVerification }[]): Promise<void>;
  /** Records a call about to be made (outcome `pending`); returns its sequence number. */
  startCall(call: NewEngineCall): Promise<number>;
  answerCall(sequence: number, answer: EngineAnswer, finishedAt: string): Promise<void>;
  /** Calls in the order they were made. */
  calls(planId: string, request: PageRequest): Promise<Connection<EngineCallRecord>>;
  listCalls(planId: string): Promise<EngineCallRecord[]>;
  /** Marks the calls of a plan still `pending` as `interrupted`; returns how many. */
  interruptCalls(planId: string, note: string, at: string): Promise<number>;
  storeSecret(planId: string, position: number, purpose: string, sealed: string, at: string): Promise<void>;
  /** The sealed secrets of a plan not read yet, left in place. */
  unreadSecrets(planId: string, purpose: string): Promise<{ position: number; sealed: string }[]>;
  /** The sealed secrets of a plan not read yet, cleared (and marked read by `by`) in the same transaction. */
  takeSecrets(planId: string, purpose: string, by: string, at: string): Promise<{ position: number; sealed: string }[]>;
  /** Plans left `applying` (with their runner). */
  listApplying(): Promise<RemediationPlan[]>;
}

const PLAN_KEY = [
  { ref: 'remediation_plan.proposed_at', type: 'string' as const, value: (r: PlanRow) => r.proposed_at },
  { ref: 'remediation_plan.id', type: 'string' as const, value: (r: PlanRow) => r.id },
];
const BY_POSITION = [{ ref: 'remediation_item.position', type: 'number' as const, value: (r: { position: number }) => r.position }];
const BY_CALL = [{ ref: 'remediation_call.id', type: 'number' as const, value: (r: { id: number }) => r.id }];

/** The sealed secrets of a plan not read yet, in position order. */
async function unreadSecretsIn(db: Db, planId: string, purpose: string): Promise<{ position: number; sealed: string }[]> {
  const rows = await db
    .selectFrom('remediation_secret')
    .select(['position', 'sealed_value'])
    .where('plan_id', '=', planId)
    .where('purpose', '=', purpose)
    .where('sealed_value', 'is not', null)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ position: r.position, sealed: r.sealed_value! }));
}

export class KyselyRemediationRepository implements RemediationRepository {
  constructor(private readonly db: Db) {}

  async insert(plan: RemediationPlan, items: readonly RemediationItem[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('remediation_plan').values(toPlanRow(plan)).execute();
      // SQLite caps bound parameters per statement: insert in chunks.
      for (let i = 0; i < items.length; i += 200) {
        await trx.insertInto('remediation_item').values(items.slice(i, i + 200).map((item) => toItemRow(plan.id, item))).execute();
      }
    });
  }

  async get(id: string): Promise<RemediationPlan | undefined> {
    const row = await this.db.selectFrom('remediation_plan').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapPlanRow(row, await this.pendingSecrets(id));
  }

  async page(filter: PlanFilter, request: PageRequest): Promise<Connection<RemediationPlan>> {
    const base = this.filtered(filter);
    const page = await keysetPage(base, countOf(base), PLAN_KEY, 'desc', request);
    const pending = await this.pendingSecretsOf(page.edges.map((e) => e.node.id));
    return mapNodes(page, (row) => mapPlanRow(row, pending.get(row.id) ?? 0));
  }

  async list(filter: PlanFilter): Promise<RemediationPlan[]> {
    const rows = await this.filtered(filter).orderBy('proposed_at', 'desc').orderBy('id', 'desc').execute();
    const pending = await this.pendingSecretsOf(rows.map((r) => r.id));
    return rows.map((row) => mapPlanRow(row, pending.get(row.id) ?? 0));
  }

  async transition(id: string, from: RemediationPlanStatus, next: RemediationLifecycle): Promise<boolean> {
    const result = await this.db.updateTable('remediation_plan').set(lifecycleColumns(next)).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async items(planId: string, filter: { mode?: 'engine' | 'manual' }, request: PageRequest): Promise<Connection<RemediationItem>> {
    let base = this.db.selectFrom('remediation_item').selectAll().where('plan_id', '=', planId);
    if (filter.mode !== undefined) base = base.where('mode', '=', filter.mode);
    return mapNodes(await keysetPage(base, countOf(base), BY_POSITION, 'asc', request), mapItemRow);
  }

  async listItems(planId: string): Promise<RemediationItem[]> {
    const rows = await this.db.selectFrom('remediation_item').selectAll().where('plan_id', '=', planId).orderBy('position').execute();
    return rows.map(mapItemRow);
  }

  async setVerifications(planId: string, verifications: readonly { position: number; verification: ItemVerification }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const { position, verification: v } of verifications) {
        await trx
          .updateTable('remediation_item')
          .set({ verification: v.outcome, verified_status: v.status ?? null, verification_message: v.message })
          .where('plan_id', '=', planId)
          .where('position', '=', position)
          .execute();
      }
    });
  }

  async startCall(call: NewEngineCall): Promise<number> {
    const row = await this.db
      .insertInto('remediation_call')
      .values({ plan_id: call.planId, position: call.position, node_id: call.nodeId, method: call.method, path: call.path, request_json: JSON.stringify(call.request), started_at: call.startedAt, finished_at: null, outcome: 'pending', http_status: null, error_code: null, note: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async answerCall(sequence: number, answer: EngineAnswer, finishedAt: string): Promise<void> {
    await this.db
      .updateTable('remediation_call')
      .set({ outcome: answer.outcome, http_status: answer.httpStatus ?? null, error_code: answer.errorCode ?? null, note: answer.note, finished_at: finishedAt })
      .where('id', '=', sequence)
      .execute();
  }

  async calls(planId: string, request: PageRequest): Promise<Connection<EngineCallRecord>> {
    const base = this.db.selectFrom('remediation_call').selectAll().where('plan_id', '=', planId);
    return mapNodes(await keysetPage(base, countOf(base), BY_CALL, 'asc', request), mapCallRow);
  }

  async listCalls(planId: string): Promise<EngineCallRecord[]> {
    return (await this.db.selectFrom('remediation_call').selectAll().where('plan_id', '=', planId).orderBy('id').execute()).map(mapCallRow);
  }

  async interruptCalls(planId: string, note: string, at: string): Promise<number> {
    const result = await this.db.updateTable('remediation_call').set({ outcome: 'interrupted', note, finished_at: at }).where('plan_id', '=', planId).where('outcome', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async storeSecret(planId: string, position: number, purpose: string, sealed: string, at: string): Promise<void> {
    await this.db.insertInto('remediation_secret').values({ plan_id: planId, position, purpose, sealed_value: sealed, created_at: at, revealed_at: null, revealed_by: null }).execute();
  }

  unreadSecrets(planId: string, purpose: string): Promise<{ position: number; sealed: string }[]> {
    return unreadSecretsIn(this.db, planId, purpose);
  }

  async takeSecrets(planId: string, purpose: string, by: string, at: string): Promise<{ position: number; sealed: string }[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await unreadSecretsIn(trx, planId, purpose);
      await trx.updateTable('remediation_secret').set({ sealed_value: null, revealed_at: at, revealed_by: by }).where('plan_id', '=', planId).where('purpose', '=', purpose).where('sealed_value', 'is not', null).execute();
      return rows;
    });
  }

  async listApplying(): Promise<RemediationPlan[]> {
    return this.list({ status: 'applying' });
  }

  private filtered(filter: PlanFilter) {
    let q = this.db.selectFrom('remediation_plan').selectAll();
    if (filter.assessmentId !== undefined) q = q.where('assessment_id', '=', filter.assessmentId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return q;
  }

  private async pendingSecrets(planId: string): Promise<number> {
    return (await this.pendingSecretsOf([planId])).get(planId) ?? 0;
  }

  private async pendingSecretsOf(planIds: readonly string[]): Promise<Map<string, number>> {
    if (planIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('remediation_secret')
      .select((eb) => ['plan_id', eb.fn.countAll<number>().as('n')])
      .where('plan_id', 'in', planIds)
      .where('sealed_value', 'is not', null)
      .groupBy('plan_id')
      .execute();
    return new Map(rows.map((r) => [r.plan_id, Number(r.n)]));
  }
}
