/**
 * Differences between two releases of a benchmark, keyed by STIG id: rules added, removed, and changed
 * (check content by its hash, title, severity, fix text, CCIs). A rule whose (STIG id, check-content hash)
 * is the same in both releases carries its reviews and attestations over, as STIG Manager does.
 * Each side is a stored benchmark (document id, or XCCDF id for the latest release) or uploaded content,
 * parsed without storing.
 */
import type { BenchmarkDocument, BenchmarkRule } from '../domain/content.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { BenchmarkDiff, ChangedRule, DiffRule, DiffSide, RuleChangeKind } from '../domain/library.js';
import type { BenchmarkDiffService, LibraryService, UploadService } from '../domain/services.js';
import type { Principal } from '../domain/auth.js';
import type { ContentInput } from '../domain/content-input.js';
import { fingerprint } from '../formats/fingerprint.js';
import { DEFAULT_MAX_XML_BYTES } from '../formats/safe-xml.js';
import { parseDataStreamBenchmarks } from '../formats/scap/benchmarks.js';
import { parseBenchmark } from '../formats/xccdf/parse.js';

/** One side of a diff with its rules. */
export interface DiffInput {
  side: Omit<DiffSide, 'ruleCount'>;
  rules: readonly BenchmarkRule[];
}

const diffRule = (r: BenchmarkRule): DiffRule => ({
  stigId: r.stigId, ruleId: r.ruleId, groupId: r.groupId, title: r.title, severity: r.severity, checkContentHash: r.checkContentHash,
});

const sameList = (a: readonly string[], b: readonly string[]): boolean => {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

function byStigId(rules: readonly BenchmarkRule[], where: string): Map<string, BenchmarkRule> {
  const out = new Map<string, BenchmarkRule>();
  for (const r of rules) {
    if (out.has(r.stigId)) {
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${where}: STIG id ${r.stigId} is used by two rules (${out.get(r.stigId)!.ruleId} and ${r.ruleId}); rules cannot be matched by STIG id`);
    }
    out.set(r.stigId, r);
  }
  return out;
}

/** The diff of two rule sets; lists are in STIG id order. Pure. */
export function diffBenchmarks(oldInput: DiffInput, newInput: DiffInput): BenchmarkDiff {
  const before = byStigId(oldInput.rules, oldInput.side.ref);
  const after = byStigId(newInput.rules, newInput.side.ref);
  const order = (a: { stigId: string }, b: { stigId: string }): number => (a.stigId < b.stigId ? -1 : a.stigId > b.stigId ? 1 : 0);
  const added = [...after.values()].filter((r) => !before.has(r.stigId)).map(diffRule).sort(order);
  const removed = [...before.values()].filter((r) => !after.has(r.stigId)).map(diffRule).sort(order);
  const changed: ChangedRule[] = [];
  let unchangedCount = 0;
  let carriedOverCount = 0;
  for (const [stigId, o] of before) {
    const n = after.get(stigId);
    if (!n) continue;
    const changes: RuleChangeKind[] = [];
    if (o.checkContentHash !== n.checkContentHash) changes.push('check-content');
    if (o.title !== n.title) changes.push('title');
    if (o.severity !== n.severity) changes.push('severity');
    if (o.fixText.replace(/\s+/g, ' ').trim() !== n.fixText.replace(/\s+/g, ' ').trim()) changes.push('fix-text');
    if (!sameList(o.ccis, n.ccis)) changes.push('ccis');
    const carriesOver = o.checkContentHash === n.checkContentHash;
    if (carriesOver) carriedOverCount += 1;
    if (changes.length === 0) unchangedCount += 1;
    else changed.push({ stigId, old: diffRule(o), new: diffRule(n), changes, carriesOver });
  }
  changed.sort(order);
  return {
    old: { ...oldInput.side, ruleCount: oldInput.rules.length },
    new: { ...newInput.side, ruleCount: newInput.rules.length },
    added,
    removed,
    changed,
    unchangedCount,
    carriedOverCount,
  };
}

export interface BenchmarkDiffDeps {
  library: Pick<LibraryService, 'findBenchmark' | 'listRules'>;
  uploads: Pick<UploadService, 'resolve'>;
  maxBytes?: number;
}

export class DefaultBenchmarkDiffService implements BenchmarkDiffService {
  constructor(private readonly deps: BenchmarkDiffDeps) {}

  async diff(oldSide: string | ContentInput, newSide: string | ContentInput, actor: Principal): Promise<BenchmarkDiff> {
    const [o, n] = await Promise.all([this.load(oldSide, actor), this.load(newSide, actor)]);
    return diffBenchmarks(o, n);
  }

  /** A stored benchmark (document id or XCCDF id), or benchmark content parsed without storing. */
  private async load(side: string | ContentInput, actor: Principal): Promise<DiffInput> {
    if (typeof side !== 'string') {
      const [file] = await this.deps.uploads.resolve([side], actor);
      const maxBytes = this.deps.maxBytes ?? DEFAULT_MAX_XML_BYTES;
      if (file!.bytes.length > maxBytes) {
        throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file!.name}: the file is ${file!.bytes.length} bytes, larger than the limit of ${maxBytes} bytes`, [{ file: file!.name, message: 'file too large' }]);
      }
      return this.fileInput(file!.name, file!.bytes, maxBytes);
    }
    const ref = side.trim();
    if (ref === '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'a benchmark reference is empty');
    const stored = await this.deps.library.findBenchmark(ref);
    if (!stored) throw new PlimsollError(ErrorCode.NOT_FOUND, `"${ref}" is not a stored benchmark (document id or XCCDF benchmark id); upload the benchmark to compare a file`);
    const rules = (await this.deps.library.listRules(stored.documentId)).items;
    return {
      side: {
        ref: stored.documentId, benchmarkId: stored.id, title: stored.title, version: stored.version,
        ...(stored.release !== undefined ? { release: stored.release } : {}), ...(stored.releaseDate !== undefined ? { releaseDate: stored.releaseDate } : {}),
      },
      rules,
    };
  }

  private fileInput(file: string, bytes: Buffer, maxBytes: number): DiffInput {
    const doc = this.parse(file, bytes, maxBytes);
    return { side: sideOf(file, doc), rules: doc.rules };
  }

  private parse(file: string, bytes: Buffer, maxBytes: number): BenchmarkDocument {
    const fp = fingerprint(file, bytes, { maxBytes });
    if (fp.kind === 'benchmark') return parseBenchmark(fp.root, file, fp.xccdfVersion);
    if (fp.kind === 'data-stream') {
      const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file);
      if (docs.length === 1) return docs[0]!.doc;
      const message = `a data stream with ${docs.length} benchmarks; import it and name one stored benchmark`;
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${file}: ${message}`, [{ file, message }]);
    }
    const message = `a ${fp.kind} document, not an XCCDF benchmark`;
    throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
  }
}

function sideOf(file: string, doc: BenchmarkDocument): Omit<DiffSide, 'ruleCount'> {
  return {
    ref: file, benchmarkId: doc.benchmarkId, title: doc.title, version: doc.version,
    ...(doc.release !== undefined ? { release: doc.release } : {}), ...(doc.releaseDate !== undefined ? { releaseDate: doc.releaseDate } : {}),
  };
}
