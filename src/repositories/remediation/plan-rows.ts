/**
 * Rows of remediation plans, items and calls ↔ domain types, through explicit map functions that refuse a row
 * whose lifecycle columns disagree with its status (as exemption rows do).
 */
import type { Selectable } from '../database/kysely.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../../domain/errors.js';
import type {
  Actor,
  EngineCallOutcome,
  EngineCallRecord,
  ItemVerification,
  RemediationAction,
  RemediationItem,
  RemediationLifecycle,
  RemediationPlan,
  RemediationSettings,
  VerificationOutcome,
} from '../../domain/remediation.js';
import type { Severity } from '../../domain/results.js';
import type { AssessedTargetKind, TargetStatus } from '../../domain/target-results.js';
import type { RemediationCallTable, RemediationItemTable, RemediationPlanTable } from '../database/tables.js';

export type PlanRow = Selectable<RemediationPlanTable>;
type LifecycleColumns = Pick<
  PlanRow,
  | 'status' | 'decided_by' | 'decided_by_user_id' | 'decided_at' | 'reason' | 'stale_by' | 'stale_by_user_id' | 'stale_at' | 'stale_reasons_json'
  | 'applied_by' | 'applied_by_user_id' | 'apply_started_at' | 'apply_finished_at' | 'runner' | 'reassessment_id' | 'outcome_message'
>;

function corrupt(id: string, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.INTERNAL, `stored remediation plan ${id} ${why}`);
}

