import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0012: manual reviews (attestations) and the kinds of exemptions (risk acceptance).
 *
 * - `manual_review`: one row per review, keyed to its rule by benchmark id + STIG id + check-content hash (so a
 *   new release with the same check text is answered by it); the scope (node, labels, every node), result,
 *   statement, evidence (JSON: text, URL, or a file by sha256), expiry as given and, once accepted, as an
 *   instant; the lifecycle state with who submitted and who decided (user id and name, as separation of duties
 *   compares them).
 * - `review_evidence_file`: evidence file bytes by sha256 (base64 text, as uploads store theirs: portable
 *   between SQLite and PostgreSQL); the same file attached to several reviews is stored once.
 * - `rule_result.review_json`: a result's attestation and review notes; `target_result.attested_by`: the
 *   review that answered a node-level row.
 * - `exemption.kind` (existing exemptions are risk acceptances) and `exemption.all_targets` (a whole failed rule).
 *
 * Existing data is kept: the new columns are nullable or have defaults.
 */
export const reviewsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('manual_review')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('benchmark_id', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('check_content_hash', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('release', 'text')
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      .addColumn('scope_node_id', 'text')
      .addColumn('scope_node_name', 'text')
      .addColumn('scope_labels_json', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('statement', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text', (c) => c.notNull())
      .addColumn('expiry_kind', 'text', (c) => c.notNull())
      .addColumn('expiry_value', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_by_user', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('submitted_by_user', 'text')
      .addColumn('submitted_by', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('decided_by_user', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('reason', 'text')
      .execute();
    await db.schema.createIndex('manual_review_rule').on('manual_review').columns(['state', 'benchmark_id', 'stig_id']).execute();
    await db.schema.createIndex('manual_review_created').on('manual_review').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('review_evidence_file')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('rule_result').addColumn('review_json', 'text').execute();
    await db.schema.alterTable('target_result').addColumn('attested_by', 'text').execute();
    await db.schema.alterTable('exemption').addColumn('kind', 'text', (c) => c.notNull().defaultTo('risk-accepted')).execute();
    await db.schema.alterTable('exemption').addColumn('all_targets', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
