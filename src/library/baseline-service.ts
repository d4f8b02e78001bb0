/**
 * Resolved baselines. `LibraryProfileResolver` resolves a profile (NIST profile resolution, in
 * profile-resolution/) loading each import from a document given with the profile when there is one (the
 * CLI's files beside it, the uploads of a GraphQL request: `RelatedContent`), otherwise from the library: a
 * catalog of the same import batch or a stored catalog, matched by uuid (`#uuid`, `urn:uuid:…`, the
 * back-matter resource's uuid), title and version, or file name; then the content mirror. Nothing is read
 * from a path a caller names. The result is checked (unique control ids, valid OSCAL JSON) before anyone
 * stores or returns it.
 */
import path from 'node:path';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { Principal } from '../domain/auth.js';
import type { CatalogDocument } from '../domain/content.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Baseline } from '../domain/library.js';
import type { ProfileDocument, ResolvedCatalog } from '../domain/profile.js';
import type { BaselineService, ImportService, ProfileSources, ResolvedProfileText, StoredDocument, UploadService } from '../domain/services.js';
import type { ContentFile, ContentInput, RelatedContent } from '../domain/content-input.js';
import { resolvedCatalogToJson } from '../formats/oscal/catalog-writer.js';
import { createOscalValidator } from '../formats/oscal/schema-validator.js';
import type { BaselineRepository } from '../repositories/baseline-repository.js';
import type { ContentFileSource } from '../repositories/local-content-files.js';
import { resolveProfile, resolvedControlIds } from './profile-resolution/builder.js';
import { type LibraryLookup, rankRlinks } from './profile-resolution/import-selection.js';
import { ContentSet, FileSourceLoader, type LoadedSource, NO_RELATED_CONTENT, type ProfileSourceLoader, RelatedContentLoader, parseOscalSource } from './profile-resolution/source-loader.js';

/** A catalog being imported in the same batch as the profile (not stored yet). */
export interface BatchCatalog {
  file: string;
  catalog: CatalogDocument;
}

/** A resolved profile, checked and serialised, ready to store or write. */
export interface PreparedBaseline {
  profile: ProfileDocument;
  resolved: ResolvedCatalog;
  catalogJson: string;
  sources: string[];
  controlCount: number;
}

/** Finds a file by name in the content mirror (a repository over the mirror directories). */
export interface MirrorFiles {
  find(name: string): Promise<string | undefined>;
}

export interface ProfileResolverOptions {
  oscalSchemaPath: string;
  /**
   * The content mirror, searched by file name for imports whose hrefs are only URLs. The operator's own
   * directories (PLIMSOLL_CONTENT_MIRROR), the only files the server reads for a resolution.
   */
  mirror?: MirrorFiles;
  /** How mirror files are read (default: the local filesystem). */
  mirrorFiles?: ContentFileSource;
  maxBytes?: number;
  now?: () => Date;
}

/** What the resolver needs of the library: the stored catalogs and a way to load one. */
export interface StoredCatalogs {
  listDocuments(kind: 'catalog'): Promise<StoredDocument[]>;
  loadCatalog(documentId: string): Promise<CatalogDocument | undefined>;
}

