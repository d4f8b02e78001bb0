/**
 * Imports content files into the library. Every file is read, fingerprinted, parsed and validated
 * before anything is written; then all are stored in one transaction. One bad file stores nothing.
 * A file whose sha256 is already stored is reported as `alreadyPresent` and not stored again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import type { BenchmarkDocument, CatalogDocument, CciListDocument, ImportSummary } from '../domain/content.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import type { ImportService, StoredDocument } from '../domain/services.js';
import { CCI_LIST_TITLE, parseCciList } from '../formats/cci/parse.js';
import { type Fingerprint, fingerprint } from '../formats/fingerprint.js';
import { parseCatalogJson } from '../formats/oscal/catalog-json.js';
import { catalogCounts } from '../formats/oscal/catalog-walk.js';
import { parseCatalogXml } from '../formats/oscal/catalog-xml.js';
import { DEFAULT_MAX_XML_BYTES } from '../formats/safe-xml.js';
import { parseDataStreamBenchmarks } from '../formats/scap/benchmarks.js';
import { benchmarkCounts, parseBenchmark } from '../formats/xccdf/parse.js';
import { type ContentFileSource, type ContentRepository, type DocumentMeta, LocalContentFiles } from '../repositories/content-repository.js';
import type { Db } from '../repositories/database/database.js';

export interface ImportServiceOptions {
  /** The OSCAL complete JSON Schema that OSCAL JSON documents are validated against. */
  oscalSchemaPath: string;
  /** Largest accepted file, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Where files are read from (default: the local filesystem). */
  files?: ContentFileSource;
  /** Clock for `importedAt` (default: now). */
  now?: () => Date;
}

/** A file read and parsed, ready to store. */
type Parsed =
  | { kind: 'catalog'; doc: CatalogDocument; counts: Record<string, number> }
  | { kind: 'benchmark'; doc: BenchmarkDocument; counts: Record<string, number> }
  | { kind: 'cci-list'; doc: CciListDocument; counts: Record<string, number> };

interface Prepared {
  file: string;
  sha256: string;
  parsed: Parsed;
}

export class LibraryImportService implements ImportService {
  private readonly files: ContentFileSource;
  private readonly maxBytes: number;
  private readonly now: () => Date;

  constructor(
    private readonly repo: ContentRepository,
    private readonly db: Db,
    private readonly options: ImportServiceOptions,
  ) {
    this.files = options.files ?? new LocalContentFiles();
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    this.now = options.now ?? (() => new Date());
  }

  async importFiles(paths: string[], actor: Principal): Promise<ImportSummary[]> {
    if (paths.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, 'no files to import');
    const prepared: Prepared[] = [];
    for (const file of paths) {
      try {
        prepared.push(...(await this.prepare(file)));
      } catch (e) {
        if (e instanceof PlimsollError) throw e;
        const message = `unexpected error while importing: ${e instanceof Error ? e.message : String(e)}`;
        throw new PlimsollError(ErrorCode.INTERNAL, `${file}: ${message}`, [{ file, message }], { cause: e });
      }
    }
    const importedAt = this.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const summaries: ImportSummary[] = [];
      for (const p of prepared) {
        const existing = await this.repo.findBySha256(p.sha256, trx);
        if (existing) {
          summaries.push(summaryOfStored(existing, p.file));
          continue;
        }
        const meta: DocumentMeta = { documentId: randomUUID(), sourceFile: p.file, sha256: p.sha256, counts: p.parsed.counts, importedAt, importedBy: actor.name };
        await this.store(trx, meta, p.parsed);
        summaries.push(summaryOfNew(meta, p.parsed));
      }
      return summaries;
    });
  }

  private async store(trx: Db, meta: DocumentMeta, parsed: Parsed): Promise<void> {
    switch (parsed.kind) {
      case 'catalog':
        return this.repo.storeCatalog(trx, meta, parsed.doc);
      case 'benchmark':
        return this.repo.storeBenchmark(trx, meta, parsed.doc);
      case 'cci-list':
        return this.repo.storeCciList(trx, meta, parsed.doc);
      default:
        throw new UnreachableCaseError(parsed);
    }
  }

  /** Reads, fingerprints, parses and validates one file (one document, or several from a data stream); throws a PlimsollError naming it. */
  private async prepare(file: string): Promise<Prepared[]> {
    const size = await this.files.size(file);
    if (size > this.maxBytes) {
      const message = `the file is ${size} bytes, larger than the import limit of ${this.maxBytes} bytes`;
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: ${message}`, [{ file, message }]);
    }
    const bytes = await this.files.read(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const fp = fingerprint(file, bytes, { maxBytes: this.maxBytes });
    if (fp.kind === 'data-stream') {
      // Each XCCDF Benchmark component of a SCAP source data stream is stored as a benchmark. Document hashes
      // are unique, so when a collection holds several, each is keyed by the file's hash and its component id.
      const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file);
      return docs.map(({ componentId, doc }) => ({
        file,
        sha256: docs.length === 1 ? sha256 : createHash('sha256').update(`${sha256}#${componentId}`).digest('hex'),
        parsed: { kind: 'benchmark', doc, counts: benchmarkCounts(doc) },
      }));
    }
    return [{ file, sha256, parsed: this.parse(file, fp) }];
  }

  private parse(file: string, fp: Exclude<Fingerprint, { kind: 'data-stream' }>): Parsed {
    switch (fp.kind) {
      case 'catalog': {
        const doc = fp.format === 'json' ? parseCatalogJson(fp.json, file, { oscalSchemaPath: this.options.oscalSchemaPath }) : parseCatalogXml(fp.root, file);
        return { kind: 'catalog', doc, counts: catalogCounts(doc) };
      }
      case 'benchmark': {
        const doc = parseBenchmark(fp.root, file, fp.xccdfVersion);
        return { kind: 'benchmark', doc, counts: benchmarkCounts(doc) };
      }
      case 'cci-list': {
        const doc = parseCciList(fp.root, file);
        return { kind: 'cci-list', doc, counts: { items: doc.items.length } };
      }
      case 'profile': {
        const message = `an OSCAL profile (${fp.format.toUpperCase()}); profiles are not imported yet: import the catalog, or a resolved profile catalog`;
        throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
      }
      default:
        throw new UnreachableCaseError(fp);
    }
  }
}

function summaryOfStored(doc: StoredDocument, file: string): ImportSummary {
  return {
    documentId: doc.documentId,
    kind: doc.kind,
    id: doc.id,
    title: doc.title,
    version: doc.version,
    ...(doc.release !== undefined ? { release: doc.release } : {}),
    file,
    sha256: doc.sha256,
    counts: doc.counts,
    alreadyPresent: true,
  };
}

function summaryOfNew(meta: DocumentMeta, parsed: Parsed): ImportSummary {
  const base = { documentId: meta.documentId, file: meta.sourceFile, sha256: meta.sha256, counts: meta.counts, alreadyPresent: false };
  switch (parsed.kind) {
    case 'catalog':
      return { ...base, kind: 'catalog', id: parsed.doc.uuid, title: parsed.doc.title, version: parsed.doc.version };
    case 'benchmark':
      return {
        ...base, kind: 'benchmark', id: parsed.doc.benchmarkId, title: parsed.doc.title, version: parsed.doc.version,
        ...(parsed.doc.release !== undefined ? { release: parsed.doc.release } : {}),
      };
    case 'cci-list':
      return { ...base, kind: 'cci-list', id: 'cci-list', title: CCI_LIST_TITLE, version: parsed.doc.version };
    default:
      throw new UnreachableCaseError(parsed);
  }
}
