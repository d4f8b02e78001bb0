/**
 * Paging of per-target results: a page size capped at MAX_TARGET_PAGE, and opaque cursors over the row id
 * (keyset pagination in the database, so a page costs the same at the end of 100,000 results as at the start).
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, CursorPage } from '../domain/library.js';
import type { StoredTargetResult } from '../domain/target-results.js';

export const DEFAULT_TARGET_PAGE = 100;
export const MAX_TARGET_PAGE = 500;
const PREFIX = 'target-result:';

/** The page size asked for; BAD_INPUT outside 0..MAX_TARGET_PAGE. */
export function targetPageSize(first: number | undefined): number {
  if (first === undefined) return DEFAULT_TARGET_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_TARGET_PAGE) throw new PlimsollError(ErrorCode.BAD_INPUT, `first must be an integer from 0 to ${MAX_TARGET_PAGE}, got ${first}`);
  return first;
}

export function encodeTargetCursor(id: number): string {
  return Buffer.from(`${PREFIX}${id}`, 'utf8').toString('base64url');
}

/** The row id of a cursor; BAD_INPUT when it is not one this service issued. */
export function decodeTargetCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `invalid cursor "${cursor.slice(0, 40)}": pass the endCursor or an edge cursor of a previous page`);
  return id;
}

/** A connection over a page of rows. */
export function targetConnection(page: { items: StoredTargetResult[]; hasMore: boolean; total: number }): Connection<StoredTargetResult> {
  const edges = page.items.map((node) => ({ cursor: encodeTargetCursor(node.id), node }));
  const last = edges[edges.length - 1];
  return { edges, pageInfo: { hasNextPage: page.hasMore, ...(last ? { endCursor: last.cursor } : {}) }, totalCount: page.total };
}

/** Parses a page request. */
export function targetPage(page: CursorPage | undefined): { size: number; cursor: number | undefined } {
  return { size: targetPageSize(page?.first), cursor: decodeTargetCursor(page?.after) };
}
