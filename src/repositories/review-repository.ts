/**
 * Manual reviews in the database. Rows in, domain types out, through explicit map functions that refuse a
 * row whose lifecycle columns disagree with its state. Changes are conditional updates on the state (and
 * `updated_at`) they leave, so two people can't both decide (or edit) one review. Evidence files are kept by
 * sha256 once, however many reviews attach them.
 */
import type { Selectable } from './database/kysely.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import {
  type ManualReview,
  REVIEW_RESULTS,
  type ReviewEvidence,
  type ReviewExpiry,
  type ReviewLifecycle,
  type ReviewOrigin,
  type ReviewPerson,
  type ReviewResult,
  type ReviewScope,
  type ReviewState,
} from '../domain/review.js';
import type { Db } from './database/database.js';
import type { ManualReviewTable } from './database/tables.js';

type Row = Selectable<ManualReviewTable>;
type LifecycleColumns = Pick<
  Row,
  'state' | 'submitted_by_user' | 'submitted_by' | 'submitted_at' | 'decided_by_user' | 'decided_by' | 'decided_at' | 'expires_at' | 'reason'
>;

function corrupt(row: Pick<Row, 'id'>, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.INTERNAL, `stored review ${row.id} ${why}`);
}

function req(row: Row, value: string | null, column: string): string {
  if (value === null) throw corrupt(row, `is ${row.state} without ${column}`);
  return value;
}

function person(row: Row, userId: string | null, name: string | null, what: string): ReviewPerson {
  return { userId: req(row, userId, `${what}_user`), name: req(row, name, what) };
}

