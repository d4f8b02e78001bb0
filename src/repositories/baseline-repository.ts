/**
 * Storage of resolved baselines. A baseline is stored as a document of kind `profile` (the imported
 * profile file: its uuid, title, hash) whose resolved controls and groups are catalog rows under that
 * document, plus a `baseline` row with the resolution's metadata and the resolved catalog's OSCAL JSON.
 * Also rebuilds a stored catalog as a CatalogDocument, for profiles that import from the library.
 */
import { type Kysely, type Selectable, sql } from './database/kysely.js';
import type { CatalogDocument, OscalControl, OscalGroup } from '../domain/content.js';
import type { Problem } from '../domain/errors.js';
import type { Baseline } from '../domain/library.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { ProfileDocument, ResolvedCatalog } from '../domain/profile.js';
import { mapCatalogJson } from '../formats/oscal/catalog-json.js';
import { walkControls, walkGroups } from '../formats/oscal/catalog-walk.js';
import type { DocumentMeta, Executor } from './content-repository.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { BaselineTable, CatalogControlTable, CatalogGroupTable, Database, DocumentTable } from './database/tables.js';

const CHUNK = 200;
/** Documents of one import share imported_at; SQLite's rowid keeps the order they were given in. */
const insertionOrder = sql`document.rowid`;

/** What a stored baseline is made of. */
export interface BaselineRecord {
  profile: ProfileDocument;
  resolved: ResolvedCatalog;
  /** The resolved catalog's OSCAL JSON text. */
  catalogJson: string;
  sources: string[];
  controlCount: number;
}

