import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0024: `document_part`, a stored document's text in ordered parts, so that a large document (the
 * OSCAL assessment results of a 1,000-container node run to tens of megabytes) is written as it is produced
 * and read back as a stream, never held whole. Keyed by assessment, document name and sequence number.
 * Documents stored before it stay where they are (`assessment.results_document_json`): readers look for parts
 * first and fall back to the column. Also indexes for paging an assessment's rule results by row id (the keyset
 * cursor), with or without a status filter, as target_result has had since 0009. Portable schema-builder DDL
 * (SQLite and PostgreSQL alike).
 */
export const documentPartsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('document_part')
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('document_part_pk', ['assessment_id', 'document', 'seq'])
      .execute();
    await db.schema.createIndex('rule_result_assessment_id').on('rule_result').columns(['assessment_id', 'id']).execute();
    await db.schema.createIndex('rule_result_assessment_status').on('rule_result').columns(['assessment_id', 'status', 'id']).execute();
  },
};