function json<T>(row: Row, text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored review ${row.id} has ${what} that is not JSON`, [], { cause: e });
  }
}

function lifecycleOf(row: Row): ReviewLifecycle {
  if (row.state === 'draft') return { state: 'draft' };
  const submitted = { submittedBy: person(row, row.submitted_by_user, row.submitted_by, 'submitted_by'), submittedAt: req(row, row.submitted_at, 'submitted_at') };
  switch (row.state) {
    case 'submitted':
      return { state: 'submitted', ...submitted };
    case 'accepted':
      return {
        state: 'accepted',
        ...submitted,
        acceptedBy: person(row, row.decided_by_user, row.decided_by, 'decided_by'),
        acceptedAt: req(row, row.decided_at, 'decided_at'),
        expiresAt: req(row, row.expires_at, 'expires_at'),
      };
    case 'rejected':
      return {
        state: 'rejected',
        ...submitted,
        rejectedBy: person(row, row.decided_by_user, row.decided_by, 'decided_by'),
        rejectedAt: req(row, row.decided_at, 'decided_at'),
        reason: req(row, row.reason, 'reason'),
      };
    default:
      throw corrupt(row, `has unknown state ${row.state}`);
  }
}

/** The lifecycle as columns. */
export function reviewLifecycleColumns(l: ReviewLifecycle): LifecycleColumns {
  const none: LifecycleColumns = {
    state: l.state, submitted_by_user: null, submitted_by: null, submitted_at: null, decided_by_user: null, decided_by: null, decided_at: null, expires_at: null, reason: null,
  };
  switch (l.state) {
    case 'draft':
      return none;
    case 'submitted':
    case 'accepted':
    case 'rejected': {
      const submitted = { ...none, submitted_by_user: l.submittedBy.userId, submitted_by: l.submittedBy.name, submitted_at: l.submittedAt };
      if (l.state === 'submitted') return submitted;
      if (l.state === 'accepted') return { ...submitted, decided_by_user: l.acceptedBy.userId, decided_by: l.acceptedBy.name, decided_at: l.acceptedAt, expires_at: l.expiresAt };
      return { ...submitted, decided_by_user: l.rejectedBy.userId, decided_by: l.rejectedBy.name, decided_at: l.rejectedAt, reason: l.reason };
    }
    default:
      throw new UnreachableCaseError(l);
  }
}

function scopeOf(row: Row): ReviewScope {
  switch (row.scope_kind) {
    case 'all-nodes':
      return { kind: 'all-nodes' };
    case 'node':
      return { kind: 'node', nodeId: req(row, row.scope_node_id, 'scope_node_id'), nodeName: req(row, row.scope_node_name, 'scope_node_name') };
    case 'labels': {
      const labels = json<unknown>(row, req(row, row.scope_labels_json, 'scope_labels_json'), 'scope labels');
      if (labels === null || typeof labels !== 'object' || Array.isArray(labels) || !Object.values(labels).every((v) => typeof v === 'string')) {
        throw corrupt(row, 'has scope labels that are not a string map');
      }
      return { kind: 'labels', labels: labels as Record<string, string> };
    }
    default:
      throw corrupt(row, `has unknown scope kind ${row.scope_kind}`);
  }
}

function expiryOf(row: Row): ReviewExpiry {
  if (row.expiry_kind === 'date') return { kind: 'date', date: row.expiry_value };
  if (row.expiry_kind === 'period') return { kind: 'period', period: row.expiry_value };
  throw corrupt(row, `has unknown expiry kind ${row.expiry_kind}`);
}

/** Row → domain. */
export function mapReviewRow(row: Row): ManualReview {
  if (!(REVIEW_RESULTS as readonly string[]).includes(row.result)) throw corrupt(row, `has unknown result ${row.result}`);
  if (row.origin !== 'manual' && row.origin !== 'import') throw corrupt(row, `has unknown origin ${row.origin}`);
  const evidence = json<ReviewEvidence[]>(row, row.evidence_json, 'evidence');
  if (!Array.isArray(evidence)) throw corrupt(row, 'has evidence that is not a list');
  return {
    id: row.id,
    rule: { benchmarkId: row.benchmark_id, stigId: row.stig_id, checkContentHash: row.check_content_hash, ruleId: row.rule_id, ...(row.release !== null ? { release: row.release } : {}) },
    scope: scopeOf(row),
    result: row.result as ReviewResult,
    statement: row.statement,
    evidence,
    expiry: expiryOf(row),
    origin: row.origin as ReviewOrigin,
    createdBy: { userId: row.created_by_user, name: row.created_by },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lifecycle: lifecycleOf(row),
  };
}

/** The editable (draft) columns of a review. */
function contentColumns(r: ManualReview): Pick<Row, 'scope_kind' | 'scope_node_id' | 'scope_node_name' | 'scope_labels_json' | 'result' | 'statement' | 'evidence_json' | 'expiry_kind' | 'expiry_value' | 'updated_at'> {
  return {
    scope_kind: r.scope.kind,
    scope_node_id: r.scope.kind === 'node' ? r.scope.nodeId : null,
    scope_node_name: r.scope.kind === 'node' ? r.scope.nodeName : null,
    scope_labels_json: r.scope.kind === 'labels' ? JSON.stringify(r.scope.labels) : null,
    result: r.result,
    statement: r.statement,
    evidence_json: JSON.stringify(r.evidence),
    expiry_kind: r.expiry.kind,
    expiry_value: r.expiry.kind === 'date' ? r.expiry.date : r.expiry.period,
    updated_at: r.updatedAt,
  };
}

/** Domain → row. */
export function toReviewRow(r: ManualReview): Row {
  return {
    id: r.id,
    benchmark_id: r.rule.benchmarkId,
    stig_id: r.rule.stigId,
    check_content_hash: r.rule.checkContentHash,
    rule_id: r.rule.ruleId,
    release: r.rule.release ?? null,
    ...contentColumns(r),
    origin: r.origin,
    created_by_user: r.createdBy.userId,
    created_by: r.createdBy.name,
    created_at: r.createdAt,
    ...reviewLifecycleColumns(r.lifecycle),
  };
}

/** An evidence file's bytes, by content hash. */
export interface EvidenceFileBody {
  sha256: string;
  content: Uint8Array;
}

/** Which reviews to read; every field narrows. */
export interface ReviewRowFilter {
  states?: readonly ReviewState[];
  stigId?: string;
  benchmarkId?: string;
}

export interface ReviewRepository {
  /** Stores the reviews and their evidence files in one transaction (all or nothing). */
  insert(reviews: readonly ManualReview[], files: readonly EvidenceFileBody[]): Promise<void>;
  get(id: string): Promise<ManualReview | undefined>;
  /** Oldest first. */
  list(filter?: ReviewRowFilter): Promise<ManualReview[]>;
  /**
   * Stores `next` (content and lifecycle) when the row is still as `current` left it (same state and
   * updated_at), with any new evidence files; false otherwise (someone changed it first).
   */
  replace(current: ManualReview, next: ManualReview, files: readonly EvidenceFileBody[]): Promise<boolean>;
  /** An evidence file's bytes, or undefined. */
  evidenceFile(sha256: string): Promise<Uint8Array | undefined>;
}

/** The Kysely implementation. */
export class KyselyReviewRepository implements ReviewRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async insert(reviews: readonly ManualReview[], files: readonly EvidenceFileBody[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await putFiles(trx, files, this.now());
      for (const r of reviews) await trx.insertInto('manual_review').values(toReviewRow(r)).execute();
    });
  }

  async get(id: string): Promise<ManualReview | undefined> {
    const row = await this.db.selectFrom('manual_review').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? mapReviewRow(row) : undefined;
  }

  async list(filter: ReviewRowFilter = {}): Promise<ManualReview[]> {
    let q = this.db.selectFrom('manual_review').selectAll();
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return [];
      q = q.where('state', 'in', [...filter.states]);
    }
    if (filter.stigId !== undefined) q = q.where('stig_id', '=', filter.stigId);
    if (filter.benchmarkId !== undefined) q = q.where('benchmark_id', '=', filter.benchmarkId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(mapReviewRow);
  }

  async replace(current: ManualReview, next: ManualReview, files: readonly EvidenceFileBody[]): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('manual_review')
        .set({ ...contentColumns(next), ...reviewLifecycleColumns(next.lifecycle) })
        .where('id', '=', current.id)
        .where('state', '=', current.lifecycle.state)
        .where('updated_at', '=', current.updatedAt)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await putFiles(trx, files, this.now());
      return true;
    });
  }

  async evidenceFile(sha256: string): Promise<Uint8Array | undefined> {
    const row = await this.db.selectFrom('review_evidence_file').select('body').where('sha256', '=', sha256).executeTakeFirst();
    return row === undefined ? undefined : new Uint8Array(Buffer.from(row.body, 'base64'));
  }
}

/** Inserts the files not stored yet (a hash already there is the same bytes). */
async function putFiles(db: Db, files: readonly EvidenceFileBody[], now: Date): Promise<void> {
  for (const f of files) {
    const there = await db.selectFrom('review_evidence_file').select('sha256').where('sha256', '=', f.sha256).executeTakeFirst();
    if (there !== undefined) continue;
    await db.insertInto('review_evidence_file').values({ sha256: f.sha256, size: f.content.byteLength, body: Buffer.from(f.content).toString('base64'), created_at: now.toISOString() }).execute();
  }
}
