/**
 * Full-text search and cursor pagination over controls and rules. Results are ordered by a sort key
 * (relevance when there is a query, then import order, document, position in the document); a cursor
 * is the base64url of that key, so pages stay stable while the library is unchanged. Words of the query
 * must all match: each whitespace-separated word is a phrase of its tokens (`ac-2` matches "AC-2"), the
 * last one also as a prefix when it is alphabetic (search as you type). A hit whose id or title is the
 * query itself ranks first.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, ControlSearch, CursorPage, RuleSearch } from '../domain/library.js';
import { resolvePage } from '../domain/paging.js';
import type { LibraryService, SearchService, StoredControl, StoredRule } from '../domain/services.js';
import type { Hits, LibraryIndexRepository, SortKey } from '../repositories/library-index-repository.js';

const SEVERITIES: readonly string[] = ['high', 'medium', 'low', 'unknown'];

/** The opaque cursor of a sort key. */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key of a cursor; BAD_INPUT when it is not one this service issued. */
export function decodeCursor(cursor: string): SortKey {
  const bad = (): PlimsollError => new PlimsollError(ErrorCode.BAD_INPUT, `invalid cursor "${cursor.slice(0, 40)}": pass the endCursor or an edge cursor of a previous page`);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== 4) throw bad();
  const [rank, importedAt, documentId, position] = key as unknown[];
  if (typeof rank !== 'number' || !Number.isFinite(rank) || typeof importedAt !== 'string' || typeof documentId !== 'string' || !Number.isInteger(position)) throw bad();
  return [rank, importedAt, documentId, position as number];
}

/** The FTS5 expression for a user query; undefined for an empty query (list everything). */
export function ftsQuery(query: string | undefined): string | undefined {
  if (query === undefined || query.trim() === '') return undefined;
  const words = query.trim().split(/\s+/);
  const phrases: string[] = [];
  words.forEach((word, i) => {
    const tokens = word.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (tokens.length === 0) return;
    const phrase = `"${tokens.join(' ')}"`;
    const prefix = i === words.length - 1 && tokens.length === 1 && /^\p{L}+$/u.test(tokens[0]!);
    phrases.push(prefix ? `${phrase}*` : phrase);
  });
  if (phrases.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `the query "${query}" has no words to search for`);
  return phrases.join(' ');
}

/** The query as a whole, for the exact-match boost. */
const exactOf = (query: string | undefined): string | undefined => (query === undefined || query.trim() === '' ? undefined : query.trim().replace(/\s+/g, ' ').toLowerCase());

/** The page size of a forward page request (DEFAULT_PAGE_SIZE; BAD_INPUT above MAX_PAGE_SIZE). */
const pageSize = (first: number | undefined): number => resolvePage(first !== undefined ? { first } : {}).size;

function connection<T>(hits: Hits<T>, size: number, after: string | undefined): Connection<T> {
  const items = hits.items.slice(0, size);
  const edges = items.map((h) => ({ cursor: encodeCursor(h.key), node: h.node }));
  const first = edges[0];
  const last = edges[edges.length - 1];
  return {
    edges,
    pageInfo: {
      hasNextPage: hits.items.length > size,
      hasPreviousPage: after !== undefined,
      ...(first ? { startCursor: first.cursor } : {}),
      ...(last ? { endCursor: last.cursor } : {}),
    },
    totalCount: hits.total,
  };
}

export interface SearchDeps {
  index: Pick<LibraryIndexRepository, 'searchControls' | 'searchRules'>;
  library: Pick<LibraryService, 'listDocuments' | 'getDocument'>;
  baselines: { get(ref: string): Promise<{ documentId: string } | undefined> };
}

export class DefaultSearchService implements SearchService {
  constructor(private readonly deps: SearchDeps) {}

  async searchControls(filter: ControlSearch, page: CursorPage = {}): Promise<Connection<StoredControl>> {
    const size = pageSize(page.first);
    const documentIds = await this.controlDocuments(filter);
    const hits = await this.deps.index.searchControls({
      ...optional('match', ftsQuery(filter.query)),
      ...optional('exact', exactOf(filter.query)),
      ...optional('family', filter.family?.trim().toLowerCase() || undefined),
      ...optional('after', page.after !== undefined ? decodeCursor(page.after) : undefined),
      documentIds,
      limit: size + 1,
    });
    return connection(hits, size, page.after);
  }

  async searchRules(filter: RuleSearch, page: CursorPage = {}): Promise<Connection<StoredRule>> {
    const size = pageSize(page.first);
    if (filter.severity !== undefined && !SEVERITIES.includes(filter.severity)) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown severity "${filter.severity}"; one of ${SEVERITIES.join(', ')}`);
    }
    const documentIds = await this.ruleDocuments(filter.benchmark);
    const hits = await this.deps.index.searchRules({
      ...optional('match', ftsQuery(filter.query)),
      ...optional('exact', exactOf(filter.query)),
      ...optional('severity', filter.severity),
      ...optional('after', page.after !== undefined ? decodeCursor(page.after) : undefined),
      documentIds,
      limit: size + 1,
    });
    return connection(hits, size, page.after);
  }

  /** A baseline's own controls, one catalog, or every catalog (baselines excluded: their controls repeat the catalogs'). */
  private async controlDocuments(filter: ControlSearch): Promise<string[]> {
    if (filter.baseline !== undefined && filter.catalog !== undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'give either a baseline or a catalog, not both');
    if (filter.baseline !== undefined) {
      const baseline = await this.deps.baselines.get(filter.baseline);
      if (!baseline) throw new PlimsollError(ErrorCode.NOT_FOUND, `no stored baseline "${filter.baseline}" (a baseline document id or profile uuid)`);
      return [baseline.documentId];
    }
    if (filter.catalog !== undefined) {
      const doc = await this.deps.library.getDocument(filter.catalog);
      if (doc?.kind !== 'catalog') throw new PlimsollError(ErrorCode.NOT_FOUND, `no stored catalog with document id "${filter.catalog}"`);
      return [doc.documentId];
    }
    return (await this.deps.library.listDocuments('catalog')).map((d) => d.documentId);
  }

  /** One benchmark document, every stored release of an XCCDF benchmark id, or all benchmarks. */
  private async ruleDocuments(benchmark: string | undefined): Promise<string[]> {
    const all = await this.deps.library.listDocuments('benchmark');
    if (benchmark === undefined) return all.map((d) => d.documentId);
    const matching = all.filter((d) => d.documentId === benchmark || d.id === benchmark);
    if (matching.length === 0) throw new PlimsollError(ErrorCode.NOT_FOUND, `no stored benchmark "${benchmark}" (a document id or XCCDF benchmark id)`);
    return matching.map((d) => d.documentId);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
