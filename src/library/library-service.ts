/** Browsing the content library, and mapping CCIs to SP 800-53 rev5 statements of the loaded catalogs. */
import { type CatalogView, catalogViewOf, controlIdsNamedBy, dedupeMappings, followedControlIds, mapCci, mapDirectReference, type MappedControl, referencedControlIds } from '../domain/cci-mapping.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { CciItem, DocumentKind } from '../domain/content.js';
import type {
  ControlMapping,
  LibraryService,
  ListOptions,
  Page,
  StoredBenchmark,
  StoredControl,
  StoredDocument,
  StoredGroup,
  StoredRule,
} from '../domain/services.js';
import type { ContentRepository } from '../repositories/content-repository.js';

/** Compares version strings part by part, numbers numerically (`2` < `10`, `2024-06-12` < `2024-07-24`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[^0-9A-Za-z]+/).filter((p) => p !== '');
  const pb = b.split(/[^0-9A-Za-z]+/).filter((p) => p !== '');
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Newest first: version, then release, then import time. */
function newestFirst(a: StoredDocument, b: StoredDocument): number {
  return compareVersions(b.version, a.version) || compareVersions(b.release ?? '', a.release ?? '') || b.importedAt.localeCompare(a.importedAt);
}

export class ContentLibraryService implements LibraryService {
  /**
   * Controls read for mapping, by catalog document id and control id (null: the catalog has no such control).
   * Stored documents never change, so a control is read once per process.
   */
  private readonly mapped = new Map<string, Map<string, MappedControl | null>>();

  constructor(private readonly repo: ContentRepository) {}

  listDocuments(kind?: DocumentKind): Promise<StoredDocument[]> {
    return this.repo.listDocuments(kind);
  }

  pageDocuments(kind: DocumentKind | undefined, page: PageRequest): Promise<Connection<StoredDocument>> {
    return this.repo.pageDocuments(kind, page);
  }

  pageGroups(catalogDocumentId: string, parentGroupId: string | undefined, page: PageRequest): Promise<Connection<StoredGroup>> {
    return this.repo.pageGroups(catalogDocumentId, parentGroupId, page);
  }

  pageControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, page: PageRequest): Promise<Connection<StoredControl>> {
    return this.repo.pageControls(catalogDocumentId, filter, page);
  }

  pageRules(benchmarkDocumentId: string, filter: { severity?: string }, page: PageRequest): Promise<Connection<StoredRule>> {
    return this.repo.pageRules(benchmarkDocumentId, filter, page);
  }

  getDocument(documentId: string): Promise<StoredDocument | undefined> {
    return this.repo.getDocument(documentId);
  }

  async findBenchmark(ref: string): Promise<StoredBenchmark | undefined> {
    const byDocument = await this.repo.getBenchmark(ref);
    if (byDocument) return byDocument;
    const releases = await this.repo.findBenchmarksByBenchmarkId(ref);
    // An XCCDF 1.2 benchmark is also called by its short name (plimsoll_container_platform).
    if (releases.length === 0) releases.push(...(await this.repo.findBenchmarksByShortName(ref)));
    return releases.sort(newestFirst)[0];
  }

  listGroups(catalogDocumentId: string, parentGroupId?: string): Promise<StoredGroup[]> {
    return this.repo.listGroups(catalogDocumentId, parentGroupId);
  }

  listControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, page?: ListOptions): Promise<Page<StoredControl>> {
    return this.repo.listControls(catalogDocumentId, filter, page);
  }

  getControl(catalogDocumentId: string, controlId: string): Promise<StoredControl | undefined> {
    return this.repo.getControl(catalogDocumentId, controlId);
  }

  listRules(benchmarkDocumentId: string, filter?: { severity?: string }, page?: ListOptions): Promise<Page<StoredRule>> {
    return this.repo.listRules(benchmarkDocumentId, filter, page);
  }

  getRule(benchmarkDocumentId: string, ref: string): Promise<StoredRule | undefined> {
    return this.repo.getRule(benchmarkDocumentId, ref);
  }

  async getCci(cciId: string): Promise<CciItem | undefined> {
    const list = await this.latestCciList();
    if (!list) return undefined;
    return (await this.repo.getCciItems(list.documentId, [cciId]))[0];
  }

  /**
   * Rev5 statements of these CCIs, resolved against the loaded catalogs (newest version first). A CCI
   * the latest CCI list does not know (or any CCI when no list is loaded) gives one unresolved mapping.
   */
  async mapCcisToControls(ccis: string[]): Promise<ControlMapping[]> {
    const wanted = [...new Set(ccis)];
    if (wanted.length === 0) return [];
    const list = await this.latestCciList();
    const items = list ? await this.repo.getCciItems(list.documentId, wanted) : [];
    const byId = new Map(items.map((i) => [i.id, i]));
    const catalogs = await this.catalogViews(items.flatMap(controlIdsNamedBy));
    const out: ControlMapping[] = [];
    for (const cci of wanted) {
      const item = byId.get(cci);
      if (item) out.push(...mapCci(item, catalogs));
      else out.push({ cci, index: '', revision: '5', controlId: '', statementId: '', resolved: false });
    }
    return dedupeMappings(out);
  }

  /**
   * Rev5 statements of direct SP 800-53 rev5 references (`IA-5(1)`), resolved against the loaded catalogs like
   * CCI mappings; used for rules that cite a control no CCI covers. The mappings have no CCI.
   */
  async mapReferencesToControls(references: string[]): Promise<ControlMapping[]> {
    const wanted = [...new Set(references.map((r) => r.trim()).filter((r) => r !== ''))];
    if (wanted.length === 0) return [];
    const catalogs = await this.catalogViews(referencedControlIds(wanted));
    return dedupeMappings(wanted.flatMap((r) => mapDirectReference(r, catalogs)));
  }

  private async latestCciList(): Promise<StoredDocument | undefined> {
    return (await this.repo.listDocuments('cci-list')).sort(newestFirst)[0];
  }

  /**
   * Views of the loaded catalogs (newest first) holding the controls `controlIds` and, transitively, those their
   * withdrawal links lead to: every control the mapping of the references naming them looks up.
   */
  private async catalogViews(controlIds: readonly string[]): Promise<CatalogView[]> {
    const catalogs = (await this.repo.listDocuments('catalog')).sort(newestFirst);
    const used = new Set<string>();
    for (let wanted = [...new Set(controlIds)]; wanted.length > 0; ) {
      wanted.forEach((id) => used.add(id));
      const read: MappedControl[] = [];
      for (const c of catalogs) read.push(...(await this.mappedControls(c.documentId, wanted)));
      wanted = followedControlIds(read).filter((id) => !used.has(id));
    }
    return catalogs.map((c) => {
      const known = this.mapped.get(c.documentId)!;
      return catalogViewOf([...used].flatMap((id) => known.get(id) ?? []), c.documentId);
    });
  }

  /** The controls `ids` of a catalog that it has, read once per process. */
  private async mappedControls(documentId: string, ids: readonly string[]): Promise<MappedControl[]> {
    let known = this.mapped.get(documentId);
    if (known === undefined) this.mapped.set(documentId, (known = new Map()));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) {
      const read = new Map((await this.repo.getMappedControls(documentId, missing)).map((c) => [c.id, c]));
      for (const id of missing) known.set(id, read.get(id) ?? null);
    }
    return ids.flatMap((id) => known.get(id) ?? []);
  }
}
