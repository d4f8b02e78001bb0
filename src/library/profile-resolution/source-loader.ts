/**
 * Where profile resolution gets the documents an import names. A loader turns an href (relative to the
 * importing file) into a parsed catalog (with its back matter, which the catalog model leaves out) or a
 * parsed profile. `FileSourceLoader` reads local files in JSON, XML or YAML and parses each file once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogDocument } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { BackMatterResource, ProfileDocument } from '../../domain/profile.js';
import { parseCatalogJson } from '../../formats/oscal/catalog-json.js';
import { readOscalDocument } from '../../formats/oscal/document.js';
import { addLines, withLocations } from '../../formats/oscal/located.js';
import { parseProfileJson } from '../../formats/oscal/profile-json.js';
import { DEFAULT_MAX_XML_BYTES } from '../../formats/safe-xml.js';
import { type ContentFileSource, LocalContentFiles } from '../../repositories/content-repository.js';

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

/** Reads local files; each file is parsed once per loader (an import of the same catalog twice reuses it). */
export class FileSourceLoader implements ProfileSourceLoader {
  private readonly files: ContentFileSource;
  private readonly cache = new Map<string, Promise<LoadedSource>>();

  constructor(private readonly options: FileSourceLoaderOptions) {
    this.files = options.files ?? new LocalContentFiles();
  }

  async exists(href: string, baseFile: string): Promise<boolean> {
    let file: string;
    try {
      file = localPathOf(href, baseFile);
    } catch {
      return false;
    }
    try {
      await this.files.size(file);
      return true;
    } catch {
      return false;
    }
  }

  load(href: string, baseFile: string): Promise<LoadedSource> {
    const file = localPathOf(href, baseFile);
    let loaded = this.cache.get(file);
    if (loaded === undefined) {
      loaded = this.read(file);
      this.cache.set(file, loaded);
    }
    return loaded;
  }

  private async read(file: string): Promise<LoadedSource> {
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    const size = await this.files.size(file);
    if (size > maxBytes) {
      const message = `the file is ${size} bytes, larger than the limit of ${maxBytes} bytes`;
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: ${message}`, [{ file, message }]);
    }
    return parseOscalSource(file, await this.files.read(file), { oscalSchemaPath: this.options.oscalSchemaPath, maxBytes });
  }
}
