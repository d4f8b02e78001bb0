/**
 * One way to page every list that can grow: Relay-style connections. A page request names a size and a
 * cursor (`first`/`after` forward, `last`/`before` backward); a page size above MAX_PAGE_SIZE is refused
 * with BAD_INPUT rather than clamped, so a client never mistakes a short page for the end of the list.
 */
import { ErrorCode, PlimsollError } from './errors.js';

/** Edges per page when the request names no size. */
export const DEFAULT_PAGE_SIZE = 25;
/** The largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Cursor of the first edge of the page. */
  startCursor?: string;
  /** Cursor of the last edge of the page. */
  endCursor?: string;
}

/** A page of a list: edges with opaque cursors, where the page sits, and the size of the whole list. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** What a caller asks for: `first` (and `after`) or `last` (and `before`). */
export interface PageRequest {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** A page request checked and reduced to a direction, a size and an optional cursor. */
export interface ResolvedPage {
  forward: boolean;
  size: number;
  cursor?: string;
}

/** Checks a page request: one direction only, sizes from 0 to MAX_PAGE_SIZE (BAD_INPUT otherwise). */
export function resolvePage(page: PageRequest = {}): ResolvedPage {
  const { first, after, last, before } = page;
  if (first !== undefined && last !== undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'give either first or last, not both');
  if (after !== undefined && before !== undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'give either after or before, not both');
  if ((last !== undefined || before !== undefined) && (first !== undefined || after !== undefined)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, 'page forward (first, after) or backward (last, before), not both');
  }
  const forward = last === undefined && before === undefined;
  const name = forward ? 'first' : 'last';
  const size = (forward ? first : last) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `${name} must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${size}; page through longer lists with the cursors`);
  }
  const cursor = forward ? after : before;
  return { forward, size, ...(cursor !== undefined ? { cursor } : {}) };
}

/** The opaque cursor of a sort key (the values a keyset page continues after). */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key of a cursor, checked against the expected value types; BAD_INPUT when it is not one we issued. */
export function decodeCursor(cursor: string, types: readonly ('string' | 'number')[]): (string | number)[] {
  const bad = (): PlimsollError => new PlimsollError(ErrorCode.BAD_INPUT, `invalid cursor "${cursor.slice(0, 40)}": pass a cursor of an edge of this list`);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== types.length) throw bad();
  key.forEach((v, i) => {
    if (typeof v !== types[i] || (typeof v === 'number' && !Number.isFinite(v))) throw bad();
  });
  return key as (string | number)[];
}

/**
 * A connection from rows fetched with one row more than the page size (which tells whether another page
 * follows), in the direction of the request; backward pages are fetched in reverse and turned around here.
 */
export function toConnection<T>(rows: readonly T[], page: ResolvedPage, keyOf: (row: T) => readonly (string | number)[], totalCount: number): Connection<T> {
  const more = rows.length > page.size;
  const kept = rows.slice(0, page.size);
  if (!page.forward) kept.reverse();
  const edges = kept.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  const first = edges[0];
  const last = edges[edges.length - 1];
  return {
    edges,
    pageInfo: {
      hasNextPage: page.forward ? more : page.cursor !== undefined,
      hasPreviousPage: page.forward ? page.cursor !== undefined : more,
      ...(first ? { startCursor: first.cursor } : {}),
      ...(last ? { endCursor: last.cursor } : {}),
    },
    totalCount,
  };
}

/**
 * A connection over a list computed in memory (not stored as rows: a diff, a coverage report, the
 * observations of one result). Cursors are positions in the list, which is stable while its source is.
 */
export function connectionOfList<T>(list: readonly T[], request: PageRequest = {}): Connection<T> {
  const page = resolvePage(request);
  const at = page.cursor === undefined ? undefined : Number(decodeCursor(page.cursor, ['number'])[0]);
  const positions: number[] = [];
  if (page.forward) {
    for (let p = at === undefined ? 0 : at + 1; p < list.length && positions.length <= page.size; p += 1) positions.push(p);
  } else {
    for (let p = (at ?? list.length) - 1; p >= 0 && positions.length <= page.size; p -= 1) positions.push(p);
  }
  return mapNodes(toConnection(positions, page, (p) => [p], list.length), (p) => list[p]!);
}

/** The same connection with every node mapped (domain → GraphQL shape). */
export function mapNodes<T, U>(c: Connection<T>, map: (node: T) => U): Connection<U> {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })), pageInfo: c.pageInfo, totalCount: c.totalCount };
}
