/**
 * Full-text search and cursor pagination over a real library (rev5 catalog, MODERATE baseline, Docker
 * STIG V2R1 and V2R2). Expected matches are computed here from the source files: a word matches a token
 * (a run of letters and digits) equal to it, or starting with it for the last, alphabetic word.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { Connection, ControlSearch, CursorPage, RuleSearch } from '../../../src/domain/library.js';
import type { StoredControl, StoredRule } from '../../../src/domain/services.js';
import { parseCatalogJson } from '../../../src/formats/oscal/catalog-json.js';
import { walkControls } from '../../../src/formats/oscal/catalog-walk.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { DefaultSearchService, decodeCursor, encodeCursor, ftsQuery } from '../../../src/library/search.js';
import { BaselineRepository } from '../../../src/repositories/baseline-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LibraryIndexRepository } from '../../../src/repositories/library-index-repository.js';
import { DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir, localContents } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { LocalRelatedFiles } from '../../../src/library/profile-resolution/source-loader.js';

const schema = shared(...OSCAL_SCHEMA_112);
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const catalog = parseCatalogJson(JSON.parse(fs.readFileSync(shared(...REV5_CATALOG_JSON), 'utf8')), 'catalog', { oscalSchemaPath: schema });
const CONTROLS = walkControls(catalog);

const tokens = (text: string): string[] => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
/** Strings under prose, label and title keys anywhere in a value (what the control index holds). */
function indexedStrings(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return ['prose', 'label', 'title'].includes(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => indexedStrings(v));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => indexedStrings(v, k));
  return [];
}
/**
 * Whether `text` matches a query: each whitespace-separated word with several tokens (ac-2) is a phrase
 * (its tokens in sequence), a one-token word equals a token, or starts one when it is the last word and
 * alphabetic.
 */
function matches(text: string, query: string): boolean {
  const seq = tokens(text);
  const words = query.trim().split(/\s+/).map(tokens).filter((w) => w.length > 0);
  return words.every((ws, i) => {
    if (ws.length > 1) return seq.some((_t, k) => ws.every((w, j) => seq[k + j] === w));
    const prefix = i === words.length - 1 && /^\p{L}+$/u.test(ws[0]!);
    return seq.some((t) => (prefix ? t.startsWith(ws[0]!) : t === ws[0]));
  });
}

