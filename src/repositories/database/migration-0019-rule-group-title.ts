import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0019: `benchmark_rule.group_title`, the title of a rule's group (DISA: the SRG id), which STIG Viewer
 * checklists show as Group_Title. Rules stored before it keep NULL: the group titles were never stored and the
 * benchmark file is not kept, so their checklists leave Group_Title empty (never invented).
 * A nullable column added with Kysely's schema builder (SQLite and PostgreSQL alike).
 */
export const ruleGroupTitleMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('benchmark_rule').addColumn('group_title', 'text').execute();
  },
};
