/**
 * Resolved baselines. `LibraryProfileResolver` resolves a profile (NIST profile resolution, in
 * profile-resolution/) loading each import from a file beside the profile when there is one, otherwise
 * from the library: a catalog of the same import batch or a stored catalog, matched by uuid (`#uuid`,
 * `urn:uuid:…`, the back-matter resource's uuid) or by file name (the href's or an rlink's base name).
 * The result is checked (unique control ids, valid OSCAL JSON) before anyone stores or writes it.
 */
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
import { resolveProfile, resolvedControlIds } from './profile-resolution/builder.js';
import { type LibraryLookup, rankRlinks } from './profile-resolution/import-selection.js';
import { ContentSet, hrefBaseName, type LoadedSource, NO_RELATED_CONTENT, type ProfileSourceLoader, RelatedContentLoader, parseOscalSource } from './profile-resolution/source-loader.js';

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

export interface ProfileResolverOptions {
  oscalSchemaPath: string;
  maxBytes?: number;
  now?: () => Date;
}

/** What the resolver needs of the library: the stored catalogs and a way to load one. */
export interface StoredCatalogs {
  listDocuments(kind: 'catalog'): Promise<StoredDocument[]>;
  loadCatalog(documentId: string): Promise<CatalogDocument | undefined>;
}

const uuidOf = (href: string): string | undefined => /^(?:#|urn:uuid:)([0-9a-f-]{36})$/i.exec(href)?.[1]?.toLowerCase();
const baseName = hrefBaseName;

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
  constructor(private readonly library: StoredCatalogs, private readonly options: ProfileResolverOptions) {}

  /**
   * Resolves a parsed profile, checks the result and serialises it as OSCAL JSON. Imports come from
   * `related` (found by href), the batch, or the library; nothing else is read.
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

  /** Files beside the profile first; otherwise a catalog of the batch or of the library, by uuid or by file name. */
  private lookup(loader: ProfileSourceLoader, batch: readonly BatchCatalog[], sources: string[]): LibraryLookup {
    return async ({ href, resource, importingFile }) => {
      const hrefs = resource ? rankRlinks(resource) : [href];
      for (const h of hrefs) if (!h.startsWith('#') && (await loader.exists(h, importingFile))) return undefined;
      const uuids = new Set([uuidOf(href), resource?.uuid.toLowerCase()].filter((u): u is string => u !== undefined));
      const names = new Set(hrefs.map(baseName).filter((n): n is string => n !== undefined));
      const fromBatch = batch.find((b) => uuids.has(b.catalog.uuid.toLowerCase())) ?? batch.find((b) => names.has(hrefBaseName(b.file) ?? ''));
      if (fromBatch) {
        if (!sources.includes(fromBatch.file)) sources.push(fromBatch.file);
        return { kind: 'catalog', file: fromBatch.file, catalog: fromBatch.catalog, backMatter: [] };
      }
      return this.fromLibrary(uuids, names, sources);
    };
  }

  private async fromLibrary(uuids: Set<string>, names: Set<string>, sources: string[]): Promise<LoadedSource | undefined> {
    if (uuids.size === 0 && names.size === 0) return undefined;
    // Newest import first: a later import of the same catalog file wins.
    const stored = (await this.library.listDocuments('catalog')).reverse();
    const match = stored.find((d) => uuids.has(d.id.toLowerCase())) ?? stored.find((d) => names.has(hrefBaseName(d.sourceFile) ?? ''));
    if (!match) return undefined;
    const catalog = await this.library.loadCatalog(match.documentId);
    if (!catalog) return undefined;
    const label = `library:${match.documentId}`;
    if (!sources.includes(label)) sources.push(label);
    return { kind: 'catalog', file: match.sourceFile, catalog, backMatter: [] };
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
