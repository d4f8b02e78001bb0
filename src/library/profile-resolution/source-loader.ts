/**
 * Where profile resolution gets the documents an import names. A loader turns an href (relative to the
 * importing file) into a parsed catalog (with its back matter, which the catalog model leaves out) or a
 * parsed profile. `RelatedContentLoader` finds documents among those given with the profile (the CLI's files
 * beside it, a request's uploads); `FileSourceLoader` reads local files (the CLI, the content mirror, tests).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogDocument } from '../../domain/content.js';
import type { ContentFile, RelatedContent } from '../../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { BackMatterResource, ProfileDocument } from '../../domain/profile.js';
import { parseCatalogJson } from '../../formats/oscal/catalog-json.js';
import { readOscalDocument } from '../../formats/oscal/document.js';
import { addLines, withLocations } from '../../formats/oscal/located.js';
import { parseProfileJson } from '../../formats/oscal/profile-json.js';
import { DEFAULT_MAX_XML_BYTES } from '../../formats/safe-xml.js';
import { type ContentFileSource, LocalContentFiles } from '../../repositories/local-content-files.js';

/** A document an import resolved to. `file` identifies it (cycle detection, base of its own relative hrefs). */
export type LoadedSource = (
  | { kind: 'catalog'; file: string; catalog: CatalogDocument; backMatter: BackMatterResource[] }
  | { kind: 'profile'; file: string; profile: ProfileDocument }
) & {
  /** Where the source came from when not from the href itself (library, batch, mirror): named in the result's metadata. */
  origin?: string;
};

export interface ProfileSourceLoader {
  /** Loads the document `href` names, relative to `baseFile`; throws CONTENT_MISSING when there is none. */
  load(href: string, baseFile: string): Promise<LoadedSource>;
  /** Whether `href`, relative to `baseFile`, names a document this loader can read (used to choose an rlink). */
  exists(href: string, baseFile: string): Promise<boolean>;
}

export interface FileSourceLoaderOptions {
  /** The OSCAL complete JSON Schema that JSON and YAML documents are validated against. */
  oscalSchemaPath: string;
  /** Largest accepted file, in bytes (default 64 MiB). */
  maxBytes?: number;
  files?: ContentFileSource;
}

/** Parses one OSCAL catalog or profile file (JSON, XML or YAML), validated against the OSCAL JSON Schema. */
export function parseOscalSource(file: string, bytes: Buffer, opts: { oscalSchemaPath: string; maxBytes?: number }): LoadedSource {
  const doc = readOscalDocument(file, bytes, { maxBytes: opts.maxBytes ?? DEFAULT_MAX_XML_BYTES });
  if (doc.model === 'catalog') {
    const catalog = withLocations(file, doc.locate, () => parseCatalogJson(doc.json, file, opts));
    return { kind: 'catalog', file, catalog, backMatter: catalog.backMatter ?? [] };
  }
  if (doc.model === 'profile') {
    const profile = withLocations(file, doc.locate, () => parseProfileJson(doc.json, file, opts));
    if (doc.locate) addLines(profile, doc.locate);
    return { kind: 'profile', file, profile };
  }
  throw notCatalogOrProfile(file, `an OSCAL ${doc.model} document (${doc.format.toUpperCase()})`);
}

function notCatalogOrProfile(file: string, found: string): PlimsollError {
  const message = `an import must name an OSCAL catalog or profile; found ${found}`;
  return new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
}

