import type { Kysely, Migration } from './kysely.js';
import type { AssessmentReportContext } from '../../domain/report-context.js';

/**
 * Migration 0017: what an assessment's reports need beyond its rows, and the report signing key's home.
 *
 * - `assessment.report_context_json`: the run's report context (tool and version, the starting user's role, the
 *   rules a check decided, each node's engine version), so a report rendered later from the database is the
 *   one rendered at run time. Back-filled for completed assessments from the OSCAL documents stored with them,
 *   which carry exactly these facts (contextFromDocuments); an assessment whose documents are missing keeps
 *   NULL and its reports say they were rebuilt without it.
 *
 * The signing key itself lives in `installation_secret` (sealed with PLIMSOLL_SECRET_KEY), which exists.
 */
export const reportsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('assessment').addColumn('report_context_json', 'text').execute();
    const rows = await db
      .selectFrom('assessment')
      .select(['id', 'started_by', 'results_document_json', 'plan_document_json'])
      .where('status', '=', 'completed')
      .where('results_document_json', 'is not', null)
      .execute();
    for (const row of rows) {
      const context = contextFromDocuments(row.started_by as string, parse(row.results_document_json), parse(row.plan_document_json));
      if (context === undefined) continue;
      await db.updateTable('assessment').set({ report_context_json: JSON.stringify(context) }).where('id', '=', row.id).execute();
    }
  },
};

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const propValue = (item: Json | undefined, name: string): string | undefined => {
  const p = arr(item?.props).map(obj).find((x) => x?.name === name);
  return typeof p?.value === 'string' ? p.value : undefined;
};

/**
 * The report context recorded in an assessment's stored OSCAL documents: the tool component (title, `version`
 * prop), the assessor party's `plimsoll-role` prop, each node item's `engine-version`, and the plan activities'
 * `automated` prop (without a plan: the rules with a result other than manual review's). Undefined when the
 * results document is not one Plimsoll wrote.
 */
export function contextFromDocuments(startedBy: string, results: unknown, plan: unknown): AssessmentReportContext | undefined {
  const ar = obj(obj(results)?.['assessment-results']);
  const result = obj(arr(ar?.results)[0]);
  const local = obj(result?.['local-definitions']);
  const component = obj(arr(local?.components)[0]);
  const version = propValue(component, 'version');
  if (typeof component?.title !== 'string' || version === undefined) return undefined;
  const metadata = obj(ar?.metadata);
  const person = arr(metadata?.parties).map(obj).find((p) => p?.type === 'person');
  const role = propValue(person, 'plimsoll-role');
  const engineVersions: Record<string, string> = {};
  for (const item of arr(local?.['inventory-items']).map(obj)) {
    const nodeId = propValue(item, 'node-id');
    const engine = propValue(item, 'engine-version');
    if (nodeId !== undefined && engine !== undefined && propValue(item, 'target-kind') === undefined) engineVersions[nodeId] = engine;
  }
  const activities = arr(obj(obj(obj(plan)?.['assessment-plan'])?.['local-definitions'])?.activities).map(obj);
  const automated =
    activities.length > 0
      ? activities.filter((a) => propValue(a, 'automated') === 'true').map((a) => propValue(a, 'rule-id'))
      : arr(result?.findings)
          .map(obj)
          .filter((f) => propValue(f, 'result') !== 'not-checked')
          .map((f) => propValue(f, 'rule-id'));
  return {
    tool: { name: component.title, version },
    actor: { name: startedBy, ...(role !== undefined ? { role } : {}) },
    automatedRuleIds: [...new Set(automated.filter((r): r is string => r !== undefined))],
    engineVersions,
  };
}
