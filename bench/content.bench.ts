/**
 * Benchmarks of content handling: importing the Docker STIG (read, sha256, fingerprint, parse and map, as the
 * import service does before storing) and resolving NIST's MODERATE profile against the 5.0.1 catalog.
 * Each is measured cold (the first run in a fresh Node process, JIT and caches cold, module loading excluded)
 * and warm (median of further runs in one process).
 *
 *   node dist/bench/content.bench.js [--child stig|moderate FILE]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseBenchmark } from '../src/formats/xccdf/parse.js';
import { resolvedControlIds, resolveProfileFile } from '../src/library/profile-resolution/builder.js';

export const ROOT = ((): string => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error('package.json not found above bench/');
})();

/** The shared reference content: PLIMSOLL_CONTENT_MIRROR's first entry, else ../shared/data. */
export function sharedData(...segments: string[]): string {
  const mirror = process.env.PLIMSOLL_CONTENT_MIRROR;
  const base = mirror !== undefined && mirror !== '' ? path.resolve(ROOT, mirror.split(path.delimiter)[0]!) : path.resolve(ROOT, '..', 'shared', 'data');
  return path.join(base, ...segments);
}

export const DOCKER_STIG = sharedData('stig', 'U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml');
export const MODERATE_PROFILE = sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
export const OSCAL_SCHEMA_112 = sharedData('oscal', 'schemas', 'oscal_complete_schema-1.1.2.json');

export interface ColdWarm {
  coldMs: number;
  warmMs: number;
  /** What was produced (rules of the STIG, controls of the resolved baseline), to show the work was done. */
  count: number;
}

/** One import of an XCCDF benchmark file; returns its wall time and rule count. */
export function importStigOnce(file: string): { ms: number; count: number } {
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  createHash('sha256').update(bytes).digest('hex');
  const fp = fingerprint(file, bytes);
  if (fp.kind !== 'benchmark') throw new Error(`${file} is a ${fp.kind}, not an XCCDF benchmark`);
  const doc = parseBenchmark(fp.root, file, fp.xccdfVersion);
  return { ms: performance.now() - t0, count: doc.rules.length };
}

/** One resolution of an OSCAL profile file against local files, validating JSON sources with the 1.1.2 schema. */
export async function resolveProfileOnce(file: string): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  const catalog = await resolveProfileFile(file, { oscalSchemaPath: OSCAL_SCHEMA_112 });
  return { ms: performance.now() - t0, count: resolvedControlIds(catalog).length };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The first run in a fresh process (this file with --child). */
function coldInChild(kind: 'stig' | 'moderate', file: string): { ms: number; count: number } {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as { ms: number; count: number };
}

/** Cold and warm import of the Docker STIG. */
export function benchStigImport(file = DOCKER_STIG, runs = 10): ColdWarm {
  const cold = coldInChild('stig', file);
  importStigOnce(file);
  const warm = Array.from({ length: runs }, () => importStigOnce(file));
  return { coldMs: round1(cold.ms), warmMs: round1(median(warm.map((w) => w.ms))), count: cold.count };
}

/** Cold and warm resolution of the MODERATE baseline profile (a fresh loader each run: files are re-read and re-parsed). */
export async function benchModerateResolution(file = MODERATE_PROFILE, runs = 5): Promise<ColdWarm> {
  const cold = coldInChild('moderate', file);
  await resolveProfileOnce(file);
  const warm: number[] = [];
  for (let i = 0; i < runs; i += 1) warm.push((await resolveProfileOnce(file)).ms);
  return { coldMs: round1(cold.ms), warmMs: round1(median(warm)), count: cold.count };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    const file = argv[2]!;
    const r = argv[1] === 'stig' ? importStigOnce(file) : await resolveProfileOnce(file);
    process.stdout.write(JSON.stringify(r));
    return;
  }
  console.log(JSON.stringify({ stigImport: benchStigImport(), moderateResolution: await benchModerateResolution() }, null, 2));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
