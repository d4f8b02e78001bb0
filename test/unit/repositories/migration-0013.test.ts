/** Migration 0013 on a database as 0012 left it: the monitoring tables appear, existing nodes stay, and the partial unique names work. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { KyselyScheduleRepository } from '../../../src/repositories/monitoring/schedule-repository.js';
import type { Schedule } from '../../../src/domain/schedule.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'old.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 0013 on an existing database', () => {
  it('adds the monitoring tables and keeps what was there', async () => {
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    // The newest migration before 0013, whichever other work packages have landed.
    const before = Object.keys(await migrationProvider.getMigrations()).filter((k) => k < '0013').sort().pop()!;
    const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo(before);
    if (error) throw error;
    const nodeColumns = (await old.introspection.getTables()).find((t) => t.name === 'node')!.columns.map((c) => c.name);
    const row: Record<string, unknown> = { id: 'n1', name: 'alpha', endpoint: 'tcp://alpha:2376', labels_json: '{}', created_at: '2024-01-01T00:00:00.000Z' };
    for (const c of nodeColumns) if (!(c in row)) row[c] = null;
    await old.insertInto('node').values(row).execute();
    await old.destroy();

    const db = await openDatabase(file);
    try {
      expect((await new KyselyNodeRepository(db).findByName('alpha'))?.id).toBe('n1');
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      for (const t of ['schedule', 'schedule_job', 'scheduler_lease', 'webhook', 'webhook_delivery', 'expiry_notice']) expect(tables).toContain(t);
      const repo = new KyselyScheduleRepository(db);
      const s: Schedule = { id: 's1', name: 'Nightly', cron: '0 2 * * *', timezone: 'UTC', target: { kind: 'node', nodeId: 'n1', nodeName: 'alpha' }, benchmark: 'b', ownerUserId: 'u1', ownerName: 'alice', createdAt: '2026-01-01T00:00:00.000Z', nextRunAt: '2026-01-02T02:00:00.000Z', state: { status: 'active' } };
      await repo.insert(s);
      await expect(repo.insert({ ...s, id: 's2', name: 'nightly' })).rejects.toThrow(/UNIQUE/);
      await repo.markRemoved('s1', '2026-01-03T00:00:00.000Z');
      await repo.insert({ ...s, id: 's3', name: 'nightly' }); // a removed schedule frees its name
      expect((await repo.findByName('NIGHTLY'))?.id).toBe('s3');
    } finally {
      await db.destroy();
    }
  });
});
