/**
 * `plimsoll assess` as a user runs it: a whole CLI process (the package's bin) with a SQLite database holding
 * the CCI list, the Docker STIG V2R2 and the rev5 catalog, on a private dockerd (test/harness/docker-daemon.ts)
 * with 1,000 busybox containers created (not started) with assessment.bench.ts's mix of hardened and offending options. The
 * process collects, evaluates, builds and validates the OSCAL plan and results, stores everything and writes
 * both documents with `--out`. Peak RSS is the process's own maximum resident set (GNU time's %M), so it
 * counts what a user's CI runner sees, storage and the written files included.
 *
 *   node dist/bench/assess-process.bench.js [--containers 1000] [--runs 3]
 *   node dist/bench/assess-process.bench.js --serve [--containers 1000]     (fills a daemon, prints its endpoint, waits)
 *   node dist/bench/assess-process.bench.js --endpoint unix:///… [--runs 1]  (measures against that daemon)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { createContainers } from './assessment.bench.js';
import { packageBin } from '../test/harness/content.js';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../test/harness/docker-daemon.js';
import { DOCKER_STIG, sharedData } from './content.bench.js';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(here, '..', '..');
const BIN = packageBin(REPO_ROOT);
const GNU_TIME = '/usr/bin/time';

/** The target of issue #12 item 3: an assessment of a 1,000-container node under this peak RSS. */
export const PEAK_RSS_TARGET_MB = 200;

export interface AssessProcessMeasure {
  containers: number;
  runs: number;
  /** Median wall time of the whole process. */
  medianMs: number;
  /** Highest peak RSS of the runs. */
  peakRssMb: number;
  /** Peak RSS of one more run without the bounded worker (PLIMSOLL_ASSESS_HEAP_MB=0: Node's own heap sizing). */
  unboundedPeakRssMb: number;
  /** CPU time (user + sys) of the median-time run, and of the unbounded run. */
  cpuMs: number;
  unboundedCpuMs: number;
  /** Size of the written assessment-results.json. */
  resultsBytes: number;
  /** Load average (1 minute) when the measurement started: the machine is shared. */
  loadAverage: number;
}

/** Runs the CLI under GNU time; returns its wall time, CPU time and peak RSS (KiB). */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; cpuMs: number; maxRssKb: number; stdout: string }> {
  const t0 = performance.now();
  const { stdout, stderr } = await execFileAsync(GNU_TIME, ['-f', 'PLIMSOLL_MAXRSS=%M %U %S', process.execPath, BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const m = /PLIMSOLL_MAXRSS=(\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
  if (m === null) throw new Error(`GNU time printed no peak RSS: ${stderr.slice(-500)}`);
  return { ms, cpuMs: Math.round((Number(m[2]) + Number(m[3])) * 1000), maxRssKb: Number(m[1]), stdout };
}

/** A private daemon holding `containers` bench containers. */
async function filledDaemon(containers: number, log: (line: string) => void): Promise<PrivateDaemon> {
  const daemon = await startDockerDaemon();
  try {
    await importBusyboxImage(daemon);
    const t0 = performance.now();
    await createContainers(new Docker({ socketPath: daemon.socketPath }), 0, containers);
    log(`  ${containers} containers created in ${Math.round(performance.now() - t0)} ms`);
    return daemon;
  } catch (e) {
    await daemon.stop();
    throw e;
  }
}

/**
 * Imports the content, fills a private daemon (or uses the one at `endpoint`) and measures `plimsoll assess --out`
 * `runs` times.
 */
export async function benchAssessProcess(containers = 1000, runs = 3, log: (line: string) => void = () => undefined, endpoint?: string): Promise<AssessProcessMeasure> {
  if (!fs.existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing (apt-get install time)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-assess-bench-'));
  let daemon: PrivateDaemon | undefined;
  try {
    const env = {
      ...process.env,
      PLIMSOLL_DB: path.join(work, 'bench.db'),
      PLIMSOLL_CONTENT_CACHE: path.join(work, 'cache'),
      PLIMSOLL_PROJECT_ROOT: REPO_ROOT,
      PLIMSOLL_SECRET_KEY: randomBytes(32).toString('base64'),
      PLIMSOLL_LOG_LEVEL: 'warn',
    };
    await cli(['import', sharedData('stig', 'U_CCI_List.xml'), DOCKER_STIG, sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.xml')], env);
    if (endpoint === undefined) daemon = await filledDaemon(containers, log);
    const node = endpoint ?? daemon!.endpoint;
    const loadAverage = os.loadavg()[0]!;
    const measured: { ms: number; cpuMs: number }[] = [];
    let peak = 0;
    let resultsBytes = 0;
    const assess = (out: string, heapEnv: NodeJS.ProcessEnv) => cli(['assess', '--node', node, '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG', '--out', out], heapEnv);
    for (let r = 0; r < runs; r += 1) {
      const out = path.join(work, `out-${r}`);
      const m = await assess(out, env);
      measured.push(m);
      peak = Math.max(peak, m.maxRssKb);
      resultsBytes = fs.statSync(path.join(out, 'assessment-results.json')).size;
      log(`  run ${r + 1}: ${Math.round(m.ms)} ms, CPU ${m.cpuMs} ms, peak RSS ${Math.round(m.maxRssKb / 1024)} MB`);
    }
    const unbounded = await assess(path.join(work, 'out-unbounded'), { ...env, PLIMSOLL_ASSESS_HEAP_MB: '0' });
    log(`  without the bounded worker: ${Math.round(unbounded.ms)} ms, CPU ${unbounded.cpuMs} ms, peak RSS ${Math.round(unbounded.maxRssKb / 1024)} MB`);
    const median = [...measured].sort((a, b) => a.ms - b.ms)[Math.floor(measured.length / 2)]!;
    return {
      containers,
      runs,
      medianMs: Math.round(median.ms),
      cpuMs: median.cpuMs,
      peakRssMb: Math.round(peak / 1024),
      unboundedPeakRssMb: Math.round(unbounded.maxRssKb / 1024),
      unboundedCpuMs: unbounded.cpuMs,
      resultsBytes,
      loadAverage: Math.round(loadAverage * 100) / 100,
    };
  } finally {
    await daemon?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const argv = process.argv.slice(2);
  const containers = Number(flag(argv, '--containers') ?? 1000);
  if (argv.includes('--serve')) {
    void filledDaemon(containers, (l) => console.error(l)).then((daemon) => {
      console.log(daemon.endpoint);
      const stop = (): void => void daemon.stop().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } else benchAssessProcess(containers, Number(flag(argv, '--runs') ?? 3), (l) => console.error(l), flag(argv, '--endpoint'))
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
