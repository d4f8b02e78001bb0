/**
 * Assessment runs in SQLite: the `assessment` row (its lifecycle running → completed | failed |
 * interrupted), its nodes with a per-node status (`assessment_node`), one `facts_snapshot` per collected
 * node, one `rule_result` per rule per node and one `target_result` per rule per target. Rows in, domain
 * types out, through explicit map functions. Transitions out of `running` only apply to rows still
 * running, so a run marked interrupted can't later be completed behind its back.
 */
import { assessmentVisibleTo } from './database/environment-filter.js';
import { insertRows } from './database/bulk-insert.js';
import type { Selectable } from './database/kysely.js';
import type { AssessedBenchmark, AssessedNode, Assessment, AssessmentStatus, AssessmentSummary, AssessmentWithResults, NodeRunStatus } from '../domain/assessment.js';
import type { AssetFacts } from '../domain/asset.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { AssessmentReportContext } from '../domain/report-context.js';
import type { Observation, RuleAutomation, RuleResult, RuleStatus, Severity } from '../domain/results.js';
import type { ListOptions, Page, RuleResultFilter } from '../domain/services.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { AssessmentTable, FactsSnapshotTable, RuleResultTable } from './database/tables.js';
import { ruleExemptionFromJson, ruleExemptionToJson } from './exemption-repository.js';
import { ruleReviewFromJson, ruleReviewToJson } from './review-json.js';
import { mapAssessmentNodeRow, type NewTargetResult, nodeStatusColumns, toTargetResultRow } from './assessment/target-result-rows.js';

/** A run as created: `running`, owned by `runner` (`host:pid`), its nodes `pending`. */
export interface NewAssessment {
  id: string;
  benchmarkDocumentId: string;
  profileId?: string;
  /** Every benchmark of the run in request order (the first is `benchmarkDocumentId`); absent: that one alone. */
  benchmarks?: readonly { documentId: string; profileId?: string }[];
  /** In request order; names and endpoints as they are now (the history keeps them). */
  nodes: readonly { id: string; name: string; endpoint: string }[];
  startedAt: string;
  startedBy: string;
  runner: string;
}

/** The document name of the OSCAL assessment results among an assessment's document parts. */
export const RESULTS_DOCUMENT = 'assessment-results';

/** What completes a run, stored in one transaction. */
export type AssessmentCompletion = CompletionRows & (
  | {
      /** The OSCAL assessment-results document, already validated. */
      resultsDocument: unknown;
    }
  | {
      /**
       * The text of the OSCAL assessment-results document in chunks, stored part by part as it is produced (the
       * producer validates as it goes: a throw rolls the whole completion back).
       */
      resultsText: Iterable<string>;
    }
);

interface CompletionRows {
  finishedAt: string;
  summary: AssessmentSummary;
  results: readonly RuleResult[];
  /** The per-target split of `results`. */
  targets: readonly NewTargetResult[];
  /** The OSCAL assessment plan the results import, already validated. */
  planDocument: unknown;
  /** What its reports need beyond its rows, so a later rendering is the run's. */
  reportContext?: AssessmentReportContext;
}

/** A run left `running`, with the runner that started it. */
export interface RunningAssessment {
  id: string;
  runner: string | null;
  startedAt: string;
}

