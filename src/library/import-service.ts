/**
 * Imports content files into the library. Every file is read, fingerprinted, parsed and validated
 * before anything is written; then all are stored in one transaction. One bad file stores nothing.
 * A file whose sha256 is already stored is reported as `alreadyPresent` and not stored again.
 * An OSCAL profile (JSON, XML or YAML) is resolved before the transaction, once every file is parsed
 * (its imports may be catalogs of the same batch), and stored as a baseline in the same transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Principal } from '../domain/auth.js';
import type { BenchmarkDocument, CatalogDocument, CciListDocument, DocumentKind, ImportSummary } from '../domain/content.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import type { ProfileDocument } from '../domain/profile.js';
import type { ImportOptions, ImportService, StoredDocument, UploadService } from '../domain/services.js';
import type { ContentFile, ContentInput } from '../domain/content-input.js';
import { CCI_LIST_TITLE, parseCciList } from '../formats/cci/parse.js';
import { type Fingerprint, fingerprint } from '../formats/fingerprint.js';
import { catalogCounts } from '../formats/oscal/catalog-walk.js';
import { DEFAULT_MAX_XML_BYTES } from '../formats/safe-xml.js';
import { parseDataStreamBenchmarks } from '../formats/scap/benchmarks.js';
import { benchmarkCounts, parseBenchmark } from '../formats/xccdf/parse.js';
import type { ContentRepository, DocumentMeta } from '../repositories/content-repository.js';
import type { Db } from '../repositories/database/database.js';
import type { BaselineRepository } from '../repositories/baseline-repository.js';
import type { BatchCatalog, LibraryProfileResolver, PreparedBaseline } from './baseline-service.js';
import { GIVEN_BYTES_ONLY } from '../uploads/upload-service.js';

/**
 * The OSCAL side of imports (JSON, XML and YAML readers, schema validation, profile resolution, baselines),
 * loaded on the first OSCAL document: importing a STIG, a SCAP data stream or the CCI list never loads it,
 * nor ajv and the YAML parsers behind it, which keeps a `plimsoll import` of XCCDF content short.
 */
async function loadOscal() {
  const [catalogJson, catalogXml, profileJson, profileXml, sourceLoader, baselineService, baselineRepository] = await Promise.all([
    import('../formats/oscal/catalog-json.js'),
    import('../formats/oscal/catalog-xml.js'),
    import('../formats/oscal/profile-json.js'),
    import('../formats/oscal/profile-xml.js'),
    import('./profile-resolution/source-loader.js'),
    import('./baseline-service.js'),
    import('../repositories/baseline-repository.js'),
  ]);
  return {
    parseCatalogJson: catalogJson.parseCatalogJson,
    parseCatalogXml: catalogXml.parseCatalogXml,
    parseProfileJson: profileJson.parseProfileJson,
    parseProfileXml: profileXml.parseProfileXml,
    parseOscalSource: sourceLoader.parseOscalSource,
    LibraryProfileResolver: baselineService.LibraryProfileResolver,
    BaselineRepository: baselineRepository.BaselineRepository,
  };
}
let oscalModules: ReturnType<typeof loadOscal> | undefined;
const oscal = (): ReturnType<typeof loadOscal> => (oscalModules ??= loadOscal());

export interface ImportServiceOptions {
  /** The OSCAL complete JSON Schema that OSCAL JSON documents are validated against. */
  oscalSchemaPath: string;
  /** Largest accepted file, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Resolves upload ids to their content (default: uploads are refused, given bytes pass). */
  uploads?: Pick<UploadService, 'resolve'>;
  /** Clock for `importedAt` and resolution timestamps (default: now). */
  now?: () => Date;
  /** Storage of resolved profiles (default: over the same database). */
  baselines?: BaselineRepository;
  /** Resolves imported profiles (default: imports from files beside the profile, the batch, or the library). */
  profiles?: LibraryProfileResolver;
}

/** A file read and parsed, ready to store. */
type Parsed =
  | { kind: 'catalog'; doc: CatalogDocument; counts: Record<string, number> }
  | { kind: 'benchmark'; doc: BenchmarkDocument; counts: Record<string, number> }
  | { kind: 'cci-list'; doc: CciListDocument; counts: Record<string, number> }
  /** A profile; `baseline` is filled once every file of the batch is parsed (its imports may be among them). */
  | { kind: 'profile'; doc: ProfileDocument; counts: Record<string, number>; baseline?: PreparedBaseline };

