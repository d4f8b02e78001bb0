/**
 * Assessment runs in SQLite: the `assessment` row (its lifecycle running → completed | failed |
 * interrupted), one `facts_snapshot` per node and one `rule_result` per rule per node. Rows in, domain
 * types out, through explicit map functions. Transitions out of `running` only apply to rows still
 * running, so a run marked interrupted can't later be completed behind its back.
 */
import type { Selectable } from 'kysely';
import type { Assessment, AssessmentStatus, AssessmentSummary, AssessmentWithResults } from '../domain/assessment.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { Observation, RuleAutomation, RuleResult, RuleStatus, Severity } from '../domain/results.js';
import type { ListOptions, Page, RuleResultFilter } from '../domain/services.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { AssessmentTable, FactsSnapshotTable, RuleResultTable } from './database/tables.js';
import { ruleExemptionFromJson, ruleExemptionToJson } from './exemption-repository.js';

/** A run as created: `running`, owned by `runner` (`host:pid`). */
export interface NewAssessment {
  id: string;
  benchmarkDocumentId: string;
  profileId?: string;
  nodeIds: string[];
  startedAt: string;
  startedBy: string;
  runner: string;
}

/** What completes a run, stored in one transaction. */
export interface AssessmentCompletion {
  finishedAt: string;
  summary: AssessmentSummary;
  results: readonly RuleResult[];
  /** The OSCAL assessment-results document, already validated. */
  resultsDocument: unknown;
}

/** A run left `running`, with the runner that started it. */
export interface RunningAssessment {
  id: string;
  runner: string | null;
  startedAt: string;
}

export interface AssessmentRepository {
  createRunning(a: NewAssessment): Promise<void>;
  storeFacts(snapshot: FactsSnapshot): Promise<void>;
  /** Stores results, summary and document and marks the run completed, all or nothing; CONFLICT when it is no longer running. */
  complete(id: string, completion: AssessmentCompletion): Promise<void>;
  /** Marks a running run failed with its error; false when it was not running. */
  fail(id: string, error: string, finishedAt: string): Promise<boolean>;
  list(page?: ListOptions): Promise<Page<Assessment>>;
  /** A page of runs, newest first. */
  page(request: PageRequest): Promise<Connection<Assessment>>;
  /** A page of one run's rule results in evaluation order, optionally filtered. */
  results(assessmentId: string, filter: RuleResultFilter, request: PageRequest): Promise<Connection<RuleResult>>;
  get(id: string): Promise<AssessmentWithResults | undefined>;
  resultsDocument(id: string): Promise<unknown | undefined>;
  listFacts(assessmentId: string): Promise<FactsSnapshot[]>;
  listRunning(): Promise<RunningAssessment[]>;
  /** Marks these runs interrupted (those still running) with a reason each; returns how many changed. */
  markInterrupted(runs: readonly { id: string; error: string }[], finishedAt: string): Promise<number>;
}

const STATUSES: ReadonlySet<string> = new Set<AssessmentStatus>(['running', 'completed', 'failed', 'interrupted']);
const RULE_STATUSES: ReadonlySet<string> = new Set<RuleStatus>(['pass', 'fail', 'not-applicable', 'not-checked', 'error']);
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['high', 'medium', 'low', 'unknown']);
/** Rows per INSERT: 16 columns each stays far below SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

type AssessmentJoinedRow = Selectable<AssessmentTable> & {
  doc_benchmark_id: string;
  doc_title: string;
  doc_version: string;
  doc_release: string | null;
};

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not valid JSON`, [], { cause: e });
  }
}

function stringArray(text: string, what: string): string[] {
  const value = parseJson<unknown>(text, what);
  if (!Array.isArray(value)) throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not an array`);
  return value.map(String);
}

/** Row (joined with its benchmark document) → domain. */
export function mapAssessmentRow(row: AssessmentJoinedRow): Assessment {
  if (!STATUSES.has(row.status)) throw new PlimsollError(ErrorCode.INTERNAL, `assessment ${row.id} has unknown status ${row.status}`);
  return {
    id: row.id,
    status: row.status as AssessmentStatus,
    benchmarkDocumentId: row.benchmark_document_id,
    benchmarkId: row.doc_benchmark_id,
    benchmarkTitle: row.doc_title,
    benchmarkVersion: row.doc_version,
    ...(row.doc_release !== null ? { benchmarkRelease: row.doc_release } : {}),
    ...(row.profile_id !== null ? { profileId: row.profile_id } : {}),
    nodeIds: stringArray(row.node_ids_json, `node ids of assessment ${row.id}`),
    startedAt: row.started_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    startedBy: row.started_by,
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.summary_json !== null ? { summary: parseJson<AssessmentSummary>(row.summary_json, `summary of assessment ${row.id}`) } : {}),
  };
}