export interface AssessmentRepository {
  createRunning(a: NewAssessment): Promise<void>;
  /**
   * Stores a node's facts and marks the node collected (with its asset facts at the run), in one transaction.
   * `factsJson`: the canonical JSON of `snapshot.facts` when the caller already made it (to hash it), so the
   * facts are not serialised twice.
   */
  storeFacts(snapshot: FactsSnapshot, asset?: AssetFacts, factsJson?: string): Promise<void>;
  /** Sets a node's status (failed with its reason, for one that could not be collected). */
  setNodeStatus(assessmentId: string, nodeId: string, status: Exclude<NodeRunStatus, { state: 'collected' }>): Promise<void>;
  /** Stores results, summary and document and marks the run completed, all or nothing; CONFLICT when it is no longer running. */
  complete(id: string, completion: AssessmentCompletion): Promise<void>;
  /** Marks a running run failed with its error; false when it was not running. */
  fail(id: string, error: string, finishedAt: string): Promise<boolean>;
  /** Runs newest first; `filter.environments` keeps those whose every node lies in them. */
  list(page?: ListOptions, filter?: ScopeFilter): Promise<Page<Assessment>>;
  /** A page of runs, newest first; `filter.environments` keeps those whose every node lies in them. */
  page(request: PageRequest, filter?: ScopeFilter): Promise<Connection<Assessment>>;
  /** A page of one run's rule results in evaluation order, optionally filtered. */
  results(assessmentId: string, filter: RuleResultFilter, request: PageRequest): Promise<Connection<RuleResult>>;
  /** An assessment without its results. */
  find(id: string): Promise<Assessment | undefined>;
  /** One node of an assessment. */
  findNode(assessmentId: string, nodeId: string): Promise<AssessedNode | undefined>;
  /** A page of an assessment's nodes in request order. */
  nodesPage(assessmentId: string, request: PageRequest): Promise<Connection<AssessedNode>>;
  get(id: string): Promise<AssessmentWithResults | undefined>;
  resultsDocument(id: string): Promise<unknown | undefined>;
  /** The stored text of the results document part by part, when it was stored in parts (else undefined: read resultsDocument). */
  resultsDocumentParts(id: string): Promise<AsyncIterable<string> | undefined>;
  planDocument(id: string): Promise<unknown | undefined>;
  listFacts(assessmentId: string): Promise<FactsSnapshot[]>;
  /** All rule results of an assessment (of one node), in evaluation order. */
  listResults(assessmentId: string, nodeId?: string): Promise<RuleResult[]>;
  /** The report context stored with a completed assessment; undefined when none was (runs before migration 0017 without documents). */
  reportContext(assessmentId: string): Promise<AssessmentReportContext | undefined>;
  listRunning(): Promise<RunningAssessment[]>;
  /** Marks these runs interrupted (those still running) with a reason each; returns how many changed. */
  markInterrupted(runs: readonly { id: string; error: string }[], finishedAt: string): Promise<number>;
}

const STATUSES: ReadonlySet<string> = new Set<AssessmentStatus>(['running', 'completed', 'failed', 'interrupted']);
const RULE_STATUSES: ReadonlySet<string> = new Set<RuleStatus>(['pass', 'fail', 'not-applicable', 'not-checked', 'error']);
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['high', 'medium', 'low', 'unknown']);
/** Rows per INSERT: 16 columns each stays far below SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;
/** Rule results per INSERT: each carries all its observations as JSON (thousands on a large node), so fewer at once. */
const RULE_INSERT_CHUNK = 20;
/** Document parts read per query when streaming a stored document. */
const PARTS_PER_READ = 4;

/** The run's own columns: its OSCAL documents (megabytes for a large node) are read only when asked for. */
const RUN_COLUMNS = ['id', 'status', 'benchmark_document_id', 'profile_id', 'node_ids_json', 'started_at', 'finished_at', 'started_by', 'error', 'summary_json', 'runner'] as const;

type AssessmentJoinedRow = Pick<Selectable<AssessmentTable>, (typeof RUN_COLUMNS)[number]> & {
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

/** Row (joined with its benchmark document) and its node rows → domain. */
export function mapAssessmentRow(row: AssessmentJoinedRow, nodes: readonly AssessedNode[] = [], benchmarks: readonly AssessedBenchmark[] = []): Assessment {
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
    nodeIds: nodes.length > 0 ? nodes.map((n) => n.nodeId) : stringArray(row.node_ids_json, `node ids of assessment ${row.id}`),
    nodes: [...nodes],
    startedAt: row.started_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    startedBy: row.started_by,
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.summary_json !== null ? { summary: parseJson<AssessmentSummary>(row.summary_json, `summary of assessment ${row.id}`) } : {}),
    ...(benchmarks.length > 0 ? { benchmarks: [...benchmarks] } : {}),
  };
}

