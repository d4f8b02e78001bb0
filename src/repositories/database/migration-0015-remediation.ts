import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0015: remediation plans (issue #10, item 5).
 *
 * - `remediation_plan`: one row per plan with its lifecycle columns (proposed, approved, rejected, stale,
 *   applying, applied, partially-applied, failed), the settings it sets and the re-assessment made after applying.
 *   Transitions are conditional updates on the status they leave, as for exemptions.
 * - `remediation_item`: the plan's items, one per failing target of a rule, with the action (an Engine API change
 *   or a manual step) as JSON and, after applying, what the re-assessment says about the failure.
 * - `remediation_call`: every Engine API call made while applying, inserted before the call and answered after
 *   it (so a process that dies mid-way leaves the call, unanswered, for the next start to close), with the
 *   classified answer only: outcome, HTTP status, error code and Plimsoll's own note, never a remote body.
 * - `remediation_secret`: swarm unlock keys sealed with PLIMSOLL_SECRET_KEY (AES-256-GCM), kept until the plan's
 *   approver reads them once; the sealed value is then cleared, the reading recorded.
 *
 * New tables only, written with Kysely's schema builder (portable to PostgreSQL); no existing row changes.
 */
export const remediationMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('remediation_plan')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('proposed_by', 'text', (c) => c.notNull())
      .addColumn('proposed_by_user_id', 'text', (c) => c.notNull())
      .addColumn('proposed_at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('settings_json', 'text', (c) => c.notNull())
      .addColumn('rules_json', 'text', (c) => c.notNull())
      .addColumn('engine_items', 'integer', (c) => c.notNull())
      .addColumn('manual_items', 'integer', (c) => c.notNull())
      .addColumn('exempted_failures', 'integer', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_user_id', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('reason', 'text')
      .addColumn('stale_by', 'text')
      .addColumn('stale_by_user_id', 'text')
      .addColumn('stale_at', 'text')
      .addColumn('stale_reasons_json', 'text')
      .addColumn('applied_by', 'text')
      .addColumn('applied_by_user_id', 'text')
      .addColumn('apply_started_at', 'text')
      .addColumn('apply_finished_at', 'text')
      .addColumn('runner', 'text')
      .addColumn('reassessment_id', 'text')
      .addColumn('outcome_message', 'text')
      .execute();
    await db.schema.createIndex('remediation_plan_assessment').on('remediation_plan').columns(['assessment_id', 'proposed_at', 'id']).execute();
    await db.schema.createIndex('remediation_plan_status').on('remediation_plan').columns(['status', 'proposed_at', 'id']).execute();

    await db.schema
      .createTable('remediation_item')
      .addColumn('plan_id', 'text', (c) => c.notNull().references('remediation_plan.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('node_name', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('target_name', 'text', (c) => c.notNull())
      .addColumn('target_image', 'text')
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text', (c) => c.notNull())
      .addColumn('action_json', 'text', (c) => c.notNull())
      .addColumn('verification', 'text')
      .addColumn('verified_status', 'text')
      .addColumn('verification_message', 'text')
      .addPrimaryKeyConstraint('remediation_item_pk', ['plan_id', 'position'])
      .execute();
    await db.schema.createIndex('remediation_item_mode').on('remediation_item').columns(['plan_id', 'mode', 'position']).execute();

    await db.schema
      .createTable('remediation_call')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('plan_id', 'text', (c) => c.notNull().references('remediation_plan.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('error_code', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('remediation_call_plan').on('remediation_call').columns(['plan_id', 'id']).execute();

    await db.schema
      .createTable('remediation_secret')
      .addColumn('plan_id', 'text', (c) => c.notNull().references('remediation_plan.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('sealed_value', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revealed_at', 'text')
      .addColumn('revealed_by', 'text')
      .addPrimaryKeyConstraint('remediation_secret_pk', ['plan_id', 'position', 'purpose'])
      .execute();
  },
};
