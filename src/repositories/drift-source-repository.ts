/**
 * What drift reads of stored runs: one node's per-target results without their observations (the comparison
 * needs statuses only), the observations of the few rows that changed (by row id), one node's facts snapshot,
 * and the previous run of a node and benchmark. Reads only; indexed by (assessment, id) on target_result, (assessment, node) on facts_snapshot, (node, assessment) on assessment_node.
 */
import type { EpisodeState, TargetState } from '../domain/drift.js';
import type { NodeFacts } from '../domain/facts.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Observation, Severity } from '../domain/results.js';
import { isAssessedTargetKind, TARGET_STATUSES, type AssessedTargetKind, type TargetStatus } from '../domain/target-results.js';
import { sql, type ExpressionBuilder, type Selectable } from './database/kysely.js';
import type { Database, TargetResultTable } from './database/tables.js';
import type { Db } from './database/database.js';
import { parseStoredJson } from './database/stored-json.js';

/** Rows per `IN (…)` list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;
const STATUSES: ReadonlySet<string> = new Set<string>(TARGET_STATUSES);
const SEVERITIES: ReadonlySet<string> = new Set(['high', 'medium', 'low', 'unknown']);

/** A rule as assessed on one node in a run: its rule id, severity and how many targets failed it. */
export interface RuleSummary {
  ruleId: string;
  severity: Severity;
  failingTargets: number;
}

/** A target by kind and stable key. */
export interface TargetRef {
  kind: AssessedTargetKind;
  key: string;
}

export interface DriftSourceRepository {
  /**
   * One node's per-target results in a run, without observations, in storage order: a whole side, what the
   * comparer's narrowed reading (differingTargets, targetStatesOf) is tested against.
   */
  targetStates(assessmentId: string, nodeId: string): Promise<TargetState[]>;
  /**
   * The node's targets with a verdict in run `a` that run `b` does not have with the same status and exemption
   * (a target of `a` only, or one whose verdict on a rule differs), from the covering index alone.
   */
  differingTargets(a: string, b: string, nodeId: string): Promise<TargetRef[]>;
  /** One node's per-target results in a run of these targets only, without observations. */
  targetStatesOf(assessmentId: string, nodeId: string, targets: readonly TargetRef[]): Promise<TargetState[]>;
  /** The rules assessed on one node in a run, by STIG id, from the covering index alone (without their rule ids). */
  ruleSummary(assessmentId: string, nodeId: string): Promise<Map<string, Omit<RuleSummary, 'ruleId'>>>;
  /** The XCCDF rule ids of these STIG ids on one node in a run. */
  ruleIds(assessmentId: string, nodeId: string, stigIds: readonly string[]): Promise<Map<string, string>>;
  /** The observations of these rows, by row id. */
  observations(ids: readonly number[]): Promise<Map<number, Observation[]>>;
  /**
   * One node's per-target verdicts in a run as findings history needs them, in storage order: the columns stored
   * before the observations only, so that reading tens of thousands of them never reads an observation.
   */
  episodeStates(assessmentId: string, nodeId: string): Promise<EpisodeState[]>;
  /** One node's facts snapshot in a run, if it was collected. */
  facts(assessmentId: string, nodeId: string): Promise<{ sha256: string; facts: NodeFacts } | undefined>;
  /**
   * The run before `before` (by start time) of this node and XCCDF benchmark (any release) that completed with
   * the node collected, other than `exclude`.
   */
  previousRun(nodeId: string, benchmarkId: string, before: string, exclude: string): Promise<string | undefined>;
}


const STATE_COLUMNS = ['id', 'target_kind', 'target_key', 'target_name', 'stig_id', 'rule_id', 'severity', 'status', 'message', 'exempted_by'] as const;

const EPISODE_COLUMNS = ['id', 'target_kind', 'target_key', 'target_name', 'stig_id', 'severity', 'status'] as const;

function toEpisodeState(r: Pick<Selectable<TargetResultTable>, (typeof EPISODE_COLUMNS)[number]>): EpisodeState {
  if (!STATUSES.has(r.status) || !SEVERITIES.has(r.severity) || !isAssessedTargetKind(r.target_kind)) {
    throw new PlimsollError(ErrorCode.INTERNAL, `target result ${r.id} has an unknown status, severity or kind`);
  }
  return { kind: r.target_kind, key: r.target_key, name: r.target_name, stigId: r.stig_id, severity: r.severity as Severity, status: r.status as TargetStatus };
}

function toState(r: Pick<Selectable<TargetResultTable>, (typeof STATE_COLUMNS)[number]>): TargetState {
  const e = toEpisodeState(r);
  return {
    id: r.id, kind: e.kind, key: e.key, name: e.name, stigId: e.stigId, ruleId: r.rule_id,
    severity: e.severity, status: e.status, message: r.message, ...(r.exempted_by !== null ? { exemptedBy: r.exempted_by } : {}),
  };
}

