/**
 * Exemptions in SQLite. Rows in, domain types out, through explicit map functions that refuse a row
 * whose lifecycle columns disagree with its status. Transitions are conditional updates on the status
 * they leave, so two concurrent reviewers can't both decide one request.
 *
 * Also the JSON form of the exemption fields of a rule result (`rule_result.exemption_json`), which the
 * assessment repository stores with each result.
 */
import type { Selectable } from './database/kysely.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import { EXEMPTION_KINDS, type Exemption, type ExemptionKind, type ExemptionLifecycle } from '../domain/exemption.js';
import type { RuleExemption, RuleResult } from '../domain/results.js';
import type { Db } from './database/database.js';
import type { ExemptionTable } from './database/tables.js';

type Row = Selectable<ExemptionTable>;

/** The lifecycle columns of a row, all null but those the status uses. */
type LifecycleColumns = Pick<Row, 'status' | 'approved_by' | 'approved_at' | 'rejected_by' | 'rejected_at' | 'revoked_by' | 'revoked_at' | 'reason'>;

function corrupt(row: Pick<Row, 'id'>, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.INTERNAL, `stored exemption ${row.id} ${why}`);
}

function required(row: Row, value: string | null, column: string): string {
  if (value === null) throw corrupt(row, `is ${row.status} without ${column}`);
  return value;
}

function lifecycleOf(row: Row): ExemptionLifecycle {
  switch (row.status) {
    case 'requested':
      return { status: 'requested' };
    case 'approved':
      return { status: 'approved', approvedBy: required(row, row.approved_by, 'approved_by'), approvedAt: required(row, row.approved_at, 'approved_at') };
    case 'rejected':
      return {
        status: 'rejected',
        rejectedBy: required(row, row.rejected_by, 'rejected_by'),
        rejectedAt: required(row, row.rejected_at, 'rejected_at'),
        reason: required(row, row.reason, 'reason'),
      };
    case 'revoked':
      return {
        status: 'revoked',
        approvedBy: required(row, row.approved_by, 'approved_by'),
        approvedAt: required(row, row.approved_at, 'approved_at'),
        revokedBy: required(row, row.revoked_by, 'revoked_by'),
        revokedAt: required(row, row.revoked_at, 'revoked_at'),
        ...(row.reason !== null ? { reason: row.reason } : {}),
      };
    default:
      throw corrupt(row, `has unknown status ${row.status}`);
  }
}

/** The lifecycle as columns. */
export function lifecycleColumns(l: ExemptionLifecycle): LifecycleColumns {
  const none: LifecycleColumns = { status: l.status, approved_by: null, approved_at: null, rejected_by: null, rejected_at: null, revoked_by: null, revoked_at: null, reason: null };
  switch (l.status) {
    case 'requested':
      return none;
    case 'approved':
      return { ...none, approved_by: l.approvedBy, approved_at: l.approvedAt };
    case 'rejected':
      return { ...none, rejected_by: l.rejectedBy, rejected_at: l.rejectedAt, reason: l.reason };
    case 'revoked':
      return { ...none, approved_by: l.approvedBy, approved_at: l.approvedAt, revoked_by: l.revokedBy, revoked_at: l.revokedAt, reason: l.reason ?? null };
    default:
      throw new UnreachableCaseError(l);
  }
}

