/** Rows of `target_result` and `assessment_node` ↔ domain types, through explicit map functions. */
import type { Selectable } from '../database/kysely.js';
import { type AssessedNode, NODE_FAILURE_REASONS, type NodeFailureReason, type NodeRunStatus } from '../../domain/assessment.js';
import type { AssetFacts } from '../../domain/asset.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { FindingHistoryEntry } from '../../domain/poam.js';
import type { Observation, Severity } from '../../domain/results.js';
import { isAssessedTargetKind, TARGET_STATUSES, type StoredTargetResult, type TargetResult, type TargetStatus } from '../../domain/target-results.js';
import type { AssessmentNodeTable, TargetResultTable } from '../database/tables.js';

const STATUSES: ReadonlySet<string> = new Set<string>(TARGET_STATUSES);
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['high', 'medium', 'low', 'unknown']);

/** A per-target result to store: the result and when its node's facts were collected. */
export type NewTargetResult = TargetResult & { collectedAt: string };

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not valid JSON`, [], { cause: e });
  }
}

/** Domain → row (without the generated id). */
export function toTargetResultRow(assessmentId: string, t: NewTargetResult): Omit<Selectable<TargetResultTable>, 'id'> {
  return {
    assessment_id: assessmentId,
    node_id: t.nodeId,
    rule_id: t.ruleId,
    stig_id: t.stigId,
    check_content_hash: t.checkContentHash,
    severity: t.severity,
    target_kind: t.target.kind,
    target_key: t.target.key,
    target_id: t.target.id,
    target_name: t.target.name,
    target_image: t.target.image ?? null,
    status: t.status,
    message: t.message,
    observations_json: JSON.stringify(t.observations),
    exempted_by: t.exemptedBy ?? null,
    collected_at: t.collectedAt,
    attested_by: t.attestedBy ?? null,
  };
}

/** Row → domain. */
export function mapTargetResultRow(row: Selectable<TargetResultTable>): StoredTargetResult {
  const where = `target result ${row.id}`;
  if (!STATUSES.has(row.status)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown status ${row.status}`);
  if (!SEVERITIES.has(row.severity)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown severity ${row.severity}`);
  if (!isAssessedTargetKind(row.target_kind)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown target kind ${row.target_kind}`);
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    nodeId: row.node_id,
    ruleId: row.rule_id,
    stigId: row.stig_id,
    checkContentHash: row.check_content_hash,
    severity: row.severity as Severity,
    target: { kind: row.target_kind, key: row.target_key, id: row.target_id, name: row.target_name, ...(row.target_image !== null ? { image: row.target_image } : {}) },
    status: row.status as TargetStatus,
    message: row.message,
    observations: parseJson<Observation[]>(row.observations_json, `observations of ${where}`),
    ...(row.exempted_by !== null ? { exemptedBy: row.exempted_by } : {}),
    ...(row.attested_by !== null ? { attestedBy: row.attested_by } : {}),
    collectedAt: row.collected_at,
  };
}

/** The status columns of a node row. */
export function nodeStatusColumns(status: NodeRunStatus): Pick<Selectable<AssessmentNodeTable>, 'status' | 'failure_reason' | 'message' | 'collected_at' | 'facts_sha256'> {
  switch (status.state) {
    case 'pending':
      return { status: 'pending', failure_reason: null, message: null, collected_at: null, facts_sha256: null };
    case 'collected':
      return { status: 'collected', failure_reason: null, message: null, collected_at: status.collectedAt, facts_sha256: status.factsSha256 };
    case 'failed':
      return { status: 'failed', failure_reason: status.reason, message: status.message, collected_at: null, facts_sha256: null };
    case 'interrupted':
      return { status: 'interrupted', failure_reason: null, message: status.message, collected_at: null, facts_sha256: null };
  }
}

function statusOf(row: Selectable<AssessmentNodeTable>): NodeRunStatus {
  const where = `node ${row.node_id} of assessment ${row.assessment_id}`;
  switch (row.status) {
    case 'pending':
      return { state: 'pending' };
    case 'collected':
      return { state: 'collected', collectedAt: row.collected_at ?? '', factsSha256: row.facts_sha256 ?? '' };
    case 'failed': {
      const reason = (NODE_FAILURE_REASONS as readonly string[]).includes(row.failure_reason ?? '') ? (row.failure_reason as NodeFailureReason) : 'unknown';
      return { state: 'failed', reason, message: row.message ?? '' };
    }
    case 'interrupted':
      return { state: 'interrupted', message: row.message ?? '' };
    default:
      throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown status ${row.status}`);
  }
}

/** Row → domain. */
export function mapAssessmentNodeRow(row: Selectable<AssessmentNodeTable>): AssessedNode {
  return {
    nodeId: row.node_id,
    name: row.node_name,
    endpoint: row.endpoint,
    status: statusOf(row),
    ...(row.asset_json !== null ? { asset: parseJson<AssetFacts>(row.asset_json, `asset facts of node ${row.node_id} in assessment ${row.assessment_id}`) } : {}),
  };
}

/** An earlier verdict row (the POA&M carry-over's read) → domain, refusing unknown kinds and statuses. */
export function mapFindingHistoryRow(row: { id: number; nodeId: string; stigId: string; kind: string; key: string; status: string; collectedAt: string }): FindingHistoryEntry {
  const where = `target result ${row.id}`;
  if (!STATUSES.has(row.status)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown status ${row.status}`);
  if (!isAssessedTargetKind(row.kind)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown target kind ${row.kind}`);
  return { nodeId: row.nodeId, stigId: row.stigId, kind: row.kind, key: row.key, status: row.status as TargetStatus, collectedAt: row.collectedAt };
}
