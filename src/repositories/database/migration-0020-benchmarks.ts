import { sql, type Kysely, type Migration } from './kysely.js';

/**
 * Migration 0020: several benchmarks per assessment, and rules that cite SP 800-53 directly.
 * - `assessment_benchmark`: the benchmarks (and profile of each) one run assessed, in request order. Existing runs
 *   get their one benchmark copied in (position 0), so every run reads the same way; `assessment.benchmark_document_id`
 *   stays the first benchmark for the readers of that column.
 * - `rule_result.benchmark_document_id`: which benchmark a result belongs to (NULL on older rows: the run's one benchmark).
 * - `benchmark_rule.sp80053_json`: a rule's direct SP 800-53 references (`[{control, revision}]`), for rules with no
 *   CCI for a control (Plimsoll's own benchmark); NULL on rules stored before, which had none that were used.
 * Schema builder and an INSERT … SELECT only: SQLite and PostgreSQL alike.
 */
export const benchmarksMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('assessment_benchmark')
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('benchmark_document_id', 'text', (c) => c.notNull().references('document.id'))
      .addColumn('profile_id', 'text')
      .addPrimaryKeyConstraint('assessment_benchmark_pk', ['assessment_id', 'position'])
      .execute();
    await db.schema.createIndex('assessment_benchmark_document_idx').on('assessment_benchmark').column('benchmark_document_id').execute();
    await db
      .insertInto('assessment_benchmark')
      .columns(['assessment_id', 'position', 'benchmark_document_id', 'profile_id'])
      .expression(db.selectFrom('assessment').select(['id', sql<number>`0`.as('position'), 'benchmark_document_id', 'profile_id']))
      .execute();
    await db.schema.alterTable('rule_result').addColumn('benchmark_document_id', 'text').execute();
    await db.schema.alterTable('benchmark_rule').addColumn('sp80053_json', 'text').execute();
  },
};
