/**
 * Benchmark of importing a SCAP source data stream (default: SSG's RHEL 8 data stream, 24 MB), against
 * `oscap info --profiles` on the same file (OpenSCAP parsing the same data stream, as a user would run it):
 * - `benchDataStreamImportCli`: whole processes of `plimsoll import FILE` (the package's own bin, into a
 *   database that is migrated but holds no content: read, parse, map, store, audit), medians of three, with peak RSS;
 * - `benchDataStreamImportInChild`: the parse and mapping alone (read, fingerprint, map to benchmark documents, as
 *   the import does them: without fix scripts)
 *   in a fresh child process, so that its peak RSS (process.resourceUsage().maxRSS) is the import's own.
 * Peak RSS of whole processes comes from GNU time (`/usr/bin/time -f %M`, Debian's package `time`).
 *
 *   node dist/bench/xccdf-import.bench.js [file]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseDataStreamBenchmarks } from '../src/formats/scap/benchmarks.js';
import { openDatabase } from '../src/repositories/database/database.js';
import { packageBin } from '../test/harness/content.js';
import { ROOT } from './content.bench.js';
import { type ProcessRun, runProcess } from './process-run.js';

export const DEFAULT_DATA_STREAM = '/usr/share/xml/scap/ssg/content/ssg-rhel8-ds.xml';

export interface DataStreamImportMeasure {
  /** Wall time of read + hash + fingerprint + parse, in milliseconds. */
  ms: number;
  /** Peak resident set size of the process, in MiB. */
  peakRssMb: number;
  rules: number;
  profiles: number;
}

/** Imports (reads, hashes, parses, maps) one data stream in this process and measures it. */
export function benchDataStreamImport(file: string): DataStreamImportMeasure {
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  createHash('sha256').update(bytes).digest('hex');
  // As the import parses it: without the fix scripts, which the library does not store, and its Rules mapped as read.
  const fp = fingerprint(file, bytes, { dataStream: { fixes: false, earlyRules: true } });
  if (fp.kind !== 'data-stream') throw new Error(`${file} is a ${fp.kind}, not a source data stream`);
  const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file, { fixes: false });
  const ms = performance.now() - t0;
  return {
    ms: Math.round(ms),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rules: docs.reduce((n, d) => n + d.doc.rules.length, 0),
    profiles: docs.reduce((n, d) => n + d.doc.profiles.length, 0),
  };
}

