/**
 * Keyset (cursor) pagination shared by the identity lists (users, tokens, audit records): a cursor is the
 * base64url JSON of the last edge's sort key, so a page stays stable while rows are added behind it.
 */
import { ErrorCode, PlimsollError } from './errors.js';
import type { Connection, CursorPage } from './library.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The page size asked for: `first` from 0 to MAX_PAGE_SIZE (BAD_INPUT otherwise), DEFAULT_PAGE_SIZE when absent. */
export function pageSizeOf(first: number | undefined): number {
  if (first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw new PlimsollError(ErrorCode.BAD_INPUT, `first must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${first}`);
  return first;
}

/** The opaque cursor of a sort key. */
export function encodeKeyCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key of a cursor with `shape` (the type of each element); BAD_INPUT when it is not one we issued. */
export function decodeKeyCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i] || (typeof v === 'number' && !Number.isFinite(v)))) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `invalid cursor "${cursor.slice(0, 40)}": pass the endCursor or an edge cursor of a previous page`);
  }
  return key as (string | number)[];
}

/** A connection from up to `size + 1` rows fetched past the cursor (the extra row only tells there is a next page). */
export function connectionOf<T>(rows: readonly T[], size: number, keyOf: (row: T) => readonly (string | number)[], totalCount: number): Connection<T> {
  const edges = rows.slice(0, size).map((node) => ({ cursor: encodeKeyCursor(keyOf(node)), node }));
  const last = edges[edges.length - 1];
  return { edges, pageInfo: { hasNextPage: rows.length > size, ...(last !== undefined ? { endCursor: last.cursor } : {}) }, totalCount };
}

export type { Connection, CursorPage };