/** Row → domain. */
export function mapRuleResultRow(row: Selectable<RuleResultTable>): RuleResult {
  const where = `rule result ${row.id}`;
  if (!RULE_STATUSES.has(row.status)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown status ${row.status}`);
  if (!SEVERITIES.has(row.severity)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown severity ${row.severity}`);
  return {
    nodeId: row.node_id,
    stigId: row.stig_id,
    ruleId: row.rule_id,
    groupId: row.group_id,
    checkContentHash: row.check_content_hash,
    title: row.title,
    severity: row.severity as Severity,
    status: row.status as RuleStatus,
    message: row.message,
    observations: parseJson<Observation[]>(row.observations_json, `observations of ${where}`),
    controlIds: stringArray(row.control_ids_json, `control ids of ${where}`),
    ccis: stringArray(row.ccis_json, `CCIs of ${where}`),
    fixText: row.fix_text,
    ...ruleExemptionFromJson(row.exemption_json, where),
    ...(row.remediation !== null ? { remediation: row.remediation } : {}),
    ...(row.automation_json !== null ? { automation: parseJson<RuleAutomation>(row.automation_json, `automation of ${where}`) } : {}),
  };
}

/** Domain → row (without the generated id). */
export function toRuleResultRow(assessmentId: string, r: RuleResult): Omit<Selectable<RuleResultTable>, 'id'> {
  return {
    assessment_id: assessmentId,
    node_id: r.nodeId,
    stig_id: r.stigId,
    rule_id: r.ruleId,
    group_id: r.groupId,
    check_content_hash: r.checkContentHash,
    title: r.title,
    severity: r.severity,
    status: r.status,
    message: r.message,
    observations_json: JSON.stringify(r.observations),
    control_ids_json: JSON.stringify(r.controlIds),
    ccis_json: JSON.stringify(r.ccis),
    fix_text: r.fixText,
    exemption_json: ruleExemptionToJson(r),
    remediation: r.remediation ?? null,
    automation_json: r.automation ? JSON.stringify(r.automation) : null,
  };
}

/** Row → domain. */
export function mapFactsRow(row: Selectable<FactsSnapshotTable>): FactsSnapshot {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    nodeId: row.node_id,
    collectedAt: row.collected_at,
    sha256: row.sha256,
    facts: parseJson<NodeFacts>(row.facts_json, `facts snapshot ${row.id}`),
  };
}

