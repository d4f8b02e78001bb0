/** Opening the database: a new one is migrated, an up-to-date one opens without the Migrator, a behind one is migrated. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-open-db-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const tables = (file: string): string[] => {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    sqlite.close();
  }
};

describe('openDatabase', () => {
  it('migrates a new database, and opens an up-to-date one without running the Migrator again', async () => {
    const file = path.join(dir, 'p.db');
    await (await openDatabase(file)).destroy();
    const known = Object.keys(await migrationProvider.getMigrations());
    const sqlite = new SQLite(file);
    expect((sqlite.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((r) => r.name).sort()).toEqual([...known].sort());
    // The Migrator creates its lock table whenever it runs: absent after a reopen, it did not run.
    sqlite.exec('DROP TABLE kysely_migration_lock');
    sqlite.close();
    await (await openDatabase(file)).destroy();
    expect(tables(file)).not.toContain('kysely_migration_lock');
  });

  it('runs the Migrator when a migration in code is not recorded as applied', async () => {
    const file = path.join(dir, 'p.db');
    await (await openDatabase(file)).destroy();
    const sqlite = new SQLite(file);
    // 0024 undone by hand: its table and indexes dropped and its record removed, as on a database from before it landed.
    sqlite.exec("DROP TABLE document_part; DROP INDEX rule_result_assessment_id; DROP INDEX rule_result_assessment_status; DELETE FROM kysely_migration WHERE name = '0024_document_parts'; DROP TABLE kysely_migration_lock");
    sqlite.close();
    await (await openDatabase(file)).destroy();
    expect(tables(file)).toEqual(expect.arrayContaining(['document_part', 'kysely_migration_lock']));
  });

  it("keeps SQLite's own 2 MB page cache, not the 16 MB better-sqlite3 is built with", async () => {
    const db = await openDatabase(path.join(dir, 'p.db'));
    try {
      const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
      expect(rows[0]?.cache_size).toBe(-2000);
    } finally {
      await db.destroy();
    }
  });
});
