import { type Kysely, type Migration } from './kysely.js';

/**
 * Migration 0014: drift and posture history (issue #10).
 *
 * - `reference_run`: the assessment a user pinned for a node and benchmark (one per pair), compared with every
 *   later run of them.
 * - `drift_report` / `drift_change`: each completed run's comparison, per node, with its previous run and its
 *   reference run, and the changes found (the change as JSON, with the columns lists filter on).
 * - `node_posture`: per run and node collected, rule results by status and failures open or exempted by
 *   severity, which history sums per bucket. Back-filled from the rule results of existing completed runs.
 * - `finding_episode`: a target failing a rule, from the run that first saw it failing to the run it passed
 *   again (remediated) or was closed otherwise; the mean time to remediate is read from it. Episodes start with
 *   the first run after this migration: rebuilding them from older runs would replay every stored per-target
 *   result inside a migration.
 * - an index of `facts_snapshot` by (assessment, node): drift reads one node's facts of a run.
 * - a covering index of `target_result` by (assessment, node, target, rule) with status and exemption: drift
 *   finds the targets whose verdicts differ between two runs from the index alone, never reading the rows'
 *   observations (a run of a large node has tens of thousands of rows).
 *
 * Kysely's schema builder only: the same statements serve PostgreSQL.
 */
export const driftMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('facts_snapshot_assessment_node').on('facts_snapshot').columns(['assessment_id', 'node_id']).execute();
    await db.schema
      .createIndex('target_result_drift')
      .on('target_result')
      .columns(['assessment_id', 'node_id', 'target_kind', 'target_key', 'stig_id', 'status', 'exempted_by', 'severity'])
      .execute();

    await db.schema
      .createTable('reference_run')
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('benchmark_id', 'text', (c) => c.notNull())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('pinned_by', 'text', (c) => c.notNull())
      .addColumn('pinned_by_user_id', 'text')
      .addColumn('pinned_at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('reference_run_pk', ['node_id', 'benchmark_id'])
      .execute();

    await db.schema
      .createTable('drift_report')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('node_name', 'text', (c) => c.notNull())
      .addColumn('benchmark_id', 'text', (c) => c.notNull())
      .addColumn('comparison', 'text', (c) => c.notNull())
      .addColumn('compared_assessment_id', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('counts_json', 'text', (c) => c.notNull())
      .addColumn('max_severity', 'text')
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('drift_report_run').on('drift_report').columns(['assessment_id', 'node_id', 'comparison']).unique().execute();
    await db.schema.createIndex('drift_report_node').on('drift_report').columns(['node_id', 'computed_at']).execute();

    await db.schema
      .createTable('drift_change')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('report_id', 'text', (c) => c.notNull().references('drift_report.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text')
      .addColumn('severity', 'text')
      .addColumn('target_kind', 'text')
      .addColumn('target_key', 'text')
      .addColumn('field', 'text')
      .addColumn('change_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('drift_change_report').on('drift_change').columns(['report_id', 'id']).execute();
    await db.schema.createIndex('drift_change_report_kind').on('drift_change').columns(['report_id', 'kind', 'id']).execute();

    await db.schema
      .createTable('node_posture')
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('benchmark_id', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('pass', 'integer', (c) => c.notNull())
      .addColumn('fail', 'integer', (c) => c.notNull())
      .addColumn('error', 'integer', (c) => c.notNull())
      .addColumn('not_applicable', 'integer', (c) => c.notNull())
      .addColumn('not_checked', 'integer', (c) => c.notNull())
      .addColumn('open_high', 'integer', (c) => c.notNull())
      .addColumn('open_medium', 'integer', (c) => c.notNull())
      .addColumn('open_low', 'integer', (c) => c.notNull())
      .addColumn('open_unknown', 'integer', (c) => c.notNull())
      .addColumn('exempted_high', 'integer', (c) => c.notNull())
      .addColumn('exempted_medium', 'integer', (c) => c.notNull())
      .addColumn('exempted_low', 'integer', (c) => c.notNull())
      .addColumn('exempted_unknown', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('node_posture_pk', ['assessment_id', 'node_id'])
      .execute();
    await db.schema.createIndex('node_posture_node').on('node_posture').columns(['node_id', 'benchmark_id', 'finished_at']).execute();
    await db.schema.createIndex('node_posture_time').on('node_posture').columns(['finished_at']).execute();

    await db.schema
      .createTable('finding_episode')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('benchmark_id', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('target_name', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('opened_assessment_id', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('closed_assessment_id', 'text')
      .addColumn('close_reason', 'text')
      .addColumn('duration_seconds', 'integer')
      .execute();
    await db.schema.createIndex('finding_episode_node').on('finding_episode').columns(['node_id', 'benchmark_id', 'closed_at']).execute();
    await db.schema.createIndex('finding_episode_closed').on('finding_episode').columns(['closed_at']).execute();
    await db.schema.createIndex('finding_episode_opened').on('finding_episode').columns(['opened_at']).execute();

    await backfillPostures(db);
  },
};

const SEVERITIES = ['high', 'medium', 'low', 'unknown'] as const;
type Sev = (typeof SEVERITIES)[number];

/** One node_posture row per collected node of every completed run, from its rule results. */
async function backfillPostures(db: Kysely<any>): Promise<void> {
  const runs: { id: string; finished_at: string | null; started_at: string; doc_id: string }[] = await db
    .selectFrom('assessment')
    .innerJoin('document', 'document.id', 'assessment.benchmark_document_id')
    .select(['assessment.id as id', 'assessment.finished_at as finished_at', 'assessment.started_at as started_at', 'document.doc_id as doc_id'])
    .where('assessment.status', '=', 'completed')
    .execute();
  for (const run of runs) {
    const collected: { node_id: string }[] = await db.selectFrom('assessment_node').select('node_id').where('assessment_id', '=', run.id).where('status', '=', 'collected').execute();
    if (collected.length === 0) continue;
    const results: { node_id: string; status: string; severity: string; exemption_json: string | null }[] = await db
      .selectFrom('rule_result')
      .select(['node_id', 'status', 'severity', 'exemption_json'])
      .where('assessment_id', '=', run.id)
      .execute();
    const rows = collected.map(({ node_id }) => {
      const row: Record<string, string | number> = { assessment_id: run.id, node_id, benchmark_id: run.doc_id, finished_at: run.finished_at ?? run.started_at, pass: 0, fail: 0, error: 0, not_applicable: 0, not_checked: 0 };
      for (const s of SEVERITIES) row[`open_${s}`] = row[`exempted_${s}`] = 0;
      for (const r of results) {
        if (r.node_id !== node_id) continue;
        const column = r.status.replace('-', '_');
        if (column in row) (row[column] as number) += 1;
        if (r.status !== 'fail') continue;
        const sev: Sev = (SEVERITIES as readonly string[]).includes(r.severity) ? (r.severity as Sev) : 'unknown';
        const exempted = r.exemption_json !== null && (JSON.parse(r.exemption_json) as { exemption?: unknown }).exemption !== undefined;
        (row[`${exempted ? 'exempted' : 'open'}_${sev}`] as number) += 1;
      }
      return row;
    });
    await db.insertInto('node_posture').values(rows).execute();
  }
}
