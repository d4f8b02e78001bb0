/**
 * The content library's storage: documents (catalogs, benchmarks, CCI lists) and their rows. Writes run
 * inside a transaction the caller owns (imports are all-or-nothing across files); rows are mapped to
 * domain types by the explicit `to…` functions at the bottom. Also the file source imports read from.
 */
import type { Kysely, Selectable } from './database/kysely.js';
import type { BenchmarkDocument, BenchmarkProfile, CatalogDocument, CciItem, CciListDocument, DocumentKind, OscalControl, OscalGroup, Sp80053Reference } from '../domain/content.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { benchmarkShortName } from '../domain/benchmark-names.js';
import type { MappedControl } from '../domain/cci-mapping.js';
import type { ListOptions, Page, StoredBenchmark, StoredControl, StoredDocument, StoredGroup, StoredRule } from '../domain/services.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import { CCI_LIST_TITLE } from '../formats/cci/parse.js';
import { walkControls, walkGroups } from '../formats/oscal/catalog-walk.js';
import { countOf, keysetPage } from './database/keyset.js';
import { insertRows } from './database/bulk-insert.js';
import { catalogToJson } from '../formats/oscal/catalog-writer.js';
import type { BenchmarkRuleTable, CatalogControlTable, CatalogGroupTable, CciItemTable, Database, DocumentTable } from './database/tables.js';

/** Anything queries can run on: the database or a transaction of it. */
export type Executor = Kysely<Database>;

/** Bookkeeping of one stored document, decided by the importer. */
export interface DocumentMeta {
  documentId: string;
  sourceFile: string;
  sha256: string;
  counts: Record<string, number>;
  importedAt: string;
  importedBy: string;
}

const CHUNK = 200;

/**
 * A document row without its OSCAL JSON, which none of the mappings here read: a catalog's is some 1.7 MB (rev5),
 * and listing the library read every catalog's and profile's whole text.
 */
const DOCUMENT_HEAD = [
  'id',
  'kind',
  'doc_id',
  'title',
  'version',
  'release',
  'release_date',
  'oscal_version',
  'source_file',
  'sha256',
  'counts_json',
  'meta_json',
  'imported_at',
  'imported_by',
] as const satisfies readonly (keyof DocumentTable)[];

/** A document row as DOCUMENT_HEAD selects it. */
type DocumentHead = Omit<Selectable<DocumentTable>, 'oscal_json'>;

/** Rows through one compiled INSERT per chunk size (bulk-insert.ts): tens of thousands for a SCAP data stream. */
function insertChunked<T extends keyof Database & string>(trx: Executor, table: T, rows: Database[T][]): Promise<void> {
  // Kysely's insert typing over a generic table name needs the cast; rows are typed by the caller.
  return insertRows(trx, table, rows, (r) => r as never, CHUNK);
}

