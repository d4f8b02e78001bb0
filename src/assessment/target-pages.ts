/**
 * Keyset pages of an assessment's lists that can grow (per-target results, assessed nodes): a page size
 * capped at MAX_TARGET_PAGE, and opaque cursors over an integer key (row id, node position), so a page costs
 * the same at the end of 100,000 rows as at the start, and is read from the database, never filtered in memory.
 */
import type { AssessedNode } from '../domain/assessment.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, CursorPage } from '../domain/library.js';
import type { StoredTargetResult } from '../domain/target-results.js';

export const DEFAULT_TARGET_PAGE = 100;
export const MAX_TARGET_PAGE = 500;
const TARGET = 'target-result';
const NODE = 'assessed-node';

/** The page size asked for; BAD_INPUT outside 0..MAX_TARGET_PAGE. */
export function targetPageSize(first: number | undefined): number {
  if (first === undefined) return DEFAULT_TARGET_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_TARGET_PAGE) throw new PlimsollError(ErrorCode.BAD_INPUT, `first must be an integer from 0 to ${MAX_TARGET_PAGE}, got ${first}`);
  return first;
}

function encode(kind: string, key: number): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

function decode(kind: string, cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(`${kind}:`) ? Number(text.slice(kind.length + 1)) : Number.NaN;
  if (!Number.isSafeInteger(key) || key < 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `invalid cursor "${cursor.slice(0, 40)}": pass the endCursor or an edge cursor of a previous page`);
  return key;
}

export function encodeTargetCursor(id: number): string {
  return encode(TARGET, id);
}

/** The row id of a cursor; BAD_INPUT when it is not one this service issued. */
export function decodeTargetCursor(cursor: string | undefined): number | undefined {
  return decode(TARGET, cursor);
}

function connection<T>(items: readonly T[], keyOf: (t: T) => number, kind: string, hasMore: boolean, total: number): Connection<T> {
  const edges = items.map((node) => ({ cursor: encode(kind, keyOf(node)), node }));
  const last = edges[edges.length - 1];
  return { edges, pageInfo: { hasNextPage: hasMore, ...(last ? { endCursor: last.cursor } : {}) }, totalCount: total };
}

/** A connection over a page of per-target rows. */
export function targetConnection(page: { items: StoredTargetResult[]; hasMore: boolean; total: number }): Connection<StoredTargetResult> {
  return connection(page.items, (t) => t.id, TARGET, page.hasMore, page.total);
}

/** A connection over a page of an assessment's nodes (keyed by their position in the request). */
export function nodeConnection(page: { items: (AssessedNode & { position: number })[]; hasMore: boolean; total: number }): Connection<AssessedNode> {
  const c = connection(page.items, (n) => n.position, NODE, page.hasMore, page.total);
  return { ...c, edges: c.edges.map((e) => ({ cursor: e.cursor, node: withoutPosition(e.node) })) };
}

function withoutPosition(n: AssessedNode & { position: number }): AssessedNode {
  const { position: _position, ...node } = n;
  return node;
}

/** Parses a page request of per-target results. */
export function targetPage(page: CursorPage | undefined): { size: number; cursor: number | undefined } {
  return { size: targetPageSize(page?.first), cursor: decodeTargetCursor(page?.after) };
}

/** Parses a page request of assessed nodes. */
export function nodePage(page: CursorPage | undefined): { size: number; cursor: number | undefined } {
  return { size: targetPageSize(page?.first), cursor: decode(NODE, page?.after) };
}