export class BaselineRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a profile document, its resolved groups and controls as rows, and the baseline row, inside `trx`. */
  async storeBaseline(trx: Executor, meta: DocumentMeta, record: BaselineRecord): Promise<void> {
    const { profile, resolved } = record;
    await trx
      .insertInto('document')
      .values({
        id: meta.documentId,
        kind: 'profile',
        doc_id: profile.uuid,
        title: profile.metadata.title,
        version: profile.metadata.version,
        release: null,
        release_date: null,
        oscal_version: profile.metadata.oscalVersion,
        source_file: meta.sourceFile,
        sha256: meta.sha256,
        counts_json: JSON.stringify(meta.counts),
        meta_json: JSON.stringify({ lastModified: profile.metadata.lastModified, catalogUuid: resolved.uuid }),
        oscal_json: profile.json ? JSON.stringify(profile.json) : null,
        imported_at: meta.importedAt,
        imported_by: meta.importedBy,
      })
      .execute();
    const groups: CatalogGroupTable[] = walkGroups(resolved).map((v) => ({
      document_id: meta.documentId, group_id: v.id, parent_group_id: v.parentGroupId ?? null, title: v.group.title,
      class: v.group.class ?? null, sort_order: v.order,
      body_json: JSON.stringify({ params: v.group.params ?? [], props: v.group.props ?? [], parts: v.group.parts ?? [] }),
    }));
    for (let i = 0; i < groups.length; i += CHUNK) await trx.insertInto('catalog_group').values(groups.slice(i, i + CHUNK)).execute();
    const controls: CatalogControlTable[] = walkControls(resolved).map((v) => ({
      document_id: meta.documentId, control_id: v.control.id, parent_control_id: v.parentControlId ?? null, group_id: v.groupId ?? null,
      title: v.control.title, class: v.control.class ?? null, sort_order: v.order,
      body_json: JSON.stringify({ params: v.control.params ?? [], props: v.control.props ?? [], links: v.control.links ?? [], parts: v.control.parts ?? [] }),
    }));
    for (let i = 0; i < controls.length; i += CHUNK) await trx.insertInto('catalog_control').values(controls.slice(i, i + CHUNK)).execute();
    await trx
      .insertInto('baseline')
      .values({
        document_id: meta.documentId,
        profile_uuid: profile.uuid,
        catalog_uuid: resolved.uuid,
        resolved_at: resolved.lastModified ?? meta.importedAt,
        control_count: record.controlCount,
        sources_json: JSON.stringify(record.sources),
        warnings_json: JSON.stringify(resolved.warnings),
        catalog_json: record.catalogJson,
      })
      .execute();
  }

  private baselines(executor: Executor = this.db) {
    return executor
      .selectFrom('baseline')
      .innerJoin('document', 'document.id', 'baseline.document_id')
      .select([
        'baseline.document_id', 'baseline.profile_uuid', 'baseline.catalog_uuid', 'baseline.resolved_at', 'baseline.control_count',
        'baseline.sources_json', 'baseline.warnings_json', 'document.title', 'document.version', 'document.oscal_version',
        'document.source_file', 'document.sha256', 'document.imported_at', 'document.imported_by',
      ]);
  }

  /** Every baseline, oldest import first. */
  async list(): Promise<Baseline[]> {
    const rows = await this.baselines().orderBy('document.imported_at').orderBy(insertionOrder).execute();
    return rows.map(toBaseline);
  }

  /** A page of baselines (those selecting a control, when given), oldest import first. */
  async page(filter: { selecting?: string }, request: PageRequest): Promise<Connection<Baseline>> {
    let base = this.baselines();
    if (filter.selecting !== undefined) {
      const controlId = filter.selecting;
      base = base.where('baseline.document_id', 'in', (eb) => eb.selectFrom('catalog_control').select('catalog_control.document_id').where('catalog_control.control_id', '=', controlId));
    }
    const key = [
      { ref: 'document.imported_at', type: 'string' as const, value: (r: BaselineRow) => r.imported_at },
      { ref: 'baseline.document_id', type: 'string' as const, value: (r: BaselineRow) => r.document_id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toBaseline);
  }

  async get(documentId: string, executor: Executor = this.db): Promise<Baseline | undefined> {
    const row = await this.baselines(executor).where('baseline.document_id', '=', documentId).executeTakeFirst();
    return row ? toBaseline(row) : undefined;
  }

  /** Baselines of one profile uuid, newest import first. */
  async findByProfileUuid(profileUuid: string): Promise<Baseline[]> {
    const rows = await this.baselines().where('baseline.profile_uuid', '=', profileUuid).orderBy('document.imported_at', 'desc').orderBy(insertionOrder, 'desc').execute();
    return rows.map(toBaseline);
  }

  /** Baselines whose resolved catalog holds `controlId`. */
  async selecting(controlId: string): Promise<Baseline[]> {
    const rows = await this.baselines()
      .where('baseline.document_id', 'in', (eb) => eb.selectFrom('catalog_control').select('catalog_control.document_id').where('catalog_control.control_id', '=', controlId))
      .orderBy('document.imported_at')
      .orderBy(insertionOrder)
      .execute();
    return rows.map(toBaseline);
  }

  /** Ids and titles of every control and enhancement under a document, in document order. */
  async controlsOf(documentId: string): Promise<{ id: string; title: string }[]> {
    const rows = await this.db.selectFrom('catalog_control').select(['control_id', 'title']).where('document_id', '=', documentId).orderBy('sort_order').execute();
    return rows.map((r) => ({ id: r.control_id, title: r.title }));
  }

  /** The stored resolved catalog's OSCAL JSON text. */
  async catalogJson(documentId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('baseline').select('catalog_json').where('document_id', '=', documentId).executeTakeFirst();
    return row?.catalog_json;
  }

  /**
   * A stored catalog as a CatalogDocument: from its whole OSCAL document (metadata, catalog-level params, back
   * matter and all), or, for a catalog imported before whole documents were kept (0008), rebuilt from its rows
   * without those; such a catalog has no `backMatter` (re-import the file to complete it).
   */
  async loadCatalog(documentId: string): Promise<CatalogDocument | undefined> {
    const doc = await this.db.selectFrom('document').selectAll().where('id', '=', documentId).where('kind', '=', 'catalog').executeTakeFirst();
    if (!doc) return undefined;
    if (doc.oscal_json) return mapCatalogJson(JSON.parse(doc.oscal_json), doc.source_file);
    const groupRows = await this.db.selectFrom('catalog_group').selectAll().where('document_id', '=', documentId).orderBy('sort_order').execute();
    const controlRows = await this.db.selectFrom('catalog_control').selectAll().where('document_id', '=', documentId).orderBy('sort_order').execute();
    return rebuildCatalog(doc, groupRows, controlRows);
  }

  /** The whole OSCAL JSON document of a stored catalog or profile; undefined when it was stored before 0008. */
  async oscalDocument(documentId: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db.selectFrom('document').select('oscal_json').where('id', '=', documentId).executeTakeFirst();
    return row?.oscal_json ? (JSON.parse(row.oscal_json) as Record<string, unknown>) : undefined;
  }
}

