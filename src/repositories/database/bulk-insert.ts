/**
 * Many rows into one table, through Kysely, without building Kysely's query tree for every chunk. Kysely builds
 * and compiles the INSERT of a chunk once (for each chunk size met); every other chunk of that size runs the same
 * compiled SQL with its own values bound, so the statement cache prepares it once too. For a large node's
 * tens of thousands of per-target results, building the tree per chunk was most of the JavaScript time of
 * storing them, and most of what the store allocated besides the values themselves.
 */
import type { Insertable, Kysely } from './kysely.js';
import type { Database } from './tables.js';

type Row = Record<string, unknown>;

/**
 * Inserts the rows of `items` (each made by `toRow`) into `table`, `chunk` rows per statement. Every row must have
 * the same columns and no `undefined` value (Kysely compiles an undefined value to DEFAULT, not to a bound value):
 * null stands for no value. A row that breaks this is refused before anything of its chunk runs.
 */
export async function insertRows<T extends keyof Database & string, I>(
  db: Kysely<Database>,
  table: T,
  items: readonly I[],
  toRow: (item: I) => Insertable<Database[T]>,
  chunk: number,
): Promise<void> {
  if (items.length === 0) return;
  const size = Math.max(1, Math.floor(chunk));
  const compile = (part: readonly Insertable<Database[T]>[]) => db.insertInto(table).values(part as never).compile();
  const compiled = new Map<number, ReturnType<typeof compile>>();
  let columns: string[] | undefined;
  for (let from = 0; from < items.length; from += size) {
    // Rows are made a chunk at a time: only one chunk's values are held at once.
    const part = items.slice(from, from + size).map(toRow);
    columns ??= Object.keys(part[0] as Row);
    const parameters = valuesOf(part as readonly Row[], columns, table, from);
    let query = compiled.get(part.length);
    if (query === undefined) {
      // Compiled from rows with their keys in `columns` order, so that its values are bound in that order.
      const cols = columns;
      query = compile(part.map((row) => Object.fromEntries(cols.map((c) => [c, (row as Row)[c]])) as Insertable<Database[T]>));
      if (query.parameters.length !== parameters.length || query.parameters.some((p, i) => p !== parameters[i])) {
        throw new Error(`insert into ${table}: Kysely bound ${query.parameters.length} values where ${parameters.length} were given`);
      }
      compiled.set(part.length, query);
      await db.executeQuery(query);
      continue;
    }
    await db.executeQuery({ ...query, parameters });
  }
}

/** The chunk's values, row by row in `columns` order. */
function valuesOf(part: readonly Row[], columns: readonly string[], table: string, from: number): unknown[] {
  const values = new Array<unknown>(part.length * columns.length);
  let k = 0;
  for (let r = 0; r < part.length; r += 1) {
    const row = part[r]!;
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) throw new Error(`insert into ${table}: row ${from + r} has no value for ${column} (null stands for none)`);
      values[k++] = value;
    }
    // Every column present and defined: as many keys means no other column either.
    if (Object.keys(row).length !== columns.length) throw new Error(`insert into ${table}: row ${from + r} has other columns than ${columns.join(', ')}`);
  }
  return values;
}
