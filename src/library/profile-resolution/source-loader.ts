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
import { fingerprint } from '../../formats/fingerprint.js';
import { parseCatalogJson } from '../../formats/oscal/catalog-json.js';
import { parseCatalogXml } from '../../formats/oscal/catalog-xml.js';
import { parseBackMatterJson, parseProfileJson } from '../../formats/oscal/profile-json.js';
import { parseBackMatterXml, parseProfileXml } from '../../formats/oscal/profile-xml.js';
import { catalogFromYaml, parseOscalYaml, profileFromYaml, yamlRootKind } from '../../formats/oscal/yaml.js';
import { DEFAULT_MAX_XML_BYTES } from '../../formats/safe-xml.js';
import { decodeUtf8 } from '../../formats/text-decoding.js';
import { type ContentFileSource, LocalContentFiles } from '../../repositories/content-repository.js';

/** A document an import resolved to. `file` identifies it (cycle detection, base of its own relative hrefs). */
export type LoadedSource =
  | { kind: 'catalog'; file: string; catalog: CatalogDocument; backMatter: BackMatterResource[] }
  | { kind: 'profile'; file: string; profile: ProfileDocument };

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

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Parses one OSCAL catalog or profile file (JSON, XML or YAML) with its back matter. */
export function parseOscalSource(file: string, bytes: Buffer, opts: { oscalSchemaPath: string; maxBytes?: number }): LoadedSource {
  if (YAML_EXTENSIONS.has(path.extname(file).toLowerCase())) {
    const parsed = parseOscalYaml(decodeUtf8(bytes, file), file);
    const kind = yamlRootKind(parsed);
    if (kind === 'profile') return { kind: 'profile', file, profile: profileFromYaml(parsed, file, opts) };
    if (kind === 'catalog') {
      const catalog = catalogFromYaml(parsed, file, opts);
      return { kind: 'catalog', file, catalog, backMatter: parseBackMatterJson((parsed.value as Record<string, Record<string, unknown>>).catalog!, '/catalog') };
    }
    throw notCatalogOrProfile(file, kind === undefined ? 'a YAML document without an OSCAL root property' : `a YAML document with root property "${kind}"`);
  }
  const fp = fingerprint(file, bytes, { maxBytes: opts.maxBytes ?? DEFAULT_MAX_XML_BYTES });
  switch (fp.kind) {
    case 'catalog':
      return fp.format === 'json'
        ? { kind: 'catalog', file, catalog: parseCatalogJson(fp.json, file, opts), backMatter: parseBackMatterJson(fp.json.catalog as Record<string, unknown>, '/catalog') }
        : { kind: 'catalog', file, catalog: parseCatalogXml(fp.root, file), backMatter: parseBackMatterXml(fp.root, file) };
    case 'profile':
      return { kind: 'profile', file, profile: fp.format === 'json' ? parseProfileJson(fp.json, file, opts) : parseProfileXml(fp.root, file) };
    default:
      throw notCatalogOrProfile(file, `a ${fp.kind} document`);
  }
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
