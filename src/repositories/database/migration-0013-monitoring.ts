import { type Kysely, type Migration, sql } from './kysely.js';

/**
 * Migration 0013: continuous monitoring (issue #10: schedules and notifications).
 *
 * - `schedule`: cron schedules of assessments for a node or a label selector, owned by a user; the next firing
 *   is stored, so a firing missed while no server ran is found at the next start. Soft delete (`removed_at`):
 *   names unique among present schedules (a partial unique index on the case-folded name), jobs stay readable.
 * - `schedule_job`: one row per node per firing, with its status and the runner (host:pid) that runs it.
 * - `scheduler_lease`: the lease only one server instance holds to schedule (and to deliver webhooks).
 * - `webhook`: registered endpoints; the HMAC secret sealed with PLIMSOLL_SECRET_KEY, never stored in clear.
 * - `webhook_delivery`: the persisted delivery queue and log (status, attempts, next attempt, last response code).
 * - `expiry_notice`: which expiry events were published, so a restart does not announce them again.
 *
 * Kysely's schema builder only; nothing here is SQLite-specific.
 */
export const monitoringMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('schedule')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('cron', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target_node_id', 'text')
      .addColumn('target_node_name', 'text')
      .addColumn('target_labels_json', 'text', (c) => c.notNull())
      .addColumn('target_environment', 'text')
      .addColumn('benchmark', 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text')
      .addColumn('owner_user_id', 'text', (c) => c.notNull())
      .addColumn('owner_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('next_run_at', 'text')
      .addColumn('last_fired_at', 'text')
      .addColumn('state_json', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .execute();
    await db.schema.createIndex('schedule_name_present').on('schedule').column('name_key').unique().where(sql.ref('removed_at'), 'is', null).execute();
    await db.schema.createIndex('schedule_next_run').on('schedule').columns(['next_run_at']).execute();

    await db.schema
      .createTable('schedule_job')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedule.id'))
      .addColumn('schedule_name', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text')
      .addColumn('node_name', 'text')
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('state_json', 'text', (c) => c.notNull())
      .addColumn('runner', 'text')
      .execute();
    await db.schema.createIndex('schedule_job_schedule').on('schedule_job').columns(['schedule_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('schedule_job_created').on('schedule_job').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('schedule_job_status').on('schedule_job').columns(['status']).execute();

    await db.schema
      .createTable('scheduler_lease')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('filter_json', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .execute();
    await db.schema.createIndex('webhook_name_present').on('webhook').column('name_key').unique().where(sql.ref('removed_at'), 'is', null).execute();

    await db.schema
      .createTable('webhook_delivery')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhook.id'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('event_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_response_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('webhook_delivery_due').on('webhook_delivery').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_delivery_log').on('webhook_delivery').columns(['webhook_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('webhook_delivery_event').on('webhook_delivery').columns(['webhook_id', 'event_id']).unique().execute();

    await db.schema
      .createTable('expiry_notice')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('noticed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('expiry_notice_pk', ['subject', 'subject_id', 'kind', 'expires_at'])
      .execute();
  },
};