function labelsOf(row: Row): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(row.labels_json);
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored exemption ${row.id} has labels that are not JSON`, [], { cause: e });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw corrupt(row, 'has labels that are not a string map');
  }
  return value as Record<string, string>;
}

function kindOf(row: Row): ExemptionKind {
  if (!(EXEMPTION_KINDS as readonly string[]).includes(row.kind)) throw corrupt(row, `has unknown kind ${row.kind}`);
  return row.kind as ExemptionKind;
}

/** Row → domain. */
export function mapExemptionRow(row: Row): Exemption {
  return {
    id: row.id,
    name: row.name,
    kind: kindOf(row),
    rule: row.rule,
    target: {
      ...(row.all_targets !== 0 ? { allTargets: true } : {}),
      ...(row.container_pattern !== null ? { container: row.container_pattern } : {}),
      labels: labelsOf(row),
      ...(row.node_ref !== null ? { node: row.node_ref } : {}),
    },
    justification: row.justification,
    requestedBy: row.requested_by,
    ...(row.requested_by_user !== null ? { requestedByUserId: row.requested_by_user } : {}),
    requestedByTokenId: row.requested_by_token,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    lifecycle: lifecycleOf(row),
  };
}

/** Domain → row. */
export function toExemptionRow(e: Exemption): Row {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    all_targets: e.target.allTargets === true ? 1 : 0,
    rule: e.rule,
    container_pattern: e.target.container ?? null,
    labels_json: JSON.stringify(e.target.labels),
    node_ref: e.target.node ?? null,
    justification: e.justification,
    requested_by: e.requestedBy,
    requested_by_token: e.requestedByTokenId,
    requested_by_user: e.requestedByUserId ?? null,
    requested_at: e.requestedAt,
    expires_at: e.expiresAt,
    ...lifecycleColumns(e.lifecycle),
  };
}

export interface ExemptionRepository {
  insert(e: Exemption): Promise<void>;
  get(id: string): Promise<Exemption | undefined>;
  /** Oldest first. */
  list(filter?: { statuses?: readonly ExemptionLifecycle['status'][] }): Promise<Exemption[]>;
  /** Stores `next` when the row is still in status `from`; false otherwise (someone decided first). */
  transition(id: string, from: ExemptionLifecycle['status'], next: ExemptionLifecycle): Promise<boolean>;
}

/** The Kysely implementation. */
export class KyselyExemptionRepository implements ExemptionRepository {
  constructor(private readonly db: Db) {}

  async insert(e: Exemption): Promise<void> {
    await this.db.insertInto('exemption').values(toExemptionRow(e)).execute();
  }

  async get(id: string): Promise<Exemption | undefined> {
    const row = await this.db.selectFrom('exemption').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? mapExemptionRow(row) : undefined;
  }

  async list(filter: { statuses?: readonly ExemptionLifecycle['status'][] } = {}): Promise<Exemption[]> {
    let q = this.db.selectFrom('exemption').selectAll();
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return [];
      q = q.where('status', 'in', [...filter.statuses]);
    }
    const rows = await q.orderBy('requested_at').orderBy('id').execute();
    return rows.map(mapExemptionRow);
  }

  async transition(id: string, from: ExemptionLifecycle['status'], next: ExemptionLifecycle): Promise<boolean> {
    const res = await this.db.updateTable('exemption').set(lifecycleColumns(next)).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}

/** The exemption fields of a rule result as stored JSON; null when it has none. */
export function ruleExemptionToJson(r: Pick<RuleResult, 'exemption' | 'expiredExemptions'>): string | null {
  const expired = r.expiredExemptions ?? [];
  if (r.exemption === undefined && expired.length === 0) return null;
  return JSON.stringify({ ...(r.exemption !== undefined ? { exemption: r.exemption } : {}), ...(expired.length > 0 ? { expiredExemptions: expired } : {}) });
}

/** The exemption fields of a stored rule result (`where` names it in errors). */
export function ruleExemptionFromJson(text: string | null, where: string): Pick<RuleResult, 'exemption' | 'expiredExemptions'> {
  if (text === null) return {};
  let value: { exemption?: RuleExemption; expiredExemptions?: RuleResult['expiredExemptions'] };
  try {
    value = JSON.parse(text) as typeof value;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored exemption of ${where} is not valid JSON`, [], { cause: e });
  }
  if (value === null || typeof value !== 'object') throw new PlimsollError(ErrorCode.INTERNAL, `stored exemption of ${where} is not an object`);
  return {
    ...(value.exemption !== undefined ? { exemption: value.exemption } : {}),
    ...(value.expiredExemptions !== undefined && value.expiredExemptions.length > 0 ? { expiredExemptions: value.expiredExemptions } : {}),
  };
}
