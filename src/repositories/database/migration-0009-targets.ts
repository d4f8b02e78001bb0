import { type Kysely, type Migration, sql } from './kysely.js';

/**
 * Migration 0009: what reports, drift and checklists need of an assessment.
 *
 * - `target_result`: one row per (assessment, node, rule, target) with its verdict and observations, beside the
 *   per-rule `rule_result`. Indexed for "one assessment's results, paged" (assessment, id) and "one target across
 *   assessments" (node, kind, stable key, rule). Older assessments keep their rule results and get no target rows.
 * - `assessment_node`: the nodes of an assessment with a per-node status (pending, collected, failed with a
 *   classified reason, interrupted) and the node's name, endpoint and asset facts as they were at the run.
 *   Back-filled from `node_ids_json` and the facts snapshots of existing assessments.
 * - `node`: soft delete (`removed_at`). The table is rebuilt because its column-level UNIQUE(name) can't be
 *   dropped in SQLite: names become unique among present nodes only (a partial unique index), so a new node
 *   may reuse the name of a removed one.
 * - `node_asset`: a node's asset facts as last collected and an assessor's overrides, kept apart so that a new
 *   collection never erases an override.
 * - `assessment.plan_document_json`: the OSCAL assessment plan stored with the results.
 *
 * Written with Kysely's schema builder only (partial indexes exist in both SQLite and PostgreSQL).
 */
export const targetsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('target_result')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('check_content_hash', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('target_name', 'text', (c) => c.notNull())
      .addColumn('target_image', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('observations_json', 'text', (c) => c.notNull())
      .addColumn('exempted_by', 'text')
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('target_result_assessment').on('target_result').columns(['assessment_id', 'id']).execute();
    await db.schema.createIndex('target_result_assessment_status').on('target_result').columns(['assessment_id', 'status', 'id']).execute();
    await db.schema.createIndex('target_result_target').on('target_result').columns(['node_id', 'target_kind', 'target_key', 'stig_id', 'assessment_id']).execute();

    await db.schema
      .createTable('assessment_node')
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('node_name', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('failure_reason', 'text')
      .addColumn('message', 'text')
      .addColumn('collected_at', 'text')
      .addColumn('facts_sha256', 'text')
      .addColumn('asset_json', 'text')
      .addPrimaryKeyConstraint('assessment_node_pk', ['assessment_id', 'node_id'])
      .execute();
    await db.schema.createIndex('assessment_node_node').on('assessment_node').columns(['node_id', 'assessment_id']).execute();
    await db.schema.alterTable('assessment').addColumn('plan_document_json', 'text').execute();

    await rebuildNodeTable(db);
    await db.schema
      .createTable('node_asset')
      .addColumn('node_id', 'text', (c) => c.primaryKey().references('node.id'))
      .addColumn('collected_json', 'text')
      .addColumn('collected_at', 'text')
      .addColumn('override_json', 'text')
      .addColumn('override_by', 'text')
      .addColumn('override_at', 'text')
      .execute();

    await backfillAssessmentNodes(db);
  },
};

/**
 * node → node with `removed_at` and names unique among present nodes only. The new table takes every column the
 * node table has when this runs (read from the database, not listed here), so columns that other migrations add
 * before it (0005's platform_container_pattern, 0007's stored TLS material, whatever comes in between by name
 * order) survive with their values: only the column-level UNIQUE(name) is left behind. Such added columns are
 * nullable without defaults (SQLite's ADD COLUMN); NOT NULL is carried over, the id stays the key.
 */
async function rebuildNodeTable(db: Kysely<any>): Promise<void> {
  const table = (await db.introspection.getTables()).find((t) => t.name === 'node');
  if (table === undefined) throw new Error('migration 0009: the node table is missing');
  let create = db.schema.createTable('node_0009');
  for (const column of table.columns) {
    create = create.addColumn(column.name, sql.raw(column.dataType), (c) => (column.name === 'id' ? c.primaryKey() : column.isNullable ? c : c.notNull()));
  }
  await create.addColumn('removed_at', 'text').execute();
  const columns = table.columns.map((c) => c.name);
  await db
    .insertInto('node_0009')
    .columns(columns)
    .expression((eb: any) => eb.selectFrom('node').select(columns))
    .execute();
  await db.schema.dropTable('node').execute();
  await db.schema.alterTable('node_0009').renameTo('node').execute();
  await db.schema
    .createIndex('node_present_name')
    .on('node')
    .column('name')
    .unique()
    .where(sql.ref('removed_at'), 'is', null)
    .execute();
  await db.schema.createIndex('node_endpoint').on('node').column('endpoint').execute();
}

/** One assessment_node row per node id of every existing assessment, with the status its data shows. */
async function backfillAssessmentNodes(db: Kysely<any>): Promise<void> {
  const assessments: { id: string; status: string; node_ids_json: string; error: string | null; started_at: string }[] = await db
    .selectFrom('assessment')
    .select(['id', 'status', 'node_ids_json', 'error', 'started_at'])
    .execute();
  const nodes = new Map<string, { name: string; endpoint: string }>(
    (await db.selectFrom('node').select(['id', 'name', 'endpoint']).execute()).map((n: { id: string; name: string; endpoint: string }) => [n.id, n]),
  );
  for (const a of assessments) {
    let ids: unknown;
    try {
      ids = JSON.parse(a.node_ids_json);
    } catch {
      ids = [];
    }
    const nodeIds = Array.isArray(ids) ? [...new Set(ids.map(String))] : [];
    const snapshots = new Map<string, { collected_at: string; sha256: string }>(
      (await db.selectFrom('facts_snapshot').select(['node_id', 'collected_at', 'sha256']).where('assessment_id', '=', a.id).execute()).map(
        (s: { node_id: string; collected_at: string; sha256: string }) => [s.node_id, s],
      ),
    );
    const rows = nodeIds.map((nodeId, position) => {
      const node = nodes.get(nodeId);
      const snapshot = snapshots.get(nodeId);
      const base = { assessment_id: a.id, node_id: nodeId, position, node_name: node?.name ?? nodeId, endpoint: node?.endpoint ?? 'unknown', asset_json: null };
      if (snapshot !== undefined) return { ...base, status: 'collected', failure_reason: null, message: null, collected_at: snapshot.collected_at, facts_sha256: snapshot.sha256 };
      const missing = { collected_at: null, facts_sha256: null };
      if (a.status === 'running') return { ...base, ...missing, status: 'pending', failure_reason: null, message: null };
      if (a.status === 'interrupted') return { ...base, ...missing, status: 'interrupted', failure_reason: null, message: a.error ?? 'the run was interrupted before this node was collected' };
      return { ...base, ...missing, status: 'failed', failure_reason: 'unknown', message: a.error ?? 'no facts were stored for this node' };
    });
    if (rows.length > 0) await db.insertInto('assessment_node').values(rows).execute();
  }
}