const uuidOf = (href: string): string | undefined => /^(?:#|urn:uuid:)([0-9a-f-]{36})$/i.exec(href)?.[1]?.toLowerCase();
const baseName = (href: string): string | undefined => {
  if (href.startsWith('#')) return undefined;
  const clean = href.split(/[?#]/)[0]!;
  const name = decodeURIComponent(clean.slice(clean.lastIndexOf('/') + 1));
  return name === '' || name.includes('\\') ? undefined : name;
};
const isRemote = (href: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^file:/i.test(href) && !/^[a-z]:[\\/]/i.test(href);

/** Wraps a loader to record every file it loads. */
class RecordingLoader implements ProfileSourceLoader {
  constructor(private readonly inner: ProfileSourceLoader, private readonly sources: string[]) {}
  exists(href: string, baseFile: string): Promise<boolean> {
    return this.inner.exists(href, baseFile);
  }
  async load(href: string, baseFile: string): Promise<LoadedSource> {
    const loaded = await this.inner.load(href, baseFile);
    if (!this.sources.includes(loaded.file)) this.sources.push(loaded.file);
    return loaded;
  }
}

export class LibraryProfileResolver {
  /** Reads mirror files (by the path the mirror index gives, never one a caller names), each parsed once. */
  private readonly mirrorLoader: FileSourceLoader;

  constructor(private readonly library: StoredCatalogs, private readonly options: ProfileResolverOptions) {
    this.mirrorLoader = new FileSourceLoader({ oscalSchemaPath: options.oscalSchemaPath, ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}), ...(options.mirrorFiles ? { files: options.mirrorFiles } : {}) });
  }

  /**
   * Resolves a parsed profile, checks the result and serialises it as OSCAL JSON. Imports come from
   * `related` (found by href), the batch, the library or the content mirror; nothing else is read.
   */
  async prepare(profile: ProfileDocument, batch: readonly BatchCatalog[] = [], related: RelatedContent = NO_RELATED_CONTENT): Promise<PreparedBaseline> {
    const sources: string[] = [];
    const loader = new RecordingLoader(
      new RelatedContentLoader(related, { oscalSchemaPath: this.options.oscalSchemaPath, ...(this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {}) }),
      sources,
    );
    const resolved = await resolveProfile(profile, loader, { lookup: this.lookup(loader, batch, sources), ...(this.options.now ? { now: this.options.now } : {}) });
    const ids = resolvedControlIds(resolved);
    const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (duplicates.length > 0) {
      const message = `resolution produced the same control more than once (${duplicates.slice(0, 10).join(', ')}); use merge/combine "merge" or "use-first"`;
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${profile.file}: ${message}`, [{ file: profile.file, pointer: '/profile/merge', message }]);
    }
    const json = resolvedCatalogToJson(resolved);
    createOscalValidator(this.options.oscalSchemaPath).assertValid(json, `${profile.file} (resolved catalog)`);
    return { profile, resolved, catalogJson: JSON.stringify(json, null, 2), sources, controlCount: ids.length };
  }

  /** Parses a profile (JSON, XML or YAML) and prepares its baseline. */
  async prepareContent(file: ContentFile, related: RelatedContent = NO_RELATED_CONTENT): Promise<PreparedBaseline> {
    const source = parseOscalSource(file.name, file.bytes, { oscalSchemaPath: this.options.oscalSchemaPath, ...(this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {}) });
    if (source.kind !== 'profile') {
      const message = 'not an OSCAL profile (it is a catalog): nothing to resolve';
      throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file.name}: ${message}`, [{ file: file.name, message }]);
    }
    return this.prepare(source.profile, [], related);
  }

  /**
   * Where an import comes from. A local href that exists beside the profile is what the profile names, and the
   * loader reads it. Otherwise (every FedRAMP baseline names NIST's catalog only by https:// rlinks), in order:
   * a catalog of this import batch or of the library with the same uuid (the href's or the back-matter
   * resource's), or the same title and version (the resource's title and `version` prop); then a file of the
   * same name as an href, beside the profile or in the content mirror. Nothing is downloaded. The source used
   * is recorded on it (`origin`), and the resolved catalog's metadata names it.
   */
  private lookup(loader: ProfileSourceLoader, batch: readonly BatchCatalog[], sources: string[]): LibraryLookup {
    return async ({ href, resource, importingFile }) => {
      const hrefs = resource ? rankRlinks(resource) : [href];
      for (const h of hrefs) if (!h.startsWith('#') && !isRemote(h) && (await loader.exists(h, importingFile))) return undefined;
      const uuids = new Set([uuidOf(href), resource?.uuid.toLowerCase()].filter((u): u is string => u !== undefined));
      const title = resource?.title;
      const version = resource?.props?.find((p) => p.name === 'version')?.value;
      const fileNames = [...new Set(hrefs.map(baseName).filter((n): n is string => n !== undefined))];
      const names = new Set(fileNames.map((n) => n.toLowerCase()));
      const sameTitle = (t: string, v: string): boolean => title !== undefined && version !== undefined && t === title && v === version;
      const fromBatch =
        batch.find((b) => uuids.has(b.catalog.uuid.toLowerCase())) ??
        batch.find((b) => sameTitle(b.catalog.title, b.catalog.version)) ??
        batch.find((b) => names.has(path.basename(b.file).toLowerCase()));
      if (fromBatch) {
        if (!sources.includes(fromBatch.file)) sources.push(fromBatch.file);
        return { kind: 'catalog', file: fromBatch.file, catalog: fromBatch.catalog, backMatter: fromBatch.catalog.backMatter ?? [], origin: `import batch ${fromBatch.file}` };
      }
      const stored = await this.fromLibrary(uuids, sameTitle, names, sources);
      if (stored) return stored;
      return this.fromFiles(fileNames, loader, importingFile, sources);
    };
  }

  private async fromLibrary(uuids: Set<string>, sameTitle: (title: string, version: string) => boolean, names: Set<string>, sources: string[]): Promise<LoadedSource | undefined> {
    // Newest import first: a later import of the same catalog wins.
    const stored = (await this.library.listDocuments('catalog')).reverse();
    const byUuid = stored.find((d) => uuids.has(d.id.toLowerCase()));
    const byTitle = byUuid ? undefined : stored.find((d) => sameTitle(d.title, d.version));
    const byName = byUuid ?? byTitle ? undefined : stored.find((d) => names.has(path.basename(d.sourceFile).toLowerCase()));
    const match = byUuid ?? byTitle ?? byName;
    if (!match) return undefined;
    const catalog = await this.library.loadCatalog(match.documentId);
    if (!catalog) return undefined;
    const label = `library:${match.documentId}`;
    if (!sources.includes(label)) sources.push(label);
    const how = byUuid ? 'uuid' : byTitle ? 'title and version' : 'file name';
    // A catalog stored before whole documents were kept has no back matter: say so where the source is named.
    const partial = catalog.backMatter === undefined ? '; stored before whole documents were kept, re-import it for its back matter' : '';
    return { kind: 'catalog', file: match.sourceFile, catalog, backMatter: catalog.backMatter ?? [], origin: `library ${match.documentId} (${catalog.title} ${catalog.version}, same ${how}${partial})` };
  }

  /**
   * A document named as the import's hrefs given with the profile (the CLI: a file of that name beside it; GraphQL:
   * an upload of that name), then a file of that name in the content mirror.
   */
  private async fromFiles(fileNames: readonly string[], loader: ProfileSourceLoader, importingFile: string, sources: string[]): Promise<LoadedSource | undefined> {
    for (const name of fileNames) {
      if (!(await loader.exists(name, importingFile))) continue;
      const loaded = await loader.load(name, importingFile);
      return { ...loaded, origin: `file ${loaded.file} (same name, beside the profile)` };
    }
    for (const name of fileNames) {
      const mirrored = await this.options.mirror?.find(name);
      if (mirrored === undefined) continue;
      if (!sources.includes(mirrored)) sources.push(mirrored);
      return { ...(await this.mirrorLoader.load(mirrored, mirrored)), origin: `file ${mirrored} (same name, content mirror)` };
    }
    return undefined;
  }
}

export interface BaselineServiceDeps {
  repo: BaselineRepository;
  imports: ImportService;
  /** Built on first use: it needs the OSCAL schema, which may have to be synced first. */
  resolver: () => Promise<LibraryProfileResolver>;
  uploads: Pick<UploadService, 'resolve'>;
}

/** Related content of a profile: the documents given with it first, then whatever the transport offers. */
function relatedOf(imports: readonly ContentFile[], related: RelatedContent | undefined): RelatedContent {
  const given = new ContentSet(imports);
  return { find: async (href, importing) => (await given.find(href)) ?? (await related?.find(href, importing)) };
}

export class DefaultBaselineService implements BaselineService {
  constructor(private readonly deps: BaselineServiceDeps) {}

  list(): Promise<Baseline[]> {
    return this.deps.repo.list();
  }

  page(filter: { selecting?: string }, page: PageRequest): Promise<Connection<Baseline>> {
    return this.deps.repo.page(filter, page);
  }

  async get(ref: string): Promise<Baseline | undefined> {
    return (await this.deps.repo.get(ref)) ?? (await this.deps.repo.findByProfileUuid(ref))[0];
  }

  async resolveAndStore(profile: ContentInput, actor: Principal, options: ProfileSources = {}): Promise<Baseline> {
    const imports = await this.deps.uploads.resolve(options.imports ?? [], actor);
    const [summary] = await this.deps.imports.importDocuments([profile], actor, { kinds: ['profile'], related: relatedOf(imports, options.related) });
    const baseline = summary && (await this.deps.repo.get(summary.documentId));
    if (!baseline) throw new PlimsollError(ErrorCode.INTERNAL, `${summary?.file ?? 'the profile'}: the profile was imported but no baseline was stored`);
    return baseline;
  }

  async resolveToText(profile: ContentInput, actor: Principal, options: ProfileSources = {}): Promise<ResolvedProfileText> {
    const [file, ...imports] = await this.deps.uploads.resolve([profile, ...(options.imports ?? [])], actor);
    const prepared = await (await this.deps.resolver()).prepareContent(file!, relatedOf(imports, options.related));
    return { catalogJson: `${prepared.catalogJson}\n`, catalogUuid: prepared.resolved.uuid, controlCount: prepared.controlCount, warnings: prepared.resolved.warnings };
  }

  async catalogJson(ref: string): Promise<string | undefined> {
    const baseline = await this.get(ref);
    return baseline && this.deps.repo.catalogJson(baseline.documentId);
  }

  selecting(controlId: string): Promise<Baseline[]> {
    return this.deps.repo.selecting(controlId);
  }
}
