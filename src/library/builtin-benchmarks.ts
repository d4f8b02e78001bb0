/**
 * The benchmarks that ship with Plimsoll (catalogs/builtin-benchmarks.json). They are imported at server start
 * with the reference content, and a run that names one on a database that doesn't hold it yet imports it first:
 * through the import service, so in one transaction and idempotently (a file whose sha256 is stored is only
 * reported as present), whatever the database.
 */
import type { Principal } from '../domain/auth.js';
import { benchmarkIdMatches } from '../domain/benchmark-names.js';
import type { ImportSummary } from '../domain/content.js';
import type { ImportService, LibraryService, StoredBenchmark } from '../domain/services.js';
import type { BuiltinBenchmark, BuiltinBenchmarkFiles } from '../repositories/builtin-benchmark-files.js';

export interface BuiltinBenchmarkDeps {
  files: Pick<BuiltinBenchmarkFiles, 'list' | 'read'>;
  imports: Pick<ImportService, 'importDocuments'>;
  library: Pick<LibraryService, 'findBenchmark'>;
}

/** Finds, imports and resolves the built-in benchmarks. */
export class BuiltinBenchmarks {
  constructor(private readonly deps: BuiltinBenchmarkDeps) {}

  /** The built-in benchmark a reference names (its short name or its XCCDF id), if any. */
  async find(ref: string): Promise<BuiltinBenchmark | undefined> {
    const wanted = ref.trim();
    return (await this.deps.files.list()).find((b) => b.name === wanted || benchmarkIdMatches(b.benchmarkId, wanted));
  }

  /** Imports every built-in benchmark (already stored ones are reported as present). */
  async importAll(actor: Principal): Promise<ImportSummary[]> {
    const files = await Promise.all((await this.deps.files.list()).map((b) => this.deps.files.read(b)));
    return files.length > 0 ? this.deps.imports.importDocuments(files, actor) : [];
  }

  /**
   * The stored benchmark a reference names; when none is stored and the reference names a built-in benchmark,
   * that benchmark is imported first. Undefined when the reference names neither.
   */
  async resolve(ref: string, actor: Principal): Promise<StoredBenchmark | undefined> {
    const stored = await this.deps.library.findBenchmark(ref);
    if (stored !== undefined) return stored;
    const builtin = await this.find(ref);
    if (builtin === undefined) return undefined;
    try {
      await this.deps.imports.importDocuments([await this.deps.files.read(builtin)], actor);
    } catch (e) {
      // A run started at the same moment may have stored it first (the other transaction won): use that one.
      const now = await this.deps.library.findBenchmark(builtin.benchmarkId);
      if (now !== undefined) return now;
      throw e;
    }
    return this.deps.library.findBenchmark(builtin.benchmarkId);
  }
}
