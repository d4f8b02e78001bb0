/**
 * The statement cache under Kysely on a real SQLite file: a query shape is prepared once, a statement is not
 * handed out again while it iterates (a streamed query), and the cache stays bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../src/repositories/database/statement-cache.js';
import { tempDir } from '../../harness/content.js';

interface Db {
  item: { id: number; name: string };
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function open(size?: number): { db: Kysely<Db>; prepared: string[] } {
  dir = tempDir('plimsoll-statement-cache-');
  const sqlite = new SQLite(path.join(dir, 'x.db'));
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  return { db: new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, size) }) }), prepared };
}

describe('withStatementCache', () => {
  it('prepares a query shape once and answers every call with its own values', async () => {
    const { db, prepared } = open();
    await db.schema.createTable('item').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).execute();
    for (let i = 0; i < 20; i += 1) await db.insertInto('item').values({ id: i, name: `n${i}` }).execute();
    for (let i = 0; i < 20; i += 1) expect(await db.selectFrom('item').select('name').where('id', '=', i).executeTakeFirst()).toEqual({ name: `n${i}` });
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(1);
    await db.destroy();
  });

  it('hands out a fresh statement for a SQL text whose cached statement is still iterating (a streamed query)', () => {
    dir = tempDir('plimsoll-statement-cache-');
    const sqlite = new SQLite(path.join(dir, 'x.db'));
    sqlite.exec('create table item (id integer primary key); insert into item values (0), (1), (2)');
    const cache = withStatementCache(sqlite);
    const text = 'select id from item order by id';
    const outer = cache.prepare(text);
    const pairs: string[] = [];
    for (const row of outer.iterate([]) as IterableIterator<{ id: number }>) {
      const inner = cache.prepare(text);
      expect(inner).not.toBe(outer);
      pairs.push(`${row.id}:${inner.all([]).length}`);
    }
    expect(pairs).toEqual(['0:3', '1:3', '2:3']);
    cache.close();
  });

  it('keeps at most `size` statements, the least recently used leaving first', async () => {
    const { db, prepared } = open(2);
    await db.schema.createTable('item').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).execute();
    const a = () => db.selectFrom('item').select('id').execute();
    const b = () => db.selectFrom('item').select('name').execute();
    const c = () => db.selectFrom('item').select(['id', 'name']).execute();
    await a(); await b(); await a(); await c(); await a(); await b();
    // a, b prepared; a reused; c evicts b (least recent); a reused; b prepared again.
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(4);
    await db.destroy();
  });
});