function json<T>(id: string, text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored remediation plan ${id} has ${what} that is not JSON`, [], { cause: e });
  }
}

function need(row: PlanRow, value: string | null, column: string): string {
  if (value === null) throw corrupt(row.id, `is ${row.status} without ${column}`);
  return value;
}

function decision(row: PlanRow): Actor {
  return { by: need(row, row.decided_by, 'decided_by'), byUserId: need(row, row.decided_by_user_id, 'decided_by_user_id'), at: need(row, row.decided_at, 'decided_at') };
}

function application(row: PlanRow) {
  return {
    by: need(row, row.applied_by, 'applied_by'),
    byUserId: need(row, row.applied_by_user_id, 'applied_by_user_id'),
    startedAt: need(row, row.apply_started_at, 'apply_started_at'),
    runner: need(row, row.runner, 'runner'),
  };
}

/** The lifecycle of a plan row. */
export function lifecycleOf(row: PlanRow): RemediationLifecycle {
  switch (row.status) {
    case 'proposed':
      return { status: 'proposed' };
    case 'approved':
      return { status: 'approved', approval: decision(row) };
    case 'rejected':
      return { status: 'rejected', rejection: decision(row), reason: need(row, row.reason, 'reason') };
    case 'stale':
      return {
        status: 'stale',
        approval: decision(row),
        detected: { by: need(row, row.stale_by, 'stale_by'), byUserId: need(row, row.stale_by_user_id, 'stale_by_user_id'), at: need(row, row.stale_at, 'stale_at') },
        reasons: json<string[]>(row.id, need(row, row.stale_reasons_json, 'stale_reasons_json'), 'stale reasons'),
      };
    case 'applying':
      return { status: 'applying', approval: decision(row), application: application(row) };
    case 'applied':
    case 'partially-applied':
    case 'failed':
      return {
        status: row.status,
        approval: decision(row),
        application: {
          ...application(row),
          finishedAt: need(row, row.apply_finished_at, 'apply_finished_at'),
          message: need(row, row.outcome_message, 'outcome_message'),
          ...(row.reassessment_id !== null ? { reassessmentId: row.reassessment_id } : {}),
        },
      };
    default:
      throw corrupt(row.id, `has unknown status ${row.status}`);
  }
}

/** The lifecycle as columns (every other lifecycle column null). */
export function lifecycleColumns(l: RemediationLifecycle): LifecycleColumns {
  const none: LifecycleColumns = {
    status: l.status, decided_by: null, decided_by_user_id: null, decided_at: null, reason: null, stale_by: null, stale_by_user_id: null, stale_at: null, stale_reasons_json: null,
    applied_by: null, applied_by_user_id: null, apply_started_at: null, apply_finished_at: null, runner: null, reassessment_id: null, outcome_message: null,
  };
  const decided = (a: Actor) => ({ decided_by: a.by, decided_by_user_id: a.byUserId, decided_at: a.at });
  switch (l.status) {
    case 'proposed':
      return none;
    case 'approved':
      return { ...none, ...decided(l.approval) };
    case 'rejected':
      return { ...none, ...decided(l.rejection), reason: l.reason };
    case 'stale':
      return { ...none, ...decided(l.approval), stale_by: l.detected.by, stale_by_user_id: l.detected.byUserId, stale_at: l.detected.at, stale_reasons_json: JSON.stringify(l.reasons) };
    case 'applying': {
      const a = l.application;
      return { ...none, ...decided(l.approval), applied_by: a.by, applied_by_user_id: a.byUserId, apply_started_at: a.startedAt, runner: a.runner };
    }
    case 'applied':
    case 'partially-applied':
    case 'failed': {
      const a = l.application;
      return {
        ...none, ...decided(l.approval), applied_by: a.by, applied_by_user_id: a.byUserId, apply_started_at: a.startedAt, runner: a.runner,
        apply_finished_at: a.finishedAt, reassessment_id: a.reassessmentId ?? null, outcome_message: a.message,
      };
    }
    default:
      throw new UnreachableCaseError(l);
  }
}

/** A plan row (with the count of its sealed unlock keys) → the plan. */
export function mapPlanRow(row: PlanRow, pendingUnlockKeys: number): RemediationPlan {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    proposedBy: row.proposed_by,
    proposedByUserId: row.proposed_by_user_id,
    proposedAt: row.proposed_at,
    ...(row.note !== null ? { note: row.note } : {}),
    settings: json<RemediationSettings>(row.id, row.settings_json, 'settings'),
    rules: json<string[]>(row.id, row.rules_json, 'rules'),
    counts: { engine: row.engine_items, manual: row.manual_items, exempted: row.exempted_failures },
    lifecycle: lifecycleOf(row),
    pendingUnlockKeys,
  };
}

/** The plan's columns (its lifecycle included). */
export function toPlanRow(p: RemediationPlan): PlanRow {
  return {
    id: p.id,
    assessment_id: p.assessmentId,
    proposed_by: p.proposedBy,
    proposed_by_user_id: p.proposedByUserId,
    proposed_at: p.proposedAt,
    note: p.note ?? null,
    settings_json: JSON.stringify(p.settings),
    rules_json: JSON.stringify(p.rules),
    engine_items: p.counts.engine,
    manual_items: p.counts.manual,
    exempted_failures: p.counts.exempted,
    ...lifecycleColumns(p.lifecycle),
  };
}

export type ItemRow = Selectable<RemediationItemTable>;

export function toItemRow(planId: string, i: RemediationItem): ItemRow {
  return {
    plan_id: planId,
    position: i.position,
    node_id: i.nodeId,
    node_name: i.nodeName,
    stig_id: i.stigId,
    rule_id: i.ruleId,
    severity: i.severity,
    target_kind: i.target.kind,
    target_key: i.target.key,
    target_id: i.target.id,
    target_name: i.target.name,
    target_image: i.target.image ?? null,
    mode: i.action.mode,
    evidence_json: JSON.stringify(i.evidence),
    action_json: JSON.stringify(i.action),
    verification: i.verification?.outcome ?? null,
    verified_status: i.verification?.status ?? null,
    verification_message: i.verification?.message ?? null,
    first_observed_at: i.firstObservedAt ?? null,
    due_at: i.dueAt ?? null,
  };
}

export function mapItemRow(row: ItemRow): RemediationItem {
  const verification: ItemVerification | undefined =
    row.verification === null
      ? undefined
      : { outcome: row.verification as VerificationOutcome, message: row.verification_message ?? '', ...(row.verified_status !== null ? { status: row.verified_status as TargetStatus } : {}) };
  return {
    position: row.position,
    nodeId: row.node_id,
    nodeName: row.node_name,
    stigId: row.stig_id,
    ruleId: row.rule_id,
    severity: row.severity as Severity,
    target: { kind: row.target_kind as AssessedTargetKind, key: row.target_key, id: row.target_id, name: row.target_name, ...(row.target_image !== null ? { image: row.target_image } : {}) },
    evidence: json(row.plan_id, row.evidence_json, `item ${row.position} evidence`),
    action: json<RemediationAction>(row.plan_id, row.action_json, `item ${row.position} action`),
    ...(row.first_observed_at !== null ? { firstObservedAt: row.first_observed_at } : {}),
    ...(row.due_at !== null ? { dueAt: row.due_at } : {}),
    ...(verification !== undefined ? { verification } : {}),
  };
}

export type CallRow = Selectable<RemediationCallTable>;

export function mapCallRow(row: CallRow): EngineCallRecord {
  return {
    sequence: row.id,
    planId: row.plan_id,
    position: row.position,
    nodeId: row.node_id,
    method: row.method === 'POST' ? 'POST' : 'GET',
    path: row.path,
    request: json(row.plan_id, row.request_json, `call ${row.id} request`),
    startedAt: row.started_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    outcome: row.outcome as EngineCallOutcome,
    ...(row.http_status !== null ? { httpStatus: row.http_status } : {}),
    ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
  };
}