/** `kind\0key`, as the comparison names a target. */
export const targetIdOf = (kind: string, key: string): string => `${kind}\u0000${key}`;

export class KyselyDriftSourceRepository implements DriftSourceRepository {
  constructor(private readonly db: Db) {}

  async targetStates(assessmentId: string, nodeId: string): Promise<TargetState[]> {
    const rows = await this.db.selectFrom('target_result').select(STATE_COLUMNS).where('assessment_id', '=', assessmentId).where('node_id', '=', nodeId).orderBy('id').execute();
    return rows.map(toState);
  }

  async differingTargets(a: string, b: string, nodeId: string): Promise<TargetRef[]> {
    const rows = await this.db
      .selectFrom('target_result as x')
      .select(['x.target_kind', 'x.target_key'])
      .distinct()
      .where('x.assessment_id', '=', a)
      .where('x.node_id', '=', nodeId)
      .where((eb: ExpressionBuilder<Database & { x: TargetResultTable }, 'x'>) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('target_result as y')
              .select(sql<number>`1`.as('one'))
              .where('y.assessment_id', '=', b)
              .whereRef('y.node_id', '=', 'x.node_id')
              .whereRef('y.target_kind', '=', 'x.target_kind')
              .whereRef('y.target_key', '=', 'x.target_key')
              .whereRef('y.stig_id', '=', 'x.stig_id')
              .whereRef('y.status', '=', 'x.status')
              .where((e) => e.or([e('y.exempted_by', '=', e.ref('x.exempted_by')), e.and([e('y.exempted_by', 'is', null), e('x.exempted_by', 'is', null)])])),
          ),
        ),
      )
      .execute();
    return rows.filter((r) => isAssessedTargetKind(r.target_kind)).map((r) => ({ kind: r.target_kind as AssessedTargetKind, key: r.target_key }));
  }

  async targetStatesOf(assessmentId: string, nodeId: string, targets: readonly TargetRef[]): Promise<TargetState[]> {
    const byKind = new Map<string, string[]>();
    for (const t of targets) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t.key]);
    const out: TargetState[] = [];
    for (const [kind, keys] of byKind) {
      for (let i = 0; i < keys.length; i += CHUNK) {
        const rows = await this.db
          .selectFrom('target_result')
          .select(STATE_COLUMNS)
          .where('assessment_id', '=', assessmentId)
          .where('node_id', '=', nodeId)
          .where('target_kind', '=', kind)
          .where('target_key', 'in', keys.slice(i, i + CHUNK))
          .execute();
        out.push(...rows.map(toState));
      }
    }
    return out.sort((x, y) => x.id - y.id);
  }

  async ruleSummary(assessmentId: string, nodeId: string): Promise<Map<string, Omit<RuleSummary, 'ruleId'>>> {
    const rows = await this.db
      .selectFrom('target_result')
      .select((eb) => ['stig_id', 'severity', eb.fn.sum<number>(eb.case().when('status', '=', 'fail').then(1).else(0).end()).as('failing')])
      .where('assessment_id', '=', assessmentId)
      .where('node_id', '=', nodeId)
      .groupBy(['stig_id', 'severity'])
      .execute();
    const out = new Map<string, Omit<RuleSummary, 'ruleId'>>();
    for (const r of rows) {
      const severity = (SEVERITIES.has(r.severity) ? r.severity : 'unknown') as Severity;
      const known = out.get(r.stig_id);
      out.set(r.stig_id, { severity: known?.severity ?? severity, failingTargets: (known?.failingTargets ?? 0) + Number(r.failing) });
    }
    return out;
  }

  async ruleIds(assessmentId: string, nodeId: string, stigIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < stigIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('target_result')
        .select((eb) => ['stig_id', eb.fn.min('rule_id').as('rule_id')])
        .where('assessment_id', '=', assessmentId)
        .where('node_id', '=', nodeId)
        .where('stig_id', 'in', stigIds.slice(i, i + CHUNK))
        .groupBy('stig_id')
        .execute();
      for (const r of rows) out.set(r.stig_id, r.rule_id);
    }
    return out;
  }

  async observations(ids: readonly number[]): Promise<Map<number, Observation[]>> {
    const out = new Map<number, Observation[]>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.selectFrom('target_result').select(['id', 'observations_json']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.set(r.id, parseStoredJson<Observation[]>(r.observations_json, `observations of target result ${r.id}`));
    }
    return out;
  }

  async episodeStates(assessmentId: string, nodeId: string): Promise<EpisodeState[]> {
    const rows = await this.db.selectFrom('target_result').select(EPISODE_COLUMNS).where('assessment_id', '=', assessmentId).where('node_id', '=', nodeId).orderBy('id').execute();
    return rows.map(toEpisodeState);
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
