/**
 * Nodes registered with TLS file paths before migration 0007: the migration keeps them (as `legacy-files`),
 * and the first start with PLIMSOLL_SECRET_KEY reads, checks and encrypts their files. Paths that are not
 * TLS material (say, /etc/hostname) are never copied into the database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgradeLegacyTls } from '../../../src/nodes/legacy-tls.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { LocalFiles } from '../../../src/repositories/local-files.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { SecretBox } from '../../../src/repositories/secret-box.js';
import { tempDir } from '../../harness/content.js';
import { makeTlsMaterial, type TlsMaterial } from '../../harness/tls.js';

let dir: string;
let tls: TlsMaterial;
beforeAll(async () => {
  dir = tempDir();
  tls = await makeTlsMaterial(path.join(dir, 'tls'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database as a release before 0007 left it, with two TLS nodes registered by path. */
async function databaseBefore0007(file: string): Promise<void> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0004_rule_remediation');
  expect(error).toBeUndefined();
  const row = (id: string, name: string, ca: string, cert: string, key: string) => ({
    id, name, endpoint: `tcp://10.0.0.${id}:2376`, tls_ca_path: ca, tls_cert_path: cert, tls_key_path: key, labels_json: '{}', environment: null, created_at: '2024-01-01T00:00:00Z',
  });
  await db.insertInto('node').values([row('1', 'good', tls.ca, tls.clientCert, tls.clientKey), row('2', 'hostname', '/etc/hostname', '/etc/hostname', '/etc/hostname'), row('3', 'plain', '', '', '')]).execute();
  await db.updateTable('node').set({ tls_ca_path: null, tls_cert_path: null, tls_key_path: null }).where('id', '=', '3').execute();
  await db.destroy();
}

describe('nodes registered with TLS file paths', () => {
  it('keep their rows through migration 0007, then are encrypted at the first start with a key; non-TLS files are never copied', async () => {
    const file = path.join(dir, 'old.db');
    await databaseBefore0007(file);
    const db = await openDatabase(file);
    try {
      const repo = new KyselyNodeRepository(db);
      expect((await repo.list()).map((n) => [n.name, n.tls?.kind])).toEqual([['good', 'legacy-files'], ['hostname', 'legacy-files'], ['plain', undefined]]);

      const box = new SecretBox(randomBytes(32));
      const outcome = await upgradeLegacyTls(repo, new LocalFiles(), box);
      expect(outcome.upgraded).toEqual(['good']);
      expect(outcome.failed).toEqual([{ node: 'hostname', reason: expect.stringContaining('not a PEM X.509 certificate') }]);
      expect(outcome.failed[0]!.reason).not.toContain(fs.readFileSync('/etc/hostname', 'utf8').trim());

      const good = await repo.findByName('good');
      expect(good?.tls).toMatchObject({ kind: 'sealed', caPem: fs.readFileSync(tls.ca, 'utf8') });
      expect(box.open((good!.tls as { keySealed: string }).keySealed, 'node-tls-key').toString('utf8')).toBe(fs.readFileSync(tls.clientKey, 'utf8'));
      const rows = await db.selectFrom('node').selectAll().orderBy('id').execute();
      expect(rows[0]).toMatchObject({ tls_ca_path: null, tls_cert_path: null, tls_key_path: null });
      expect(rows[1]).toMatchObject({ tls_ca_path: '/etc/hostname', tls_ca_pem: null, tls_key_sealed: null });
      expect(JSON.stringify(rows)).not.toContain('PRIVATE KEY');

      // Idempotent: a second start changes nothing more.
      expect(await upgradeLegacyTls(repo, new LocalFiles(), box)).toEqual({ upgraded: [], failed: outcome.failed });
    } finally {
      await db.destroy();
    }
  });
});
