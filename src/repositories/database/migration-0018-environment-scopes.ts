import type { Kysely, Migration } from './kysely.js';

/**
 * Migration 0018: environment scopes (issue #11 item 3). `app_user.environments_json` and
 * `api_token.environments_json` hold a JSON array of environment names; NULL is "every environment", so every
 * user and token stored before keeps the access it had. Nullable columns added with Kysely's schema builder
 * (SQLite and PostgreSQL alike).
 */
export const environmentScopesMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('app_user').addColumn('environments_json', 'text').execute();
    await db.schema.alterTable('api_token').addColumn('environments_json', 'text').execute();
  },
};
