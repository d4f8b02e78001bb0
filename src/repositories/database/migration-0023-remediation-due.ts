import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0023: `remediation_item.first_observed_at` and `due_at`, when the item's finding was first seen
 * failing (carried over across assessments like a POA&M item) and when its remediation is due under the
 * milestone policy (`PLIMSOLL_POAM_DUE_DAYS`). Items of plans proposed before it keep NULL: their dates were
 * never recorded, and a later policy must not be passed off as the one in force when the plan was made.
 * Nullable columns added with Kysely's schema builder (SQLite and PostgreSQL alike).
 */
export const remediationDueMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('remediation_item').addColumn('first_observed_at', 'text').execute();
    await db.schema.alterTable('remediation_item').addColumn('due_at', 'text').execute();
  },
};
