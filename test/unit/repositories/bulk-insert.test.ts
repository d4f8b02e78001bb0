/** insertRows: many rows through one compiled INSERT per chunk size, each chunk's own values bound. */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { insertRows } from '../../../src/repositories/database/bulk-insert.js';

let db: Db;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  await sql`CREATE TABLE t (n integer not null, word text, flag integer)`.execute(db);
});
afterEach(() => db.destroy());

type Row = { n: number; word: string | null; flag: number };
// A table the schema does not know: the helper is typed over Database, the rows are what matters here.
const insert = (items: readonly number[], toRow: (n: number) => Record<string, unknown>, chunk: number): Promise<void> =>
  insertRows(db, 't' as never, items, toRow as never, chunk);
const rows = async (): Promise<Row[]> => (await sql<Row>`SELECT n, word, flag FROM t ORDER BY rowid`.execute(db)).rows;

describe('insertRows', () => {
  it('stores every row, in order, with a last chunk smaller than the others', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    await insert(items, (n) => ({ n, word: n % 3 === 0 ? null : `w${n}`, flag: n % 2 }), 5);
    expect(await rows()).toEqual(items.map((n) => ({ n, word: n % 3 === 0 ? null : `w${n}`, flag: n % 2 })));
  });

  it('reads each row by column name, whatever order its keys come in', async () => {
    // The last chunk (of two rows, compiled on its own) starts with a row whose keys come in another order.
    await insert([1, 2, 3, 4, 6, 7], (n) => (n % 2 === 0 ? { flag: 1, word: `w${n}`, n } : { n, word: `w${n}`, flag: 0 }), 4);
    expect(await rows()).toEqual([1, 2, 3, 4, 6, 7].map((n) => ({ n, word: `w${n}`, flag: n % 2 === 0 ? 1 : 0 })));
  });

  it('has Kysely build and compile the INSERT once per chunk size', async () => {
    const spy = vi.spyOn(db, 'insertInto');
    await insert(Array.from({ length: 50 }, (_, i) => i), (n) => ({ n, word: 'x', flag: 0 }), 8);
    // Six chunks of 8 share one compiled statement; the last chunk of 2 has its own.
    expect(spy).toHaveBeenCalledTimes(2);
    expect(await rows()).toHaveLength(50);
  });

  it('refuses an undefined value (it would compile to DEFAULT) and a row with other columns', async () => {
    await expect(insert([1, 2, 3], (n) => ({ n, word: n === 3 ? undefined : 'x', flag: 0 }), 2)).rejects.toThrow(/row 2 has no value for word/);
    await expect(insert([1, 2, 3], (n) => ({ n, word: 'x', flag: 0, ...(n === 3 ? { extra: 1 } : {}) }), 2)).rejects.toThrow(/row 2 has other columns/);
    await expect(insert([1, 2, 3], (n) => (n === 3 ? { n, word: 'x' } : { n, word: 'x', flag: 0 }), 2)).rejects.toThrow(/row 2 has no value for flag/);
  });

  it('inserts nothing for no items', async () => {
    await insert([], (n) => ({ n, word: null, flag: 0 }), 10);
    expect(await rows()).toEqual([]);
  });
});
