/**
 * The file side of the benchmarks that ship with Plimsoll: catalogs/builtin-benchmarks.json (the list, with a
 * sha256 pin per file) and the XCCDF files beside it. A file whose bytes no longer match its pin is refused
 * (CONTENT_HASH_MISMATCH naming the file), so what a run imports is exactly what was reviewed and released.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContentFile } from '../domain/content-input.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';

/** One entry of catalogs/builtin-benchmarks.json. */
export interface BuiltinBenchmark {
  /** The short name people use (`plimsoll_container_platform`). */
  name: string;
  /** The XCCDF benchmark id inside the file. */
  benchmarkId: string;
  title: string;
  /** A bare file name in the catalogs directory. */
  file: string;
  /** Lower-case hex sha256 of the file. */
  sha256: string;
}

const LIST_FILE = 'builtin-benchmarks.json';
const SHA256_RE = /^[0-9a-f]{64}$/;

/** Validates the parsed list; CONTENT_INVALID listing every bad field by JSON pointer. Exported for tests. */
export function parseBuiltinBenchmarks(doc: unknown, file: string): BuiltinBenchmark[] {
  const list = (doc as { benchmarks?: unknown } | null)?.benchmarks;
  if (!Array.isArray(list)) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file} must be an object with a "benchmarks" array`, [{ file, pointer: '/benchmarks', message: 'missing or not an array' }]);
  const problems: Problem[] = [];
  const out: BuiltinBenchmark[] = [];
  list.forEach((raw: unknown, i) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const fields = ['name', 'benchmarkId', 'title', 'file', 'sha256'] as const;
    const bad = fields.filter((f) => typeof entry[f] !== 'string' || (entry[f] as string).trim() === '');
    for (const f of bad) problems.push({ file, pointer: `/benchmarks/${i}/${f}`, message: 'must be a non-empty string' });
    if (bad.length > 0) return;
    const b = Object.fromEntries(fields.map((f) => [f, entry[f] as string])) as unknown as BuiltinBenchmark;
    if (b.file.includes('/') || b.file.includes('\\')) problems.push({ file, pointer: `/benchmarks/${i}/file`, message: 'must be a bare file name' });
    if (!SHA256_RE.test(b.sha256)) problems.push({ file, pointer: `/benchmarks/${i}/sha256`, message: 'must be 64 lower-case hex digits' });
    out.push(b);
  });
  if (problems.length > 0) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file} is not a valid built-in benchmark list`, problems);
  return out;
}

/** Reads the built-in benchmark list and files from one directory (the project's catalogs/). */
export class BuiltinBenchmarkFiles {
  private listed: Promise<BuiltinBenchmark[]> | undefined;

  constructor(readonly dir: string) {}

  /** The built-in benchmarks, read once. */
  list(): Promise<BuiltinBenchmark[]> {
    this.listed ??= this.readList().catch((e: unknown) => {
      this.listed = undefined;
      throw e;
    });
    return this.listed;
  }

  /**
   * The file's bytes, named `catalogs/FILE` (what the library records as its source: the same on every
   * installation); CONTENT_HASH_MISMATCH naming the full path when they differ from the pin.
   */
  async read(benchmark: BuiltinBenchmark): Promise<ContentFile> {
    const file = path.join(this.dir, benchmark.file);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${file}: cannot read the built-in benchmark ${benchmark.name}: ${reason}`, [{ file, message: `unreadable: ${reason}` }], { cause: e });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== benchmark.sha256) {
      const message = `has sha256 ${sha256}, but ${LIST_FILE} pins ${benchmark.sha256}`;
      throw new PlimsollError(ErrorCode.CONTENT_HASH_MISMATCH, `${file}: the built-in benchmark ${benchmark.name} ${message}`, [{ file, message }]);
    }
    return { name: path.join(path.basename(this.dir), benchmark.file), bytes };
  }

  private async readList(): Promise<BuiltinBenchmark[]> {
    const file = path.join(this.dir, LIST_FILE);
    let doc: unknown;
    try {
      doc = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: cannot read the built-in benchmark list: ${(e as Error).message}`, [{ file, message: 'unreadable or not JSON' }], { cause: e });
    }
    return parseBuiltinBenchmarks(doc, file);
  }
}