function pageBounds(page: ListOptions | undefined): { offset: number; limit: number } {
  const offset = page?.offset ?? 0;
  const limit = page?.limit;
  if (!Number.isInteger(offset) || offset < 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `offset must be a non-negative integer, got ${offset}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new PlimsollError(ErrorCode.BAD_INPUT, `limit must be a non-negative integer, got ${limit}`);
  return { offset, limit: limit ?? Number.MAX_SAFE_INTEGER };
}

/** The Kysely implementation. */
export class KyselyAssessmentRepository implements AssessmentRepository {
  constructor(private readonly db: Db) {}

  async createRunning(a: NewAssessment): Promise<void> {
    await this.db
      .insertInto('assessment')
      .values({
        id: a.id,
        status: 'running',
        benchmark_document_id: a.benchmarkDocumentId,
        profile_id: a.profileId ?? null,
        node_ids_json: JSON.stringify(a.nodeIds),
        started_at: a.startedAt,
        finished_at: null,
        started_by: a.startedBy,
        error: null,
        summary_json: null,
        results_document_json: null,
        runner: a.runner,
      })
      .execute();
  }

  /** Stores the facts as canonical JSON, so that sha256(facts_json) is the snapshot's sha256. */
  async storeFacts(s: FactsSnapshot): Promise<void> {
    await this.db
      .insertInto('facts_snapshot')
      .values({ id: s.id, assessment_id: s.assessmentId, node_id: s.nodeId, collected_at: s.collectedAt, sha256: s.sha256, facts_json: canonicalJson(s.facts) })
      .execute();
  }

  async complete(id: string, c: AssessmentCompletion): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('assessment')
        .set({
          status: 'completed',
          finished_at: c.finishedAt,
          summary_json: JSON.stringify(c.summary),
          results_document_json: JSON.stringify(c.resultsDocument),
          error: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) throw new PlimsollError(ErrorCode.CONFLICT, `assessment ${id} is not running; its results were not stored`);
      const rows = c.results.map((r) => toRuleResultRow(id, r));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx.insertInto('rule_result').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
    });
  }

  async fail(id: string, error: string, finishedAt: string): Promise<boolean> {
    const r = await this.db
      .updateTable('assessment')
      .set({ status: 'failed', error, finished_at: finishedAt })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  async list(page?: ListOptions): Promise<Page<Assessment>> {
    const { offset, limit } = pageBounds(page);
    const { total } = await this.db.selectFrom('assessment').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await this.joined().orderBy('assessment.started_at', 'desc').orderBy('assessment.id', 'desc').limit(limit).offset(offset).execute();
    return { items: rows.map(mapAssessmentRow), total: Number(total) };
  }

  async page(request: PageRequest): Promise<Connection<Assessment>> {
    const key = [
      { ref: 'assessment.started_at', type: 'string' as const, value: (r: AssessmentJoinedRow) => r.started_at },
      { ref: 'assessment.id', type: 'string' as const, value: (r: AssessmentJoinedRow) => r.id },
    ];
    const base = this.joined();
    return mapNodes(await keysetPage(base, countOf(base), key, 'desc', request), mapAssessmentRow);
  }

  async results(assessmentId: string, filter: RuleResultFilter, request: PageRequest): Promise<Connection<RuleResult>> {
    let base = this.db.selectFrom('rule_result').selectAll().where('assessment_id', '=', assessmentId);
    if (filter.status !== undefined) base = base.where('status', '=', filter.status);
    if (filter.severity !== undefined) base = base.where('severity', '=', filter.severity);
    if (filter.nodeId !== undefined) base = base.where('node_id', '=', filter.nodeId);
    if (filter.stigId !== undefined) base = base.where('stig_id', '=', filter.stigId);
    const page = await keysetPage(base, countOf(base), [{ ref: 'rule_result.id', type: 'number', value: (r) => r.id }], 'asc', request);
    return mapNodes(page, mapRuleResultRow);
  }

  async get(id: string): Promise<AssessmentWithResults | undefined> {
    const row = await this.joined().where('assessment.id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    const results = await this.db.selectFrom('rule_result').selectAll().where('assessment_id', '=', id).orderBy('id').execute();
    return { ...mapAssessmentRow(row), results: results.map(mapRuleResultRow) };
  }

  async resultsDocument(id: string): Promise<unknown | undefined> {
    const row = await this.db.selectFrom('assessment').select('results_document_json').where('id', '=', id).executeTakeFirst();
    if (row?.results_document_json == null) return undefined;
    return parseJson<unknown>(row.results_document_json, `results document of assessment ${id}`);
  }

  async listFacts(assessmentId: string): Promise<FactsSnapshot[]> {
    const rows = await this.db.selectFrom('facts_snapshot').selectAll().where('assessment_id', '=', assessmentId).orderBy('collected_at').orderBy('id').execute();
    return rows.map(mapFactsRow);
  }

  async listRunning(): Promise<RunningAssessment[]> {
    const rows = await this.db.selectFrom('assessment').select(['id', 'runner', 'started_at']).where('status', '=', 'running').orderBy('started_at').execute();
    return rows.map((r) => ({ id: r.id, runner: r.runner, startedAt: r.started_at }));
  }

  async markInterrupted(runs: readonly { id: string; error: string }[], finishedAt: string): Promise<number> {
    if (runs.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      let n = 0;
      for (const run of runs) {
        const r = await trx
          .updateTable('assessment')
          .set({ status: 'interrupted', error: run.error, finished_at: finishedAt })
          .where('id', '=', run.id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      return n;
    });
  }

  private joined() {
    return this.db
      .selectFrom('assessment')
      .innerJoin('document', 'document.id', 'assessment.benchmark_document_id')
      .selectAll('assessment')
      .select(['document.doc_id as doc_benchmark_id', 'document.title as doc_title', 'document.version as doc_version', 'document.release as doc_release']);
  }
}
