/**
 * Migration 0007: content arrives as uploads instead of server paths, and node TLS material is stored as
 * content with the private key encrypted (AES-256-GCM, PLIMSOLL_SECRET_KEY). Nodes registered with TLS file
 * paths keep them (`tls_*_path`) until the next start with a key reads, checks and encrypts the files
 * (nodes/legacy-tls.ts). Upload bodies are base64 text (or sealed text) so that the column is portable to
 * PostgreSQL. `upload.created_by` holds the uploader's user id (app_user.id); no foreign key, because
 * databases of the uploads branch ran this migration before 0006 created app_user (unordered migrations).
 */
import type { Kysely, Migration } from './kysely.js';

export const uploadsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('node').addColumn('tls_ca_pem', 'text').execute();
    await db.schema.alterTable('node').addColumn('tls_cert_pem', 'text').execute();
    await db.schema.alterTable('node').addColumn('tls_key_sealed', 'text').execute();
    await db.schema
      .createTable('upload')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('sealed', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('upload_expires').on('upload').columns(['expires_at']).execute();
  },
};