/** Row → domain. */
export function mapRuleResultRow(row: Selectable<RuleResultTable>): RuleResult {
  const where = `rule result ${row.id}`;
  if (!RULE_STATUSES.has(row.status)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown status ${row.status}`);
  if (!SEVERITIES.has(row.severity)) throw new PlimsollError(ErrorCode.INTERNAL, `${where} has unknown severity ${row.severity}`);
  return {
    ...(row.benchmark_document_id != null ? { benchmarkDocumentId: row.benchmark_document_id } : {}),
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
    ...ruleReviewFromJson(row.review_json, where),
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
    review_json: ruleReviewToJson(r),
    remediation: r.remediation ?? null,
    automation_json: r.automation ? JSON.stringify(r.automation) : null,
    benchmark_document_id: r.benchmarkDocumentId ?? null,
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
/** Narrows lists to what a caller limited to these environments sees (undefined: every environment). */
export interface ScopeFilter {
  environments?: readonly string[];
}

export class KyselyAssessmentRepository implements AssessmentRepository {
  constructor(private readonly db: Db) {}

  async createRunning(a: NewAssessment): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('assessment')
        .values({
          id: a.id,
          status: 'running',
          benchmark_document_id: a.benchmarkDocumentId,
          profile_id: a.profileId ?? null,
          // Kept for readers of the column; the nodes themselves are the assessment_node rows.
          node_ids_json: JSON.stringify(a.nodes.map((n) => n.id)),
          started_at: a.startedAt,
          finished_at: null,
          started_by: a.startedBy,
          error: null,
          summary_json: null,
          results_document_json: null,
          runner: a.runner,
          plan_document_json: null,
          report_context_json: null,
        })
        .execute();
      const benchmarks = a.benchmarks ?? [{ documentId: a.benchmarkDocumentId, ...(a.profileId !== undefined ? { profileId: a.profileId } : {}) }];
      await trx
        .insertInto('assessment_benchmark')
        .values(benchmarks.map((b, position) => ({ assessment_id: a.id, position, benchmark_document_id: b.documentId, profile_id: b.profileId ?? null })))
        .execute();
      if (a.nodes.length === 0) return;
      await trx
        .insertInto('assessment_node')
        .values(a.nodes.map((n, position) => ({ assessment_id: a.id, node_id: n.id, position, node_name: n.name, endpoint: n.endpoint, asset_json: null, ...nodeStatusColumns({ state: 'pending' }) })))
        .execute();
    });
  }

  /** Stores the facts as canonical JSON, so that sha256(facts_json) is the snapshot's sha256. */
  async storeFacts(s: FactsSnapshot, asset?: AssetFacts, factsJson?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('facts_snapshot')
        .values({ id: s.id, assessment_id: s.assessmentId, node_id: s.nodeId, collected_at: s.collectedAt, sha256: s.sha256, facts_json: factsJson ?? canonicalJson(s.facts) })
        .execute();
      await trx
        .updateTable('assessment_node')
        .set({ ...nodeStatusColumns({ state: 'collected', collectedAt: s.collectedAt, factsSha256: s.sha256 }), asset_json: asset !== undefined ? JSON.stringify(asset) : null })
        .where('assessment_id', '=', s.assessmentId)
        .where('node_id', '=', s.nodeId)
        .execute();
    });
  }

  async setNodeStatus(assessmentId: string, nodeId: string, status: Exclude<NodeRunStatus, { state: 'collected' }>): Promise<void> {
    await this.db.updateTable('assessment_node').set(nodeStatusColumns(status)).where('assessment_id', '=', assessmentId).where('node_id', '=', nodeId).execute();
  }

  async complete(id: string, c: AssessmentCompletion): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('assessment')
        .set({
          status: 'completed',
          finished_at: c.finishedAt,
          summary_json: JSON.stringify(c.summary),
          results_document_json: 'resultsDocument' in c ? JSON.stringify(c.resultsDocument) : null,
          plan_document_json: JSON.stringify(c.planDocument),
          report_context_json: c.reportContext !== undefined ? JSON.stringify(c.reportContext) : null,
          error: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) throw new PlimsollError(ErrorCode.CONFLICT, `assessment ${id} is not running; its results were not stored`);
      await insertRows(trx, 'rule_result', c.results, (r) => toRuleResultRow(id, r), RULE_INSERT_CHUNK);
      await insertRows(trx, 'target_result', c.targets, (t) => toTargetResultRow(id, t), INSERT_CHUNK);
      if ('resultsText' in c) {
        let seq = 0;
        for (const text of c.resultsText) await trx.insertInto('document_part').values({ assessment_id: id, document: RESULTS_DOCUMENT, seq: seq++, text }).execute();
      }
    });
  }

  /** Marks the run failed; its nodes still pending fail with the run's error (reason internal). */
  async fail(id: string, error: string, finishedAt: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('assessment').set({ status: 'failed', error, finished_at: finishedAt }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      await trx
        .updateTable('assessment_node')
        .set(nodeStatusColumns({ state: 'failed', reason: 'internal', message: `the assessment failed before this node was collected: ${error}` }))
        .where('assessment_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      return true;
    });
  }

  /** Newest first; with `environments`, only runs whose every node a caller limited to them sees (the total too). */
  async list(page?: ListOptions, filter: ScopeFilter = {}): Promise<Page<Assessment>> {
    const { offset, limit } = pageBounds(page);
    const scope = filter.environments;
    let counted = this.db.selectFrom('assessment').select((eb) => eb.fn.countAll<number>().as('total'));
    if (scope !== undefined) counted = counted.where((eb) => assessmentVisibleTo(eb, scope));
    const { total } = await counted.executeTakeFirstOrThrow();
    const rows = await this.joined(filter).orderBy('assessment.started_at', 'desc').orderBy('assessment.id', 'desc').limit(limit).offset(offset).execute();
    const nodes = await this.nodesOf(rows.map((r) => r.id));
    const benchmarks = await this.benchmarksOf(rows.map((r) => r.id));
    return { items: rows.map((r) => mapAssessmentRow(r, nodes.get(r.id), benchmarks.get(r.id))), total: Number(total) };
  }

  async find(id: string): Promise<Assessment | undefined> {
    const row = await this.joined().where('assessment.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapAssessmentRow(row, (await this.nodesOf([id])).get(id), (await this.benchmarksOf([id])).get(id));
  }

  async findNode(assessmentId: string, nodeId: string): Promise<AssessedNode | undefined> {
    const row = await this.db.selectFrom('assessment_node').selectAll().where('assessment_id', '=', assessmentId).where('node_id', '=', nodeId).executeTakeFirst();
    return row === undefined ? undefined : mapAssessmentNodeRow(row);
  }

  async nodesPage(assessmentId: string, request: PageRequest): Promise<Connection<AssessedNode>> {
    const base = this.db.selectFrom('assessment_node').selectAll().where('assessment_id', '=', assessmentId);
    const page = await keysetPage(base, countOf(base), [{ ref: 'assessment_node.position', type: 'number', value: (r) => r.position }], 'asc', request);
    return mapNodes(page, mapAssessmentNodeRow);
  }

  async page(request: PageRequest, filter: ScopeFilter = {}): Promise<Connection<Assessment>> {
    const key = [
      { ref: 'assessment.started_at', type: 'string' as const, value: (r: AssessmentJoinedRow) => r.started_at },
      { ref: 'assessment.id', type: 'string' as const, value: (r: AssessmentJoinedRow) => r.id },
    ];
    const base = this.joined(filter);
    const page = await keysetPage(base, countOf(base), key, 'desc', request);
    const nodes = await this.nodesOf(page.edges.map((e) => e.node.id));
    const benchmarks = await this.benchmarksOf(page.edges.map((e) => e.node.id));
    return mapNodes(page, (r) => mapAssessmentRow(r, nodes.get(r.id), benchmarks.get(r.id)));
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
    return { ...mapAssessmentRow(row, (await this.nodesOf([id])).get(id), (await this.benchmarksOf([id])).get(id)), results: results.map(mapRuleResultRow) };
  }

  async planDocument(id: string): Promise<unknown | undefined> {
    const row = await this.db.selectFrom('assessment').select('plan_document_json').where('id', '=', id).executeTakeFirst();
    if (row?.plan_document_json == null) return undefined;
    return parseJson<unknown>(row.plan_document_json, `assessment plan of assessment ${id}`);
  }

  async resultsDocument(id: string): Promise<unknown | undefined> {
    const parts = await this.resultsDocumentParts(id);
    if (parts !== undefined) {
      let text = '';
      for await (const part of parts) text += part;
      return parseJson<unknown>(text, `results document of assessment ${id}`);
    }
    const row = await this.db.selectFrom('assessment').select('results_document_json').where('id', '=', id).executeTakeFirst();
    if (row?.results_document_json == null) return undefined;
    return parseJson<unknown>(row.results_document_json, `results document of assessment ${id}`);
  }

  async resultsDocumentParts(id: string): Promise<AsyncIterable<string> | undefined> {
    const first = await this.db.selectFrom('document_part').select('seq').where('assessment_id', '=', id).where('document', '=', RESULTS_DOCUMENT).where('seq', '=', 0).executeTakeFirst();
    if (first === undefined) return undefined;
    const db = this.db;
    return (async function* parts() {
      // A few parts at a time, in order: never the whole document at once.
      for (let from = 0; ; from += PARTS_PER_READ) {
        const rows = await db
          .selectFrom('document_part')
          .select('text')
          .where('assessment_id', '=', id)
          .where('document', '=', RESULTS_DOCUMENT)
          .where('seq', '>=', from)
          .where('seq', '<', from + PARTS_PER_READ)
          .orderBy('seq')
          .execute();
        for (const r of rows) yield r.text;
        if (rows.length < PARTS_PER_READ) return;
      }
    })();
  }

  async listFacts(assessmentId: string): Promise<FactsSnapshot[]> {
    const rows = await this.db.selectFrom('facts_snapshot').selectAll().where('assessment_id', '=', assessmentId).orderBy('collected_at').orderBy('id').execute();
    return rows.map(mapFactsRow);
  }

  async listResults(assessmentId: string, nodeId?: string): Promise<RuleResult[]> {
    let q = this.db.selectFrom('rule_result').selectAll().where('assessment_id', '=', assessmentId);
    if (nodeId !== undefined) q = q.where('node_id', '=', nodeId);
    return (await q.orderBy('id').execute()).map(mapRuleResultRow);
  }

  async reportContext(assessmentId: string): Promise<AssessmentReportContext | undefined> {
    const row = await this.db.selectFrom('assessment').select('report_context_json').where('id', '=', assessmentId).executeTakeFirst();
    if (row?.report_context_json == null) return undefined;
    return parseJson<AssessmentReportContext>(row.report_context_json, `report context of assessment ${assessmentId}`);
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
        if (r.numUpdatedRows === 0n) continue;
        n += 1;
        // Nodes collected before the process died stay collected: their facts are stored.
        await trx.updateTable('assessment_node').set(nodeStatusColumns({ state: 'interrupted', message: run.error })).where('assessment_id', '=', run.id).where('status', '=', 'pending').execute();
      }
      return n;
    });
  }

  /** The node rows of these assessments, in request order, by assessment id. */
  private async nodesOf(ids: readonly string[]): Promise<Map<string, AssessedNode[]>> {
    const out = new Map<string, AssessedNode[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('assessment_node').selectAll().where('assessment_id', 'in', [...ids]).orderBy('assessment_id').orderBy('position').execute();
    for (const row of rows) {
      const list = out.get(row.assessment_id) ?? [];
      list.push(mapAssessmentNodeRow(row));
      out.set(row.assessment_id, list);
    }
    return out;
  }

  /** The benchmarks of these assessments (with their documents), in request order, by assessment id. */
  private async benchmarksOf(ids: readonly string[]): Promise<Map<string, AssessedBenchmark[]>> {
    const out = new Map<string, AssessedBenchmark[]>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('assessment_benchmark')
      .innerJoin('document', 'document.id', 'assessment_benchmark.benchmark_document_id')
      .select(['assessment_benchmark.assessment_id', 'assessment_benchmark.benchmark_document_id', 'assessment_benchmark.profile_id', 'document.doc_id', 'document.title', 'document.version', 'document.release'])
      .where('assessment_benchmark.assessment_id', 'in', [...ids])
      .orderBy('assessment_benchmark.assessment_id')
      .orderBy('assessment_benchmark.position')
      .execute();
    for (const r of rows) {
      const b: AssessedBenchmark = {
        documentId: r.benchmark_document_id,
        benchmarkId: r.doc_id,
        title: r.title,
        version: r.version,
        ...(r.release !== null ? { release: r.release } : {}),
        ...(r.profile_id !== null ? { profileId: r.profile_id } : {}),
      };
      out.set(r.assessment_id, [...(out.get(r.assessment_id) ?? []), b]);
    }
    return out;
  }

  private joined(filter: ScopeFilter = {}) {
    const q = this.db
      .selectFrom('assessment')
      .innerJoin('document', 'document.id', 'assessment.benchmark_document_id')
      .select(RUN_COLUMNS.map((c) => `assessment.${c}` as const))
      .select(['document.doc_id as doc_benchmark_id', 'document.title as doc_title', 'document.version as doc_version', 'document.release as doc_release']);
    const scope = filter.environments;
    return scope === undefined ? q : q.where((eb) => assessmentVisibleTo(eb, scope));
  }
}