/** A file ready to store: parsed, or already in the library under its hash (then never parsed). */
type Prepared = { file: string; sha256: string; parsed: Parsed } | { file: string; sha256: string; stored: StoredDocument };

/** The document kind of a prepared file, parsed or stored. */
const kindOf = (p: Prepared): DocumentKind => ('parsed' in p ? p.parsed.kind : p.stored.kind);

export class LibraryImportService implements ImportService {
  private readonly uploads: Pick<UploadService, 'resolve'>;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private baselineRepo: BaselineRepository | undefined;
  private profileResolver: LibraryProfileResolver | undefined;

  constructor(
    private readonly repo: ContentRepository,
    private readonly db: Db,
    private readonly options: ImportServiceOptions,
  ) {
    this.uploads = options.uploads ?? GIVEN_BYTES_ONLY;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    this.now = options.now ?? (() => new Date());
    this.baselineRepo = options.baselines;
    this.profileResolver = options.profiles;
  }

  /** Storage of resolved profiles: the given one, else one over the same database (built on first use). */
  private async baselines(): Promise<BaselineRepository> {
    return (this.baselineRepo ??= new (await oscal()).BaselineRepository(this.db));
  }

  /** The profile resolver: the given one, else imports from files beside the profile, the batch, or the library. */
  private async profiles(): Promise<LibraryProfileResolver> {
    if (this.profileResolver === undefined) {
      const baselines = await this.baselines();
      this.profileResolver = new (await oscal()).LibraryProfileResolver(
        { listDocuments: (kind) => this.repo.listDocuments(kind), loadCatalog: (documentId) => baselines.loadCatalog(documentId) },
        { oscalSchemaPath: this.options.oscalSchemaPath, maxBytes: this.maxBytes, ...(this.options.now ? { now: this.options.now } : {}) },
      );
    }
    return this.profileResolver;
  }

  async importDocuments(inputs: readonly ContentInput[], actor: Principal, options: ImportOptions = {}): Promise<ImportSummary[]> {
    if (inputs.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, 'no files to import');
    const prepared: Prepared[] = [];
    for (const content of await this.uploads.resolve(inputs, actor)) {
      const file = content.name;
      const docs = await named(file, async () => this.prepare(content));
      const other = docs.find((d) => options.kinds !== undefined && !options.kinds.includes(kindOf(d)));
      if (other) {
        const message = `a ${kindOf(other)} document; expected ${options.kinds!.join(' or ')}`;
        throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
      }
      prepared.push(...docs);
    }
    // Profiles are resolved once every file is parsed: they may import a catalog of the same batch.
    const batch: BatchCatalog[] = prepared.flatMap((p) => ('parsed' in p && p.parsed.kind === 'catalog' ? [{ file: p.file, catalog: p.parsed.doc }] : []));
    for (const p of prepared) {
      if (!('parsed' in p) || p.parsed.kind !== 'profile' || (await this.repo.findBySha256(p.sha256))) continue;
      const parsed = p.parsed;
      const profiles = await this.profiles();
      parsed.baseline = await named(p.file, () => profiles.prepare(parsed.doc, batch, options.related));
      parsed.counts = { ...catalogCounts(parsed.baseline.resolved), warnings: parsed.baseline.resolved.warnings.length };
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
        if (!('parsed' in p)) {
          // Found before parsing, gone since (deleted by another process): refused, never stored unparsed.
          const message = 'the stored document with this content was removed during the import; import the file again';
          throw new PlimsollError(ErrorCode.CONFLICT, `${p.file}: ${message}`, [{ file: p.file, message }]);
        }
        if (p.parsed.kind === 'benchmark') await this.refuseReleaseConflict(trx, p.file, p.parsed.doc);
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
      case 'profile':
        if (!parsed.baseline) throw new PlimsollError(ErrorCode.INTERNAL, `${meta.sourceFile}: the profile was not resolved before storing`);
        return (await this.baselines()).storeBaseline(trx, meta, parsed.baseline);
      default:
        throw new UnreachableCaseError(parsed);
    }
  }

