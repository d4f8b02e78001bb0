/**
 * Keyset (cursor) paging in the database, shared by every repository that lists something that can grow.
 * Rows are ordered by a unique key of columns; a cursor is that key's values, and the next page starts
 * strictly after it with a row-value comparison (`(a, b) > (?, ?)`), which SQLite and PostgreSQL both
 * evaluate. Unlike OFFSET, a page stays correct while rows are added before it, and costs the same deep
 * into the list.
 */
import { sql, type SelectQueryBuilder } from './kysely.js';
import { decodeCursor, resolvePage, toConnection, type Connection, type PageRequest } from '../../domain/paging.js';

/** One column of the sort key: its reference (`table.column`), its JSON type, and its value in a row. */
export interface KeyColumn<R> {
  ref: string;
  type: 'string' | 'number';
  value: (row: R) => string | number;
}

/**
 * One page of `query` in the order of `key` (`asc` or `desc` for every column), with the total count of
 * `query`'s rows. `query` must select the key columns (as `value` reads them) and carry no ORDER BY or LIMIT.
 */
export async function keysetPage<R>(
  query: SelectQueryBuilder<any, any, R>,
  count: () => Promise<number>,
  key: readonly KeyColumn<R>[],
  direction: 'asc' | 'desc',
  request: PageRequest = {},
): Promise<Connection<R>> {
  const page = resolvePage(request);
  // Walking backward reads the list in the opposite order from the cursor, then turns the page around.
  const order = page.forward === (direction === 'asc') ? 'asc' : 'desc';
  let q = query;
  if (page.cursor !== undefined) {
    const values = decodeCursor(page.cursor, key.map((k) => k.type));
    const columns = sql.join(key.map((k) => sql.ref(k.ref)));
    const op = order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${columns}) ${op} (${sql.join(values)})`);
  }
  for (const k of key) q = q.orderBy(sql.ref(k.ref), order);
  const [rows, total] = await Promise.all([q.limit(page.size + 1).execute(), count()]);
  return toConnection(rows, page, (row) => key.map((k) => k.value(row)), total);
}

/** The count of a query's rows, as keysetPage wants it. */
export function countOf(query: SelectQueryBuilder<any, any, any>): () => Promise<number> {
  return async () => {
    const row = (await query.clearSelect().select((eb: any) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow()) as { total: number | bigint | string };
    return Number(row.total);
  };
}