function rebuildCatalog(doc: Selectable<DocumentTable>, groupRows: Selectable<CatalogGroupTable>[], controlRows: Selectable<CatalogControlTable>[]): CatalogDocument {
  const meta = JSON.parse(doc.meta_json) as { lastModified?: string };
  const catalog: CatalogDocument = {
    kind: 'catalog', uuid: doc.doc_id, title: doc.title, version: doc.version, oscalVersion: doc.oscal_version ?? '1.1.2',
    ...(meta.lastModified !== undefined ? { lastModified: meta.lastModified } : {}), groups: [], controls: [],
  };
  const groups = new Map<string, OscalGroup>();
  for (const r of groupRows) {
    const body = JSON.parse(r.body_json) as Pick<OscalGroup, 'params' | 'props' | 'parts'>;
    const g: OscalGroup = { id: r.group_id, title: r.title, ...(r.class !== null ? { class: r.class } : {}), ...nonEmpty(body) };
    groups.set(r.group_id, g);
    const parent = r.parent_group_id === null ? undefined : groups.get(r.parent_group_id);
    if (parent) (parent.groups ??= []).push(g);
    else catalog.groups.push(g);
  }
  const controls = new Map<string, OscalControl>();
  for (const r of controlRows) {
    const body = JSON.parse(r.body_json) as Pick<OscalControl, 'params' | 'props' | 'links' | 'parts'>;
    const c: OscalControl = { id: r.control_id, title: r.title, ...(r.class !== null ? { class: r.class } : {}), ...nonEmpty(body) };
    controls.set(r.control_id, c);
    const parent = r.parent_control_id === null ? undefined : controls.get(r.parent_control_id);
    const group = r.group_id === null ? undefined : groups.get(r.group_id);
    if (parent) (parent.controls ??= []).push(c);
    else if (group) (group.controls ??= []).push(c);
    else catalog.controls.push(c);
  }
  return catalog;
}

/** Drops empty lists, as the parsers leave them out. */
function nonEmpty<T extends object>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

type BaselineRow = Pick<Selectable<BaselineTable>, 'document_id' | 'profile_uuid' | 'catalog_uuid' | 'resolved_at' | 'control_count' | 'sources_json' | 'warnings_json'> &
  Pick<Selectable<DocumentTable>, 'title' | 'version' | 'oscal_version' | 'source_file' | 'sha256' | 'imported_at' | 'imported_by'>;

export function toBaseline(row: BaselineRow): Baseline {
  return {
    documentId: row.document_id,
    profileUuid: row.profile_uuid,
    title: row.title,
    version: row.version,
    oscalVersion: row.oscal_version ?? '',
    sourceFile: row.source_file,
    sha256: row.sha256,
    catalogUuid: row.catalog_uuid,
    resolvedAt: row.resolved_at,
    controlCount: Number(row.control_count),
    sources: JSON.parse(row.sources_json) as string[],
    warnings: JSON.parse(row.warnings_json) as Problem[],
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}
