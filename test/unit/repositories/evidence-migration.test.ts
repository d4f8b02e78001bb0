/**
 * Migration 0005 on a database holding facts stored before it: environment values in stored snapshots are
 * replaced by salted hashes (with the installation's generated salt), each snapshot's sha256 is recomputed over
 * what is stored, nothing else changes; nodes get their platform container pattern column.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256 } from '../../../src/domain/canonical-json.js';
import { EnvRedactor } from '../../../src/domain/env-redaction.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { ENV_HASH_SALT, InstallationSecretRepository } from '../../../src/repositories/installation-secret-repository.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { tempDir } from '../../harness/content.js';

describe('migration 0005_evidence', () => {
  it('redacts environment values in stored facts, recomputes their sha256 and keeps everything else', async () => {
    const file = path.join(tempDir('plimsoll-migration-'), 'old.db');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const r = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0004_rule_remediation');
    expect(r.error).toBeUndefined();
    await old.insertInto('document').values({ id: 'd', kind: 'benchmark', doc_id: 'b', title: 't', version: '1', source_file: 'f', sha256: 'x', counts_json: '{}', meta_json: '{}', imported_at: 'now', imported_by: 'me' }).execute();
    await old.insertInto('assessment').values({ id: 'a', status: 'completed', benchmark_document_id: 'd', node_ids_json: '[]', started_at: 'now', started_by: 'me' }).execute();
    await old.insertInto('node').values({ id: 'n', name: 'old node', endpoint: 'unix:///s', labels_json: '{}', created_at: 'now' }).execute();
    const facts = {
      nodeId: 'n',
      containers: [{ id: 'c1', name: 'web', image: 'app', inspect: { Config: { Env: ['DB_PASSWORD=hunter2', 'PATH=/bin'] }, HostConfig: { Privileged: false } } }],
      engine: { status: 'collected', data: { images: [{ Id: 'i', Config: { Env: ['API_TOKEN=tok-123'] } }] } },
      daemon: { status: 'failed', error: 'x' },
    };
    const before = canonicalJson(facts);
    await old.insertInto('facts_snapshot').values({ id: 's', assessment_id: 'a', node_id: 'n', collected_at: 'now', sha256: canonicalSha256(facts), facts_json: before }).execute();
    const untouched = { nodeId: 'n', containers: [] };
    await old.insertInto('facts_snapshot').values({ id: 't', assessment_id: 'a', node_id: 'n', collected_at: 'now', sha256: canonicalSha256(untouched), facts_json: canonicalJson(untouched) }).execute();
    await old.destroy();

    const db = await openDatabase(file);
    try {
      const rows = await db.selectFrom('facts_snapshot').selectAll().orderBy('id').execute();
      const stored = JSON.parse(rows[0]!.facts_json) as typeof facts;
      expect(rows[0]!.facts_json).not.toContain('hunter2');
      expect(rows[0]!.facts_json).not.toContain('tok-123');
      const salt = await new InstallationSecretRepository(db).getOrCreate(ENV_HASH_SALT);
      const r2 = new EnvRedactor(salt);
      expect(stored.containers[0]!.inspect.Config.Env).toEqual([`DB_PASSWORD=${r2.hash('hunter2')}`, `PATH=${r2.hash('/bin')}`]);
      expect(stored.engine.data.images[0]!.Config.Env).toEqual([`API_TOKEN=${r2.hash('tok-123')}`]);
      expect(stored.containers[0]!.inspect.HostConfig).toEqual({ Privileged: false });
      expect(rows[0]!.sha256).toBe(canonicalSha256(stored));
      expect(rows[0]!.sha256).not.toBe(canonicalSha256(facts));
      expect(rows[1]).toMatchObject({ sha256: canonicalSha256(untouched), facts_json: canonicalJson(untouched) });
      expect((await new KyselyNodeRepository(db).findById('n'))?.platformContainerPattern).toBeUndefined();
    } finally {
      await db.destroy();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('keeps a node\'s platform container pattern, and one generated salt for good', async () => {
    const db = await openDatabase(':memory:');
    try {
      const nodes = new KyselyNodeRepository(db);
      await nodes.insert({ id: 'n', name: 'acme', endpoint: 'unix:///s', labels: {}, platformContainerPattern: '^acme-', createdAt: 'now' });
      expect((await nodes.findById('n'))?.platformContainerPattern).toBe('^acme-');
      const secrets = new InstallationSecretRepository(db);
      const first = await secrets.getOrCreate(ENV_HASH_SALT);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(await secrets.getOrCreate(ENV_HASH_SALT)).toBe(first);
    } finally {
      await db.destroy();
    }
  });
});
