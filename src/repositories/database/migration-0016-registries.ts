/**
 * Migration 0016: registries, trust servers and the allowed signers of environments, registered like nodes
 * (issue #11 item 1). CA certificates are stored as PEM content; credentials (user name and password, as JSON)
 * are sealed with PLIMSOLL_SECRET_KEY (repositories/secret-box.ts). Names are unique; a registry names its
 * trust server by id (a trust server a registry uses can't be removed). Signers are rows of
 * (environment, role), their key ids a JSON list. Kysely's schema builder only: portable to PostgreSQL.
 */
import type { Kysely, Migration } from './kysely.js';

export const registriesMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('trust_server')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('ca_pem', 'text')
      .addColumn('credentials_sealed', 'text')
      .addColumn('credentials_updated_at', 'text')
      .addColumn('pinned_root_keys_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('registry')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('ca_pem', 'text')
      .addColumn('credentials_sealed', 'text')
      .addColumn('credentials_updated_at', 'text')
      .addColumn('trust_server_id', 'text', (c) => c.references('trust_server.id'))
      .addColumn('repositories_json', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registry_environment').on('registry').columns(['environment', 'name']).execute();
    await db.schema
      .createTable('environment_signer')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('key_ids_json', 'text')
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('environment_signer_pk', ['environment', 'role'])
      .execute();
  },
};