async function all<T>(fetch: (page: CursorPage) => Promise<Connection<T>>, first: number): Promise<{ nodes: T[]; cursors: string[]; totals: number[] }> {
  const out = { nodes: [] as T[], cursors: [] as string[], totals: [] as number[] };
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await fetch({ first, ...(after !== undefined ? { after } : {}) });
    out.nodes.push(...page.edges.map((e) => e.node));
    out.cursors.push(...page.edges.map((e) => e.cursor));
    out.totals.push(page.totalCount);
    if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]!.cursor);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('search', () => {
  let dir: string;
  let db: Db;
  let search: DefaultSearchService;
  let docs: { catalog: string; v2r1: string; v2r2: string; moderate: string };
  const controls = (f: ControlSearch, first: number) => all<StoredControl>((p) => search.searchControls(f, p), first);
  const rules = (f: RuleSearch, first: number) => all<StoredRule>((p) => search.searchRules(f, p), first);

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const content = new ContentRepository(db);
    const baselines = new BaselineRepository(db);
    const [c, a, b, m] = await new LibraryImportService(content, db, { oscalSchemaPath: schema }).importDocuments(localContents(
      [shared(...REV5_CATALOG_JSON), shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2), rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json')]),
      LOCAL_CLI_PRINCIPAL, { related: new LocalRelatedFiles() }
    );
    docs = { catalog: c!.documentId, v2r1: a!.documentId, v2r2: b!.documentId, moderate: m!.documentId };
    search = new DefaultSearchService({
      index: new LibraryIndexRepository(db),
      library: new ContentLibraryService(content),
      baselines: { get: async (ref) => (await baselines.get(ref)) ?? (await baselines.findByProfileUuid(ref))[0] },
    });
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pages through every control of the catalogs in document order, each once (baselines left out)', async () => {
    const { nodes, cursors, totals } = await controls({}, 97);
    expect(nodes.map((n) => n.id)).toEqual(CONTROLS.map((v) => v.control.id));
    expect(new Set(cursors).size).toBe(CONTROLS.length);
    expect(new Set(totals)).toEqual(new Set([1189]));
    expect(nodes.find((n) => n.id === 'ac-2')?.enhancementIds).toEqual(CONTROLS.filter((v) => v.parentControlId === 'ac-2').map((v) => v.control.id));
  });

  it('filters by family and by baseline', async () => {
    const ac = await controls({ family: 'AC' }, 40);
    expect(ac.nodes.map((n) => n.id)).toEqual(CONTROLS.filter((v) => v.groupId === 'ac').map((v) => v.control.id));
    const moderate = await controls({ baseline: docs.moderate }, 100);
    const expected = JSON.parse(fs.readFileSync(rev501('NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json'), 'utf8')) as unknown;
    expect(moderate.nodes.map((n) => n.id)).toEqual(walkControls(parseCatalogJson(expected, 'm', { oscalSchemaPath: schema })).map((v) => v.control.id));
    expect(moderate.nodes.every((n) => n.documentId === docs.moderate)).toBe(true);
    const inCatalog = await controls({ catalog: docs.catalog, family: 'sr' }, 100);
    expect(inCatalog.nodes).toHaveLength(CONTROLS.filter((v) => v.groupId === 'sr').length);
  });

  it.each([['account management'], ['audit record'], ['ac-2'], ['cryptographic'], ['least privil']])('controls matching "%s": exactly the independent matches, best first, stable across page sizes', async (query) => {
    const expected = CONTROLS.filter((v) => matches([v.control.id, v.control.title, ...indexedStrings({ params: v.control.params, props: v.control.props, links: v.control.links, parts: v.control.parts })].join(' '), query)).map((v) => v.control.id);
    const big = await controls({ query }, 100);
    const small = await controls({ query }, 7);
    expect([...big.nodes.map((n) => n.id)].sort()).toEqual([...expected].sort());
    expect(small.nodes.map((n) => n.id)).toEqual(big.nodes.map((n) => n.id));
    expect(big.totals[0]).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('ranks the control named by the query first', async () => {
    expect((await search.searchControls({ query: 'account management' }, { first: 1 })).edges[0]!.node.id).toBe('ac-2');
    expect((await search.searchControls({ query: 'ac-2' }, { first: 1 })).edges[0]!.node.id).toBe('ac-2');
    expect((await search.searchControls({ query: 'audit record generation', baseline: docs.moderate }, { first: 1 })).edges[0]!.node.id).toBe('au-12');
  });

  it('rules: query, severity and benchmark filters give exactly the independent matches', async () => {
    const library = new ContentLibraryService(new ContentRepository(db));
    const every = [...(await library.listRules(docs.v2r1)).items, ...(await library.listRules(docs.v2r2)).items];
    const text = (r: StoredRule): string => [r.stigId, r.ruleId, r.groupId, r.title, r.discussion, r.checkContent, r.fixText, JSON.stringify(r.ccis)].join(' \u0001 ');
    const key = (r: StoredRule): string => `${r.documentId}/${r.ruleId}`;

    const privileged = await rules({ query: 'privileged' }, 9);
    expect(privileged.nodes.map(key).sort()).toEqual(every.filter((r) => matches(text(r), 'privileged')).map(key).sort());
    expect(privileged.nodes.length).toBeGreaterThan(1);

    const high = await rules({ query: 'container', severity: 'high' }, 5);
    expect(high.nodes.map(key).sort()).toEqual(every.filter((r) => r.severity === 'high' && matches(text(r), 'container')).map(key).sort());

    expect((await search.searchRules({}, { first: 0 })).totalCount).toBe(201);
    expect((await search.searchRules({ benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' }, { first: 0 })).totalCount).toBe(201);
    const v2r2 = await rules({ benchmark: docs.v2r2 }, 30);
    expect(v2r2.nodes.map((r) => r.stigId)).toEqual((await library.listRules(docs.v2r2)).items.map((r) => r.stigId));
    const byStigId = await search.searchRules({ query: 'DKER-EE-999999' }, {});
    expect(byStigId.edges.map((e) => [e.node.stigId, e.node.documentId])).toEqual([['DKER-EE-999999', docs.v2r2]]);
  });

  it('builds FTS queries and cursors, and refuses bad input', async () => {
    expect(ftsQuery('ac-2')).toBe('"ac 2"');
    expect(ftsQuery('  account   manag ')).toBe('"account" "manag"*');
    expect(ftsQuery('')).toBeUndefined();
    expect(decodeCursor(encodeCursor([-1.25, '2025-01-01T00:00:00Z', 'doc', 7]))).toEqual([-1.25, '2025-01-01T00:00:00Z', 'doc', 7]);
    const codes = await Promise.all([
      rejection(search.searchControls({}, { after: 'bm90LWEta2V5' })),
      rejection(search.searchControls({}, { after: '!!!' })),
      rejection(search.searchControls({}, { first: 101 })),
      rejection(search.searchControls({ query: '-- ()' })),
      rejection(search.searchControls({ baseline: 'nope' })),
      rejection(search.searchControls({ baseline: docs.moderate, catalog: docs.catalog })),
      rejection(search.searchControls({ catalog: docs.v2r2 })),
      rejection(search.searchRules({ severity: 'severe' })),
      rejection(search.searchRules({ benchmark: 'nope' })),
    ]);
    expect(codes.map((e) => e.code)).toEqual(['BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'NOT_FOUND', 'BAD_INPUT', 'NOT_FOUND', 'BAD_INPUT', 'NOT_FOUND']);
  });
});