/** The local path an href names relative to the importing file; remote URLs are refused (nothing is fetched). */
export function localPathOf(href: string, baseFile: string): string {
  if (/^file:/i.test(href)) return fileURLToPath(href);
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^[a-z]:[\\/]/i.test(href)) {
    throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${baseFile}: "${href}" is not a local file: remote documents are not fetched; mirror the file or give the resolver a library lookup`, [
      { file: baseFile, message: `"${href}" is not a local file` },
    ]);
  }
  const withoutFragment = href.split('#')[0]!;
  return path.resolve(path.dirname(baseFile), decodeURIComponent(withoutFragment));
}

/** The documents nothing is related to (a profile given alone): every href falls through to the library. */
export const NO_RELATED_CONTENT: RelatedContent = { find: async () => undefined };

/**
 * Loads imports through a RelatedContent (the CLI's files beside the profile, the uploads of a GraphQL
 * request); each document is parsed once per loader (an import of the same catalog twice reuses it).
 */
export class RelatedContentLoader implements ProfileSourceLoader {
  private readonly found = new Map<string, Promise<ContentFile | undefined>>();
  private readonly parsed = new Map<string, Promise<LoadedSource>>();

  constructor(
    private readonly related: RelatedContent,
    private readonly options: FileSourceLoaderOptions,
  ) {}

  async exists(href: string, baseFile: string): Promise<boolean> {
    try {
      return (await this.find(href, baseFile)) !== undefined;
    } catch {
      return false;
    }
  }

  async load(href: string, baseFile: string): Promise<LoadedSource> {
    const file = await this.find(href, baseFile);
    if (file === undefined) {
      const message = `"${href}" is not among the documents given with it`;
      throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${baseFile}: ${message}`, [{ file: baseFile, message }]);
    }
    let loaded = this.parsed.get(file.name);
    if (loaded === undefined) {
      loaded = Promise.resolve().then(() => this.parse(file));
      this.parsed.set(file.name, loaded);
    }
    return loaded;
  }

  private find(href: string, baseFile: string): Promise<ContentFile | undefined> {
    const key = `${baseFile}\u0000${href}`;
    let found = this.found.get(key);
    if (found === undefined) {
      found = this.related.find(href, baseFile);
      this.found.set(key, found);
    }
    return found;
  }

  private parse(file: ContentFile): LoadedSource {
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    if (file.bytes.length > maxBytes) {
      const message = `the file is ${file.bytes.length} bytes, larger than the limit of ${maxBytes} bytes`;
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file.name}: ${message}`, [{ file: file.name, message }]);
    }
    return parseOscalSource(file.name, file.bytes, { oscalSchemaPath: this.options.oscalSchemaPath, maxBytes });
  }
}

/**
 * Files on the local disk, found by href relative to the importing file: what the CLI offers for a profile
 * the user gave (their own files, read in their own process). Never wired into the server.
 */
export class LocalRelatedFiles implements RelatedContent {
  private readonly files: ContentFileSource;

  constructor(files?: ContentFileSource) {
    this.files = files ?? new LocalContentFiles();
  }

  async find(href: string, importing: string): Promise<ContentFile | undefined> {
    let file: string;
    try {
      file = localPathOf(href, path.resolve(importing));
    } catch {
      return undefined;
    }
    try {
      await this.files.size(file);
    } catch (e) {
      // Absent means "not beside the profile"; a file that exists but cannot be read is an error.
      const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
      if (cause?.code === 'ENOENT' || cause?.code === 'ENOTDIR' || cause?.message === 'not a regular file') return undefined;
      throw e;
    }
    return { name: file, bytes: await this.files.read(file) };
  }
}

/** Reads imports from local files (tests, benchmarks and the CLI's `resolveProfileFile`). */
export class FileSourceLoader extends RelatedContentLoader {
  constructor(options: FileSourceLoaderOptions) {
    super(new LocalRelatedFiles(options.files), options);
  }

  override load(href: string, baseFile: string): Promise<LoadedSource> {
    return super.load(href, baseFile).catch((e: unknown) => {
      // Name the file that is missing, as a reader of local files would.
      if (e instanceof PlimsollError && e.code === ErrorCode.CONTENT_MISSING) {
        // A remote href throws its own error here.
        const file = localPathOf(href, path.resolve(baseFile));
        const message = 'cannot read the file: no such file';
        throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${file}: ${message}`, [{ file, message }]);
      }
      throw e;
    });
  }
}

/** The last path segment of an href (no query or fragment), lower-cased; undefined for a fragment-only href. */
export function hrefBaseName(href: string): string | undefined {
  if (href.startsWith('#')) return undefined;
  const clean = href.split(/[?#]/)[0]!;
  let name = clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape stays as written.
  }
  return name === '' ? undefined : name.toLowerCase();
}

/**
 * Documents given together (the uploads of one request), found by the base name of an href whatever its
 * directory or scheme: nothing is read from disk or fetched, so an href can never reach a server file.
 */
export class ContentSet implements RelatedContent {
  constructor(private readonly files: readonly ContentFile[]) {}

  async find(href: string): Promise<ContentFile | undefined> {
    const name = hrefBaseName(href);
    return name === undefined ? undefined : this.files.find((f) => hrefBaseName(f.name) === name);
  }
}