/** Runs `benchDataStreamImport` in a fresh Node process (so maxRSS is its own) and returns its measure. */
export function benchDataStreamImportInChild(file: string): DataStreamImportMeasure {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [self, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as DataStreamImportMeasure;
}

/** Whether OpenSCAP's `oscap` (Debian: openscap-scanner), the reference of this benchmark, runs here. */
export function oscapAvailable(): boolean {
  return spawnSync('oscap', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Wall time and peak RSS of `oscap info --profiles FILE` (one process). */
export function benchOscapInfo(file: string): { ms: number; peakRssMb?: number; cpuMs?: number; profiles: number } {
  const r = runProcess('oscap', ['info', '--profiles', file]);
  if (r.status !== 0) throw new Error(`oscap info failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  const profiles = r.stdout.split('\n').filter((l) => l.includes(':')).length;
  return { ms: r.ms, ...(r.peakRssMb !== undefined ? { peakRssMb: r.peakRssMb } : {}), ...(r.cpuMs !== undefined ? { cpuMs: r.cpuMs } : {}), profiles };
}

/** Medians (time) and maxima (peak RSS) of whole-process runs of `plimsoll import` and `oscap info --profiles`. */
export interface DataStreamCliComparison {
  runs: number;
  plimsoll: { medianMs: number; medianCpuMs?: number; peakRssMb?: number; rules: number; profiles: number };
  /** `plimsoll import` of the same file into the database that holds it (answered from the stored hash). */
  reimport: { medianMs: number; medianCpuMs?: number; peakRssMb?: number };
  oscap: { medianMs: number; medianCpuMs?: number; peakRssMb?: number; profiles: number };
  /** plimsoll's median over oscap's median (the goal is at most 1.0). */
  ratio: number;
  /**
   * The floor of any Node process here: median `node -e 0`, and, when NODE_EXTRA_CA_CERTS is set (Node 20 parses
   * that file and its own root certificates at every start, before any of Plimsoll's code), the same without it.
   * oscap pays neither. Context for the ratio, which is measured with the environment as it is.
   */
  nodeFloor: { medianMs: number; withoutExtraCaCertsMs?: number };
  /** The 1-minute load average when the runs ended (timings on a shared machine are inflated by load). */
  loadAverage: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The median CPU time of runs, when every run has one (GNU time installed). */
const medianCpu = (xs: readonly { cpuMs?: number }[]): { medianCpuMs?: number } => (xs.every((x) => x.cpuMs !== undefined) ? { medianCpuMs: median(xs.map((x) => x.cpuMs!)) } : {});
const maxOf = (xs: readonly (number | undefined)[]): number | undefined => (xs.every((x) => x !== undefined) ? Math.max(...(xs as number[])) : undefined);

/**
 * Pairs of whole-process runs the comparison with oscap takes the medians of: on a shared virtual machine one
 * slow run in three decided the median, and the ratio moved by ±0.1 between runs of the same build.
 */
export const DATA_STREAM_PAIRS = 5;

/**
 * Runs `plimsoll import --json FILE` (dist/cli/plimsoll.js, the package's bin) `runs` times, each a fresh process
 * on a fresh copy of a migrated, empty database, alternating with `oscap info --profiles FILE`.
 */
export async function benchDataStreamImportCli(file: string, runs = DATA_STREAM_PAIRS): Promise<DataStreamCliComparison> {
  const bin = packageBin(ROOT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-ds-bench-'));
  try {
    // A migrated database, copied for each run: the import is measured, not the first start's migrations.
    const template = path.join(dir, 'template.db');
    await (await openDatabase(template)).destroy();
    const ours: ProcessRun[] = [];
    const again: ProcessRun[] = [];
    const oscap: ReturnType<typeof benchOscapInfo>[] = [];
    const floor: number[] = [];
    const bareFloor: number[] = [];
    const { NODE_EXTRA_CA_CERTS: extraCa, ...withoutExtraCa } = process.env;
    let summary: { counts?: { rules?: number; profiles?: number } } | undefined;
    for (let i = 0; i < runs; i += 1) {
      const db = path.join(dir, `run-${i}.db`);
      fs.copyFileSync(template, db);
      const env = { ...process.env, PLIMSOLL_DB: db, PLIMSOLL_OFFLINE: '1' };
      const r = runProcess(process.execPath, [bin, 'import', '--json', file], env);
      if (r.status !== 0) throw new Error(`plimsoll import failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
      summary = (JSON.parse(r.stdout) as NonNullable<typeof summary>[])[0];
      ours.push(r);
      const re = runProcess(process.execPath, [bin, 'import', '--json', file], env);
      if (re.status !== 0 || !(JSON.parse(re.stdout) as { alreadyPresent?: boolean }[]).every((s) => s.alreadyPresent === true)) throw new Error(`plimsoll re-import did not answer alreadyPresent (exit ${re.status}): ${re.stderr.slice(0, 500)}`);
      again.push(re);
      oscap.push(benchOscapInfo(file));
      floor.push(runProcess(process.execPath, ['-e', '0']).ms);
      if (extraCa !== undefined) bareFloor.push(runProcess(process.execPath, ['-e', '0'], withoutExtraCa).ms);
    }
    const ourMs = median(ours.map((r) => r.ms));
    const oscapMs = median(oscap.map((r) => r.ms));
    const ourRss = maxOf(ours.map((r) => r.peakRssMb));
    const oscapRss = maxOf(oscap.map((r) => r.peakRssMb));
    return {
      runs,
      plimsoll: { medianMs: ourMs, ...medianCpu(ours), ...(ourRss !== undefined ? { peakRssMb: ourRss } : {}), rules: summary?.counts?.rules ?? 0, profiles: summary?.counts?.profiles ?? 0 },
      reimport: { medianMs: median(again.map((r) => r.ms)), ...medianCpu(again), ...(maxOf(again.map((r) => r.peakRssMb)) !== undefined ? { peakRssMb: maxOf(again.map((r) => r.peakRssMb))! } : {}) },
      oscap: { medianMs: oscapMs, ...medianCpu(oscap), ...(oscapRss !== undefined ? { peakRssMb: oscapRss } : {}), profiles: oscap[0]!.profiles },
      ratio: Math.round((ourMs / oscapMs) * 100) / 100,
      nodeFloor: { medianMs: median(floor), ...(bareFloor.length > 0 ? { withoutExtraCaCertsMs: median(bareFloor) } : {}) },
      loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(benchDataStreamImport(argv[1] ?? DEFAULT_DATA_STREAM)));
    return;
  }
  const file = argv[0] ?? DEFAULT_DATA_STREAM;
  const runs = Number(process.env.BENCH_RUNS ?? DATA_STREAM_PAIRS);
  const ours = Array.from({ length: runs }, () => benchDataStreamImportInChild(file));
  const result = {
    file,
    parseAndMap: { medianMs: median(ours.map((o) => o.ms)), maxPeakRssMb: Math.max(...ours.map((o) => o.peakRssMb)), rules: ours[0]!.rules, profiles: ours[0]!.profiles },
    wholeProcess: await benchDataStreamImportCli(file, runs),
  };
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