  /**
   * A benchmark release is its id, version and release: a second document claiming the same release with other
   * content (another sha256) is refused, never silently made the latest. Checked inside the transaction, so it
   * also sees the documents stored earlier in the same batch.
   */
  private async refuseReleaseConflict(trx: Db, file: string, doc: BenchmarkDocument): Promise<void> {
    const same = (await this.repo.findBenchmarksByBenchmarkId(doc.benchmarkId, trx)).find((b) => b.version === doc.version && (b.release ?? null) === (doc.release ?? null));
    if (same === undefined) return;
    const release = `${doc.benchmarkId} version ${doc.version}${doc.release !== undefined ? ` release ${doc.release}` : ''}`;
    const message = `${release} is already stored with other content (document ${same.documentId}, sha256 ${same.sha256.slice(0, 12)}…, imported ${same.importedAt} by ${same.importedBy}); a changed benchmark needs a new version or release`;
    throw new PlimsollError(ErrorCode.CONFLICT, `${file}: ${message}`, [{ file, message }]);
  }

  /** Fingerprints, parses and validates one file (one document, or several from a data stream); throws a PlimsollError naming it. */
  private async prepare(content: ContentFile): Promise<Prepared[]> {
    const { name: file, bytes } = content;
    if (bytes.length > this.maxBytes) {
      const message = `the file is ${bytes.length} bytes, larger than the import limit of ${this.maxBytes} bytes`;
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: ${message}`, [{ file, message }]);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Content already in the library is answered from its stored record: a re-import parses nothing.
    const stored = await this.repo.findBySha256(sha256);
    if (stored !== undefined) return [{ file, sha256, stored }];
    if (YAML_EXTENSIONS.has(path.extname(file).toLowerCase())) {
      // OSCAL YAML (no fingerprint: YAML is neither JSON nor XML): catalogs and profiles.
      const source = (await oscal()).parseOscalSource(file, bytes, { oscalSchemaPath: this.options.oscalSchemaPath, maxBytes: this.maxBytes });
      const parsed: Parsed = source.kind === 'catalog' ? { kind: 'catalog', doc: source.catalog, counts: catalogCounts(source.catalog) } : { kind: 'profile', doc: source.profile, counts: {} };
      return [{ file, sha256, parsed }];
    }
    // A data stream's fix scripts are not built: the library stores none (two fifths of SSG's benchmarks). Its
    // Rules are mapped as they are read, so that the elements below them do not stay alive through the parse.
    const fp = fingerprint(file, bytes, { maxBytes: this.maxBytes, dataStream: { fixes: false, earlyRules: true } });
    if (fp.kind === 'data-stream') {
      // Each XCCDF Benchmark component of a SCAP source data stream is stored as a benchmark. Document hashes
      // are unique, so when a collection holds several, each is keyed by the file's hash and its component id.
      const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file, { fixes: false });
      return docs.map(({ componentId, doc }) => ({
        file,
        sha256: docs.length === 1 ? sha256 : createHash('sha256').update(`${sha256}#${componentId}`).digest('hex'),
        parsed: { kind: 'benchmark', doc, counts: benchmarkCounts(doc) },
      }));
    }
    return [{ file, sha256, parsed: await this.parse(file, fp) }];
  }

  private async parse(file: string, fp: Exclude<Fingerprint, { kind: 'data-stream' }>): Promise<Parsed> {
    switch (fp.kind) {
      case 'catalog': {
        const { parseCatalogJson, parseCatalogXml } = await oscal();
        const doc = fp.format === 'json' ? parseCatalogJson(fp.json, file, { oscalSchemaPath: this.options.oscalSchemaPath }) : parseCatalogXml(fp.root, file, { oscalSchemaPath: this.options.oscalSchemaPath });
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
        const { parseProfileJson, parseProfileXml } = await oscal();
        const doc = fp.format === 'json' ? parseProfileJson(fp.json, file, { oscalSchemaPath: this.options.oscalSchemaPath }) : parseProfileXml(fp.root, file, { oscalSchemaPath: this.options.oscalSchemaPath });
        return { kind: 'profile', doc, counts: {} };
      }
      default:
        throw new UnreachableCaseError(fp);
    }
  }
}

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Runs one file's step; an unexpected error becomes INTERNAL naming the file (PlimsollErrors pass as they are). */
async function named<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof PlimsollError) throw e;
    const message = `unexpected error while importing: ${e instanceof Error ? e.message : String(e)}`;
    throw new PlimsollError(ErrorCode.INTERNAL, `${file}: ${message}`, [{ file, message }], { cause: e });
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
    case 'profile':
      return { ...base, kind: 'profile', id: parsed.doc.uuid, title: parsed.doc.metadata.title, version: parsed.doc.metadata.version };
    default:
      throw new UnreachableCaseError(parsed);
  }
}
