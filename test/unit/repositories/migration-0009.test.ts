import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n';
const KEY_SEALED = 'v1:c2VhbGVkLWtleQ';

let dir: string;
let file: string;

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'old.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database as release 0004 left it, with two nodes and three assessments in each end state. */
async function seedOldDatabase(): Promise<void> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0004_rule_remediation');
  if (error) throw error;
  await seedDocument(db, benchmark('doc-1'));
  const node = (id: string, name: string) => ({ id, name, endpoint: `tcp://${name}:2376`, tls_ca_path: null, tls_cert_path: null, tls_key_path: null, labels_json: '{"site":"a"}', environment: 'prod', created_at: '2024-01-01T00:00:00.000Z' });
  await db.insertInto('node').values([node('n1', 'alpha'), node('n2', 'beta')]).execute();
  const assessment = (id: string, status: string, error: string | null) => ({
    id, status, benchmark_document_id: 'doc-1', profile_id: null, node_ids_json: JSON.stringify(['n1', 'n2']), started_at: `2024-01-0${id.slice(1)}T00:00:00.000Z`,
    finished_at: null, started_by: 'alice', error, summary_json: null, results_document_json: null, runner: null,
  });
  await db.insertInto('assessment').values([assessment('a1', 'completed', null), assessment('a2', 'failed', 'connect ECONNREFUSED'), assessment('a3', 'interrupted', 'interrupted: runner h:1 is no longer running')]).execute();
  await db.insertInto('facts_snapshot').values([
    { id: 'f1', assessment_id: 'a1', node_id: 'n1', collected_at: '2024-01-01T00:00:01.000Z', sha256: '1'.repeat(64), facts_json: '{}' },
    { id: 'f2', assessment_id: 'a1', node_id: 'n2', collected_at: '2024-01-01T00:00:02.000Z', sha256: '2'.repeat(64), facts_json: '{}' },
    { id: 'f3', assessment_id: 'a3', node_id: 'n1', collected_at: '2024-01-03T00:00:01.000Z', sha256: '3'.repeat(64), facts_json: '{}' },
  ]).execute();
  await db.destroy();
}

describe('migration 0009 on an existing database', () => {
  it('back-fills the nodes of every assessment with the status its data shows, and keeps the nodes', async () => {
    await seedOldDatabase();
    const db = await openDatabase(file);
    try {
      const repo = new KyselyAssessmentRepository(db);
      const states = async (id: string) => (await repo.find(id))!.nodes.map((n) => [n.name, n.status]);
      expect(await states('a1')).toEqual([
        ['alpha', { state: 'collected', collectedAt: '2024-01-01T00:00:01.000Z', factsSha256: '1'.repeat(64) }],
        ['beta', { state: 'collected', collectedAt: '2024-01-01T00:00:02.000Z', factsSha256: '2'.repeat(64) }],
      ]);
      expect(await states('a2')).toEqual([
        ['alpha', { state: 'failed', reason: 'unknown', message: 'connect ECONNREFUSED' }],
        ['beta', { state: 'failed', reason: 'unknown', message: 'connect ECONNREFUSED' }],
      ]);
      expect((await states('a3')).map(([, s]) => (s as { state: string }).state)).toEqual(['collected', 'interrupted']);
      const nodes = new KyselyNodeRepository(db);
      expect((await nodes.list()).map((n) => [n.id, n.name, n.labels, n.environment])).toEqual([
        ['n1', 'alpha', { site: 'a' }, 'prod'],
        ['n2', 'beta', { site: 'a' }, 'prod'],
      ]);
      expect(await nodes.markRemoved('n1', '2024-02-01T00:00:00.000Z')).toBe(true);
      expect((await repo.find('a1'))!.nodes[0]!.name).toBe('alpha');
    } finally {
      await db.destroy();
    }
  });

  it('keeps every column earlier migrations added to the node table (0005 platform pattern, 0007 TLS content) with its value', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0008_whole_documents');
    if (error) throw error;
    await db
      .insertInto('node')
      .values([
        { id: 'n1', name: 'alpha', endpoint: 'tcp://alpha:2376', tls_ca_path: null, tls_cert_path: null, tls_key_path: null, tls_ca_pem: CA_PEM, tls_cert_pem: CERT_PEM, tls_key_sealed: KEY_SEALED, labels_json: '{}', environment: null, platform_container_pattern: '^mke-', created_at: '2024-01-01T00:00:00.000Z' },
        // Registered with TLS file paths before 0007: kept as paths until a start with the key encrypts them.
        { id: 'n3', name: 'gamma', endpoint: 'tcp://gamma:2376', tls_ca_path: '/etc/pki/ca.pem', tls_cert_path: '/etc/pki/cert.pem', tls_key_path: '/etc/pki/key.pem', tls_ca_pem: null, tls_cert_pem: null, tls_key_sealed: null, labels_json: '{}', environment: null, platform_container_pattern: null, created_at: '2024-01-01T00:00:00.000Z' },
      ])
      .execute();
    await db.destroy();
    const migrated = await openDatabase(file);
    try {
      const nodes = new KyselyNodeRepository(migrated);
      expect((await nodes.findById('n1'))?.platformContainerPattern).toBe('^mke-');
      expect((await nodes.findById('n1'))?.tls).toEqual({ kind: 'sealed', caPem: CA_PEM, certPem: CERT_PEM, keySealed: KEY_SEALED });
      expect((await nodes.findById('n3'))?.tls).toEqual({ kind: 'legacy-files', caPath: '/etc/pki/ca.pem', certPath: '/etc/pki/cert.pem', keyPath: '/etc/pki/key.pem' });
      // Names are unique among present nodes only, and the rebuilt table still refuses a duplicate present name.
      await expect(nodes.insert({ id: 'n2', name: 'alpha', endpoint: 'tcp://other:2376', labels: {}, createdAt: '2024-01-02T00:00:00.000Z' })).rejects.toThrow(/UNIQUE/);
      expect(await nodes.markRemoved('n1', '2024-02-01T00:00:00.000Z')).toBe(true);
      await nodes.insert({ id: 'n2', name: 'alpha', endpoint: 'tcp://other:2376', labels: {}, createdAt: '2024-01-02T00:00:00.000Z' });
      const removed = await nodes.findById('n1', { includeRemoved: true });
      expect(removed).toMatchObject({ platformContainerPattern: '^mke-', removedAt: '2024-02-01T00:00:00.000Z', tls: { kind: 'sealed', keySealed: KEY_SEALED } });
      // The TLS columns stay writable on the rebuilt table (legacy paths replaced by sealed content).
      await nodes.updateTls('n3', { kind: 'sealed', caPem: CA_PEM, certPem: CERT_PEM, keySealed: KEY_SEALED });
      expect((await nodes.findById('n3'))?.tls).toMatchObject({ kind: 'sealed' });
    } finally {
      await migrated.destroy();
    }
  });
});