function pageBounds(page: ListOptions | undefined): { offset: number; limit?: number } {
  const offset = page?.offset ?? 0;
  const limit = page?.limit;
  if (!Number.isInteger(offset) || offset < 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `offset must be a non-negative integer, got ${offset}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new PlimsollError(ErrorCode.BAD_INPUT, `limit must be a non-negative integer, got ${limit}`);
  return { offset, ...(limit !== undefined ? { limit } : {}) };
}

export class ContentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private async insertDocument(trx: Executor, meta: DocumentMeta, fields: Pick<DocumentTable, 'kind' | 'doc_id' | 'title' | 'version' | 'release' | 'release_date' | 'oscal_version' | 'meta_json' | 'oscal_json'>): Promise<void> {
    await trx
      .insertInto('document')
      .values({
        id: meta.documentId,
        ...fields,
        source_file: meta.sourceFile,
        sha256: meta.sha256,
        counts_json: JSON.stringify(meta.counts),
        imported_at: meta.importedAt,
        imported_by: meta.importedBy,
      })
      .execute();
  }

  /** Stores a catalog: the document, its groups and every control and enhancement as rows. */
  async storeCatalog(trx: Executor, meta: DocumentMeta, doc: CatalogDocument): Promise<void> {
    await this.insertDocument(trx, meta, {
      kind: 'catalog', doc_id: doc.uuid, title: doc.title, version: doc.version, release: null, release_date: null,
      oscal_version: doc.oscalVersion, meta_json: JSON.stringify({ lastModified: doc.lastModified }),
      // The whole document: what the rows below index is a part of it (metadata, params, back matter are not rows).
      oscal_json: JSON.stringify(catalogToJson(doc)),
    });
    const groups: CatalogGroupTable[] = walkGroups(doc).map((v) => ({
      document_id: meta.documentId, group_id: v.id, parent_group_id: v.parentGroupId ?? null, title: v.group.title,
      class: v.group.class ?? null, sort_order: v.order,
      body_json: JSON.stringify({ params: v.group.params ?? [], props: v.group.props ?? [], parts: v.group.parts ?? [] }),
    }));
    await insertChunked(trx, 'catalog_group', groups);
    const controls: CatalogControlTable[] = walkControls(doc).map((v) => ({
      document_id: meta.documentId, control_id: v.control.id, parent_control_id: v.parentControlId ?? null, group_id: v.groupId ?? null,
      title: v.control.title, class: v.control.class ?? null, sort_order: v.order,
      body_json: JSON.stringify({ params: v.control.params ?? [], props: v.control.props ?? [], links: v.control.links ?? [], parts: v.control.parts ?? [] }),
    }));
    await insertChunked(trx, 'catalog_control', controls);
  }

  /** Stores a benchmark: the document (profiles in its metadata) and its rules. */
  async storeBenchmark(trx: Executor, meta: DocumentMeta, doc: BenchmarkDocument): Promise<void> {
    await this.insertDocument(trx, meta, {
      kind: 'benchmark', doc_id: doc.benchmarkId, title: doc.title, version: doc.version, release: doc.release ?? null,
      release_date: doc.releaseDate ?? null, oscal_version: null,
      meta_json: JSON.stringify({ profiles: doc.profiles, status: doc.status, xccdfVersion: doc.xccdfVersion }),
    });
    const rules: BenchmarkRuleTable[] = doc.rules.map((r, i) => ({
      document_id: meta.documentId, rule_id: r.ruleId, group_id: r.groupId, stig_id: r.stigId, title: r.title, severity: r.severity,
      weight: r.weight ?? null, discussion: r.discussion, check_content: r.checkContent, check_content_hash: r.checkContentHash,
      fix_text: r.fixText, ccis_json: JSON.stringify(r.ccis), legacy_ids_json: JSON.stringify(r.legacyIds), sort_order: i,
      group_title: r.groupTitle ?? null,
      sp80053_json: r.sp80053 !== undefined && r.sp80053.length > 0 ? JSON.stringify(r.sp80053) : null,
    }));
    await insertChunked(trx, 'benchmark_rule', rules);
  }

  /** Stores a CCI list and its items. */
  async storeCciList(trx: Executor, meta: DocumentMeta, doc: CciListDocument): Promise<void> {
    await this.insertDocument(trx, meta, {
      kind: 'cci-list', doc_id: 'cci-list', title: CCI_LIST_TITLE, version: doc.version,
      release: null, release_date: doc.publishDate ?? null, oscal_version: null, meta_json: JSON.stringify({ publishDate: doc.publishDate }),
    });
    const items: CciItemTable[] = doc.items.map((c) => ({
      document_id: meta.documentId, cci_id: c.id, definition: c.definition, type: c.type ?? null, status: c.status ?? null,
      references_json: JSON.stringify(c.references),
    }));
    await insertChunked(trx, 'cci_item', items);
  }

  /** The document with this content hash, if stored (pass the transaction to see its own writes). */
  async findBySha256(sha256: string, trx: Executor = this.db): Promise<StoredDocument | undefined> {
    const row = await trx.selectFrom('document').select(DOCUMENT_HEAD).where('sha256', '=', sha256).executeTakeFirst();
    return row ? toStoredDocument(row) : undefined;
  }

  async listDocuments(kind?: DocumentKind): Promise<StoredDocument[]> {
    let q = this.db.selectFrom('document').select(DOCUMENT_HEAD);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    const rows = await q.orderBy('imported_at').orderBy('id').execute();
    return rows.map(toStoredDocument);
  }

  /** A page of documents (of one kind), oldest import first. */
  async pageDocuments(kind: DocumentKind | undefined, request: PageRequest): Promise<Connection<StoredDocument>> {
    let base = this.db.selectFrom('document').select(DOCUMENT_HEAD);
    if (kind !== undefined) base = base.where('kind', '=', kind);
    const key = [
      { ref: 'document.imported_at', type: 'string' as const, value: (r: DocumentHead) => r.imported_at },
      { ref: 'document.id', type: 'string' as const, value: (r: DocumentHead) => r.id },
    ];
    // A benchmark comes with its profiles, as getDocument's callers get them from findBenchmark.
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), (r) => (r.kind === 'benchmark' ? toStoredBenchmark(r) : toStoredDocument(r)));
  }

  /** A page of groups directly under `parentGroupId` (top-level groups when undefined), in document order. */
  async pageGroups(documentId: string, parentGroupId: string | undefined, request: PageRequest): Promise<Connection<StoredGroup>> {
    let base = this.db.selectFrom('catalog_group').selectAll().where('document_id', '=', documentId);
    base = parentGroupId === undefined ? base.where('parent_group_id', 'is', null) : base.where('parent_group_id', '=', parentGroupId);
    const key = [
      { ref: 'catalog_group.sort_order', type: 'number' as const, value: (r: Selectable<CatalogGroupTable>) => r.sort_order },
      { ref: 'catalog_group.group_id', type: 'string' as const, value: (r: Selectable<CatalogGroupTable>) => r.group_id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toStoredGroup);
  }

  /** A page of top-level controls (of a group, or of the whole document), or of the enhancements of `parentControlId`. */
  async pageControls(documentId: string, filter: { groupId?: string; parentControlId?: string }, request: PageRequest): Promise<Connection<StoredControl>> {
    let base = this.db.selectFrom('catalog_control').selectAll().where('document_id', '=', documentId);
    if (filter.parentControlId !== undefined) base = base.where('parent_control_id', '=', filter.parentControlId);
    else {
      base = base.where('parent_control_id', 'is', null);
      if (filter.groupId !== undefined) base = base.where('group_id', '=', filter.groupId);
    }
    const key = [
      { ref: 'catalog_control.sort_order', type: 'number' as const, value: (r: Selectable<CatalogControlTable>) => r.sort_order },
      { ref: 'catalog_control.control_id', type: 'string' as const, value: (r: Selectable<CatalogControlTable>) => r.control_id },
    ];
    const page = await keysetPage(base, countOf(base), key, 'asc', request);
    const controls = await this.withEnhancements(documentId, page.edges.map((e) => e.node));
    return { ...page, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: controls[i]! })) };
  }

  /** A page of a benchmark's rules (of one severity), in document order. */
  async pageRules(documentId: string, filter: { severity?: string }, request: PageRequest): Promise<Connection<StoredRule>> {
    let base = this.db.selectFrom('benchmark_rule').selectAll().where('document_id', '=', documentId);
    if (filter.severity !== undefined) base = base.where('severity', '=', filter.severity);
    const key = [
      { ref: 'benchmark_rule.sort_order', type: 'number' as const, value: (r: Selectable<BenchmarkRuleTable>) => r.sort_order },
      { ref: 'benchmark_rule.rule_id', type: 'string' as const, value: (r: Selectable<BenchmarkRuleTable>) => r.rule_id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toStoredRule);
  }

  async getDocument(documentId: string): Promise<StoredDocument | undefined> {
    const row = await this.db.selectFrom('document').select(DOCUMENT_HEAD).where('id', '=', documentId).executeTakeFirst();
    return row ? toStoredDocument(row) : undefined;
  }

  /** A benchmark document by document id. */
  async getBenchmark(documentId: string): Promise<StoredBenchmark | undefined> {
    const row = await this.db.selectFrom('document').select(DOCUMENT_HEAD).where('id', '=', documentId).where('kind', '=', 'benchmark').executeTakeFirst();
    return row ? toStoredBenchmark(row) : undefined;
  }

  /** Every stored release of the benchmark with this XCCDF id. */
  async findBenchmarksByBenchmarkId(benchmarkId: string, executor: Executor = this.db): Promise<StoredBenchmark[]> {
    const rows = await executor.selectFrom('document').select(DOCUMENT_HEAD).where('kind', '=', 'benchmark').where('doc_id', '=', benchmarkId).execute();
    return rows.map(toStoredBenchmark);
  }

  /** Benchmarks whose XCCDF 1.2 id (`xccdf_<reverse-DNS>_benchmark_<name>`) has this short name. */
  async findBenchmarksByShortName(name: string, executor: Executor = this.db): Promise<StoredBenchmark[]> {
    // LIKE narrows the rows portably (a `_` or `%` in the name only widens it); the exact test is the domain's.
    const rows = await executor.selectFrom('document').select(DOCUMENT_HEAD).where('kind', '=', 'benchmark').where('doc_id', 'like', `xccdf%benchmark%${name}`).execute();
    return rows.filter((r) => benchmarkShortName(r.doc_id) === name).map(toStoredBenchmark);
  }

  /** Groups of a catalog directly under `parentGroupId` (top-level groups when undefined). */
  async listGroups(documentId: string, parentGroupId?: string): Promise<StoredGroup[]> {
    let q = this.db.selectFrom('catalog_group').selectAll().where('document_id', '=', documentId);
    q = parentGroupId === undefined ? q.where('parent_group_id', 'is', null) : q.where('parent_group_id', '=', parentGroupId);
    const rows = await q.orderBy('sort_order').execute();
    return rows.map(toStoredGroup);
  }

  /** Top-level controls (of a group, or of the whole catalog), or the enhancements of `parentControlId`. */
  async listControls(documentId: string, filter: { groupId?: string; parentControlId?: string }, page?: ListOptions): Promise<Page<StoredControl>> {
    const { offset, limit } = pageBounds(page);
    let base = this.db.selectFrom('catalog_control').where('document_id', '=', documentId);
    if (filter.parentControlId !== undefined) base = base.where('parent_control_id', '=', filter.parentControlId);
    else {
      base = base.where('parent_control_id', 'is', null);
      if (filter.groupId !== undefined) base = base.where('group_id', '=', filter.groupId);
    }
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('sort_order').limit(limit ?? Number.MAX_SAFE_INTEGER).offset(offset).execute();
    return { items: await this.withEnhancements(documentId, rows), total: Number(total) };
  }

  async getControl(documentId: string, controlId: string): Promise<StoredControl | undefined> {
    const row = await this.db.selectFrom('catalog_control').selectAll().where('document_id', '=', documentId).where('control_id', '=', controlId).executeTakeFirst();
    return row ? (await this.withEnhancements(documentId, [row]))[0] : undefined;
  }

  /**
   * The controls and enhancements of a catalog with these ids, as CCI mapping reads them (status, links,
   * statement parts); ids the catalog lacks are left out. Only these rows' bodies are read and parsed: the whole
   * rev5 catalog's 1.6 MB took some 60 ms of every assessment's start.
   */
  async getMappedControls(documentId: string, controlIds: readonly string[]): Promise<MappedControl[]> {
    const out: MappedControl[] = [];
    for (let i = 0; i < controlIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('catalog_control')
        .select(['control_id', 'body_json'])
        .where('document_id', '=', documentId)
        .where('control_id', 'in', controlIds.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        const body = parseJson<Pick<OscalControl, 'props' | 'links' | 'parts'>>(r.body_json);
        out.push({ id: r.control_id, props: body.props ?? [], links: body.links ?? [], parts: body.parts ?? [] });
      }
    }
    return out;
  }

  private async withEnhancements(documentId: string, rows: Selectable<CatalogControlTable>[]): Promise<StoredControl[]> {
    if (rows.length === 0) return [];
    const children = new Map<string, string[]>();
    const ids = rows.map((r) => r.control_id);
    for (let i = 0; i < ids.length; i += 500) {
      const kids = await this.db
        .selectFrom('catalog_control')
        .select(['control_id', 'parent_control_id'])
        .where('document_id', '=', documentId)
        .where('parent_control_id', 'in', ids.slice(i, i + 500))
        .orderBy('sort_order')
        .execute();
      for (const k of kids) {
        const list = children.get(k.parent_control_id!) ?? [];
        list.push(k.control_id);
        children.set(k.parent_control_id!, list);
      }
    }
    return rows.map((r) => toStoredControl(r, children.get(r.control_id) ?? []));
  }

  async listRules(documentId: string, filter: { severity?: string } = {}, page?: ListOptions): Promise<Page<StoredRule>> {
    const { offset, limit } = pageBounds(page);
    let base = this.db.selectFrom('benchmark_rule').where('document_id', '=', documentId);
    if (filter.severity !== undefined) base = base.where('severity', '=', filter.severity);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('sort_order').limit(limit ?? Number.MAX_SAFE_INTEGER).offset(offset).execute();
    return { items: rows.map(toStoredRule), total: Number(total) };
  }

  /** A rule by rule id (SV-…), else group id (V-…), else STIG id (DKER-EE-…). */
  async getRule(documentId: string, ref: string): Promise<StoredRule | undefined> {
    const rows = await this.db
      .selectFrom('benchmark_rule')
      .selectAll()
      .where('document_id', '=', documentId)
      .where((eb) => eb.or([eb('rule_id', '=', ref), eb('group_id', '=', ref), eb('stig_id', '=', ref)]))
      .orderBy('sort_order')
      .execute();
    const row = rows.find((r) => r.rule_id === ref) ?? rows.find((r) => r.group_id === ref) ?? rows[0];
    return row ? toStoredRule(row) : undefined;
  }

  /** CCI items of a CCI list by id; unknown ids are left out. */
  async getCciItems(documentId: string, cciIds: readonly string[]): Promise<CciItem[]> {
    const out: CciItem[] = [];
    for (let i = 0; i < cciIds.length; i += 500) {
      const rows = await this.db.selectFrom('cci_item').selectAll().where('document_id', '=', documentId).where('cci_id', 'in', cciIds.slice(i, i + 500)).execute();
      out.push(...rows.map(toCciItem));
    }
    return out;
  }
}

// Kept importable from here: the local file source moved out so the CLI can read files without loading the database layer.
export { LocalContentFiles, type ContentFileSource } from './local-content-files.js';

// ---- row → domain ----

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function toStoredDocument(row: DocumentHead): StoredDocument {
  return {
    documentId: row.id,
    kind: row.kind as DocumentKind,
    id: row.doc_id,
    title: row.title,
    version: row.version,
    ...(row.release !== null ? { release: row.release } : {}),
    ...(row.release_date !== null ? { releaseDate: row.release_date } : {}),
    ...(row.oscal_version !== null ? { oscalVersion: row.oscal_version } : {}),
    sourceFile: row.source_file,
    sha256: row.sha256,
    counts: parseJson<Record<string, number>>(row.counts_json),
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}

export function toStoredBenchmark(row: DocumentHead): StoredBenchmark {
  const meta = parseJson<{ profiles?: BenchmarkProfile[] }>(row.meta_json);
  return { ...toStoredDocument(row), kind: 'benchmark', profiles: meta.profiles ?? [] };
}

export function toStoredGroup(row: Selectable<CatalogGroupTable>): StoredGroup {
  const body = parseJson<Pick<OscalGroup, 'params' | 'parts'>>(row.body_json);
  return {
    documentId: row.document_id,
    id: row.group_id,
    ...(row.parent_group_id !== null ? { parentGroupId: row.parent_group_id } : {}),
    title: row.title,
    ...(row.class !== null ? { class: row.class } : {}),
    params: body.params ?? [],
    parts: body.parts ?? [],
  };
}

export function toStoredControl(row: Selectable<CatalogControlTable>, enhancementIds: string[]): StoredControl {
  const body = parseJson<Pick<OscalControl, 'params' | 'props' | 'links' | 'parts'>>(row.body_json);
  return {
    documentId: row.document_id,
    id: row.control_id,
    ...(row.parent_control_id !== null ? { parentControlId: row.parent_control_id } : {}),
    ...(row.group_id !== null ? { groupId: row.group_id } : {}),
    title: row.title,
    ...(row.class !== null ? { class: row.class } : {}),
    params: body.params ?? [],
    parts: body.parts ?? [],
    props: body.props ?? [],
    links: body.links ?? [],
    enhancementIds,
  };
}

export function toStoredRule(row: Selectable<BenchmarkRuleTable>): StoredRule {
  return {
    documentId: row.document_id,
    groupId: row.group_id,
    ruleId: row.rule_id,
    stigId: row.stig_id,
    title: row.title,
    severity: row.severity as StoredRule['severity'],
    ...(row.weight !== null ? { weight: row.weight } : {}),
    discussion: row.discussion,
    checkContent: row.check_content,
    checkContentHash: row.check_content_hash,
    fixText: row.fix_text,
    ccis: parseJson<string[]>(row.ccis_json),
    legacyIds: parseJson<string[]>(row.legacy_ids_json),
    ...(row.group_title !== null && row.group_title !== undefined ? { groupTitle: row.group_title } : {}),
    ...(row.sp80053_json != null ? { sp80053: parseJson<Sp80053Reference[]>(row.sp80053_json) } : {}),
  };
}

export function toCciItem(row: Selectable<CciItemTable>): CciItem {
  return {
    id: row.cci_id,
    definition: row.definition,
    ...(row.type !== null ? { type: row.type } : {}),
    ...(row.status !== null ? { status: row.status } : {}),
    references: parseJson<CciItem['references']>(row.references_json),
  };
}
