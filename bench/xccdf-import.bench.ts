/**
 * Benchmark of importing a SCAP source data stream (default: SSG's RHEL 8 data stream, 24 MB): read,
 * fingerprint (selective parse: the XCCDF Benchmark only) and map to benchmark documents, as the import
 * service does before storing. Each measurement runs in a fresh child process so that its peak RSS
 * (process.resourceUsage().maxRSS) is the import's own. Compared with `oscap info --profiles` on the same file.
 *
 *   node dist/bench/xccdf-import.bench.js [file]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseDataStreamBenchmarks } from '../src/formats/scap/benchmarks.js';

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
  const fp = fingerprint(file, bytes);
  if (fp.kind !== 'data-stream') throw new Error(`${file} is a ${fp.kind}, not a source data stream`);
  const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file);
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

/** Wall time and peak RSS of `oscap info --profiles FILE` (GNU time's max RSS when /usr/bin/time exists). */
export function benchOscapInfo(file: string): { ms: number; peakRssMb?: number; profiles: number } {
  const t0 = performance.now();
  const r = spawnSync('oscap', ['info', '--profiles', file], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`oscap info failed: ${r.stderr}`);
  const profiles = r.stdout.split('\n').filter((l) => l.includes(':')).length;
  let peakRssMb: number | undefined;
  if (fs.existsSync('/usr/bin/time')) {
    const t = spawnSync('/usr/bin/time', ['-f', '%M', 'oscap', 'info', '--profiles', file], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const kb = Number(t.stderr.trim().split('\n').pop());
    if (Number.isFinite(kb)) peakRssMb = Math.round(kb / 1024);
  }
  return { ms: Math.round(ms), ...(peakRssMb !== undefined ? { peakRssMb } : {}), profiles };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(benchDataStreamImport(argv[1] ?? DEFAULT_DATA_STREAM)));
    return;
  }
  const file = argv[0] ?? DEFAULT_DATA_STREAM;
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const ours = Array.from({ length: runs }, () => benchDataStreamImportInChild(file));
  const oscap = Array.from({ length: runs }, () => benchOscapInfo(file));
  const result = {
    file,
    runs,
    plimsoll: { medianMs: median(ours.map((o) => o.ms)), maxPeakRssMb: Math.max(...ours.map((o) => o.peakRssMb)), rules: ours[0]!.rules, profiles: ours[0]!.profiles },
    oscapInfoProfiles: { medianMs: median(oscap.map((o) => o.ms)), peakRssMb: oscap[0]!.peakRssMb, profiles: oscap[0]!.profiles },
  };
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
