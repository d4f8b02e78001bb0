/**
 * Stored drift: one report per (run, node, comparison) and its changes, written in one transaction per run
 * (a run recorded again replaces its reports), paged in the database with the shared keyset helper.
 */
import type { Selectable } from './database/kysely.js';
import {
  DRIFT_CHANGE_KINDS,
  DRIFT_COMPARISON_KINDS,
  DRIFT_REPORT_STATES,
  type DriftChange,
  type DriftChangeFilter,
  type DriftComparisonKind,
  type DriftCounts,
  type DriftReport,
  type DriftReportFilter,
  type DriftReportState,
  type StoredDriftChange,
} from '../domain/drift.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Severity } from '../domain/results.js';
import type { Db } from './database/database.js';
import { insertRows } from './database/bulk-insert.js';
import { parseStoredJson } from './database/stored-json.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { DriftChangeTable, DriftReportTable } from './database/tables.js';

/** Which changes of a report to list (a node's report: no node filter). */
export type StoredChangeFilter = Omit<DriftChangeFilter, 'nodeId'>;

export interface DriftReportRepository {
  /** Replaces the run's reports with these, changes included, all or nothing. */
  replaceRun(assessmentId: string, reports: readonly { report: DriftReport; changes: readonly DriftChange[] }[]): Promise<void>;
  find(id: string): Promise<DriftReport | undefined>;
  /** A page of a run's reports, in node then comparison order. */
  page(assessmentId: string, filter: DriftReportFilter, request: PageRequest): Promise<Connection<DriftReport>>;
  /** Every report of a run. */
  listRun(assessmentId: string): Promise<DriftReport[]>;
  /** A page of a report's changes, in stored order. */
  changes(reportId: string, filter: StoredChangeFilter, request: PageRequest): Promise<Connection<StoredDriftChange>>;
  /** Every change of a report. */
  allChanges(reportId: string): Promise<StoredDriftChange[]>;
}

const INSERT_CHUNK = 500;
const KINDS: ReadonlySet<string> = new Set<string>(DRIFT_CHANGE_KINDS);


/** Row → domain. */
export function mapReportRow(r: Selectable<DriftReportTable>): DriftReport {
  if (!(DRIFT_COMPARISON_KINDS as readonly string[]).includes(r.comparison) || !(DRIFT_REPORT_STATES as readonly string[]).includes(r.state)) {
    throw new PlimsollError(ErrorCode.INTERNAL, `drift report ${r.id} has an unknown comparison or state`);
  }
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    benchmarkId: r.benchmark_id,
    comparison: r.comparison as DriftComparisonKind,
    ...(r.compared_assessment_id !== null ? { comparedAssessmentId: r.compared_assessment_id } : {}),
    state: r.state as DriftReportState,
    ...(r.message !== null ? { message: r.message } : {}),
    counts: parseStoredJson<DriftCounts>(r.counts_json, `counts of drift report ${r.id}`),
    ...(r.max_severity !== null ? { maxSeverity: r.max_severity as Severity } : {}),
    computedAt: r.computed_at,
  };
}

/** Row → domain. */
export function mapChangeRow(r: Selectable<DriftChangeTable>): StoredDriftChange {
  if (!KINDS.has(r.kind)) throw new PlimsollError(ErrorCode.INTERNAL, `drift change ${r.id} has unknown kind ${r.kind}`);
  return { ...parseStoredJson<DriftChange>(r.change_json, `drift change ${r.id}`), id: r.id, reportId: r.report_id };
}

function changeRow(reportId: string, c: DriftChange): Omit<Selectable<DriftChangeTable>, 'id'> {
  const target = 'target' in c ? c.target : undefined;
  return {
    report_id: reportId,
    kind: c.kind,
    node_id: c.nodeId,
    stig_id: ('stigId' in c ? c.stigId : undefined) ?? null,
    severity: ('severity' in c ? c.severity : undefined) ?? null,
    target_kind: target?.kind ?? null,
    target_key: target?.key ?? null,
    field: c.kind === 'evidence-changed' ? c.change.field : null,
    change_json: JSON.stringify(c),
  };
}

export class KyselyDriftReportRepository implements DriftReportRepository {
  constructor(private readonly db: Db) {}

  async replaceRun(assessmentId: string, reports: readonly { report: DriftReport; changes: readonly DriftChange[] }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('drift_report').where('assessment_id', '=', assessmentId).execute();
      for (const { report: r, changes } of reports) {
        await trx
          .insertInto('drift_report')
          .values({
            id: r.id, assessment_id: r.assessmentId, node_id: r.nodeId, node_name: r.nodeName, benchmark_id: r.benchmarkId, comparison: r.comparison,
            compared_assessment_id: r.comparedAssessmentId ?? null, state: r.state, message: r.message ?? null, counts_json: JSON.stringify(r.counts),
            max_severity: r.maxSeverity ?? null, computed_at: r.computedAt,
          })
          .execute();
        await insertRows(trx, 'drift_change', changes, (c) => changeRow(r.id, c), INSERT_CHUNK);
      }
    });
  }

  async find(id: string): Promise<DriftReport | undefined> {
    const row = await this.db.selectFrom('drift_report').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapReportRow(row);
  }

  async page(assessmentId: string, filter: DriftReportFilter, request: PageRequest): Promise<Connection<DriftReport>> {
    let base = this.db.selectFrom('drift_report').selectAll().where('assessment_id', '=', assessmentId);
    if (filter.nodeId !== undefined) base = base.where('node_id', '=', filter.nodeId);
    if (filter.comparison !== undefined) base = base.where('comparison', '=', filter.comparison);
    const key = [
      { ref: 'drift_report.node_name', type: 'string' as const, value: (r: Selectable<DriftReportTable>) => r.node_name },
      { ref: 'drift_report.comparison', type: 'string' as const, value: (r: Selectable<DriftReportTable>) => r.comparison },
      { ref: 'drift_report.id', type: 'string' as const, value: (r: Selectable<DriftReportTable>) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), mapReportRow);
  }

  async listRun(assessmentId: string): Promise<DriftReport[]> {
    const rows = await this.db.selectFrom('drift_report').selectAll().where('assessment_id', '=', assessmentId).orderBy('node_name').orderBy('comparison').orderBy('id').execute();
    return rows.map(mapReportRow);
  }

  async changes(reportId: string, filter: StoredChangeFilter, request: PageRequest): Promise<Connection<StoredDriftChange>> {
    let base = this.db.selectFrom('drift_change').selectAll().where('report_id', '=', reportId);
    if (filter.kinds !== undefined && filter.kinds.length > 0) base = base.where('kind', 'in', [...filter.kinds]);
    if (filter.severity !== undefined) base = base.where('severity', '=', filter.severity);
    // An evidence change names its rules in its JSON: filtered after reading (a report's changes are few).
    if (filter.stigId !== undefined) base = base.where((eb) => eb.or([eb('stig_id', '=', filter.stigId!), eb.and([eb('kind', '=', 'evidence-changed'), eb('change_json', 'like', `%"${filter.stigId!.replace(/[%_"\\]/g, '')}"%`)])]));
    const key = [{ ref: 'drift_change.id', type: 'number' as const, value: (r: Selectable<DriftChangeTable>) => r.id }];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), mapChangeRow);
  }

  async allChanges(reportId: string): Promise<StoredDriftChange[]> {
    const rows = await this.db.selectFrom('drift_change').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
    return rows.map(mapChangeRow);
  }
}
