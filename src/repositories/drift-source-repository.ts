/**
 * What drift reads of stored runs: one node's per-target results without their observations (the comparison
 * needs statuses only), the observations of the few rows that changed (by row id), one node's facts snapshot,
 * and the previous run of a node and benchmark. Reads only; indexed by (assessment, id) on target_result, (assessment, node) on facts_snapshot, (node, assessment) on assessment_node.
 */
import type { TargetState } from '../domain/drift.js';
import type { NodeFacts } from '../domain/facts.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Observation, Severity } from '../domain/results.js';
import { isAssessedTargetKind, TARGET_STATUSES, type TargetStatus } from '../domain/target-results.js';
import type { Db } from './database/database.js';
import { parseStoredJson } from './database/stored-json.js';

/** Rows per `IN (…)` list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;
const STATUSES: ReadonlySet<string> = new Set<string>(TARGET_STATUSES);
const SEVERITIES: ReadonlySet<string> = new Set(['high', 'medium', 'low', 'unknown']);

export interface DriftSourceRepository {
  /** One node's per-target results in a run, without observations, in storage order. */
  targetStates(assessmentId: string, nodeId: string): Promise<TargetState[]>;
  /** The observations of these rows, by row id. */
  observations(ids: readonly number[]): Promise<Map<number, Observation[]>>;
  /** One node's facts snapshot in a run, if it was collected. */
  facts(assessmentId: string, nodeId: string): Promise<{ sha256: string; facts: NodeFacts } | undefined>;
  /**
   * The run before `before` (by start time) of this node and XCCDF benchmark (any release) that completed with
   * the node collected, other than `exclude`.
   */
  previousRun(nodeId: string, benchmarkId: string, before: string, exclude: string): Promise<string | undefined>;
}


/** `kind\0key`, as the comparison names a target. */
export const targetIdOf = (kind: string, key: string): string => `${kind}\u0000${key}`;

export class KyselyDriftSourceRepository implements DriftSourceRepository {
  constructor(private readonly db: Db) {}

  async targetStates(assessmentId: string, nodeId: string): Promise<TargetState[]> {
    const rows = await this.db
      .selectFrom('target_result')
      .select(['id', 'target_kind', 'target_key', 'target_name', 'stig_id', 'rule_id', 'severity', 'status', 'message', 'exempted_by'])
      .where('assessment_id', '=', assessmentId)
      .where('node_id', '=', nodeId)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      if (!STATUSES.has(r.status) || !SEVERITIES.has(r.severity) || !isAssessedTargetKind(r.target_kind)) {
        throw new PlimsollError(ErrorCode.INTERNAL, `target result ${r.id} has an unknown status, severity or kind`);
      }
      return {
        id: r.id, kind: r.target_kind, key: r.target_key, name: r.target_name, stigId: r.stig_id, ruleId: r.rule_id,
        severity: r.severity as Severity, status: r.status as TargetStatus, message: r.message, ...(r.exempted_by !== null ? { exemptedBy: r.exempted_by } : {}),
      };
    });
  }

  async observations(ids: readonly number[]): Promise<Map<number, Observation[]>> {
    const out = new Map<number, Observation[]>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.selectFrom('target_result').select(['id', 'observations_json']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.set(r.id, parseStoredJson<Observation[]>(r.observations_json, `observations of target result ${r.id}`));
    }
    return out;
  }

  async facts(assessmentId: string, nodeId: string): Promise<{ sha256: string; facts: NodeFacts } | undefined> {
    const row = await this.db.selectFrom('facts_snapshot').select(['id', 'sha256', 'facts_json']).where('assessment_id', '=', assessmentId).where('node_id', '=', nodeId).executeTakeFirst();
    return row === undefined ? undefined : { sha256: row.sha256, facts: parseStoredJson<NodeFacts>(row.facts_json, `facts snapshot ${row.id}`) };
  }

  async previousRun(nodeId: string, benchmarkId: string, before: string, exclude: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('assessment_node')
      .innerJoin('assessment', 'assessment.id', 'assessment_node.assessment_id')
      .innerJoin('document', 'document.id', 'assessment.benchmark_document_id')
      .select(['assessment.id as id'])
      .where('assessment_node.node_id', '=', nodeId)
      .where('assessment_node.status', '=', 'collected')
      .where('assessment.status', '=', 'completed')
      .where('document.doc_id', '=', benchmarkId)
      .where('assessment.started_at', '<', before)
      .where('assessment.id', '!=', exclude)
      .orderBy('assessment.started_at', 'desc')
      .orderBy('assessment.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }
}
