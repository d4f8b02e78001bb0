/**
 * Scheduled assessments at fleet scale: 1,000 nodes (every one a symlink to the socket of one private dockerd
 * holding a few busybox containers, so endpoints differ but the daemon is shared) selected by one label
 * schedule, run by the scheduler of the wired application (src/main.ts) with PLIMSOLL_SCHEDULE_CONCURRENCY=20.
 * The clock is moved to the schedule's next firing; the wall time runs from the firing until every job has
 * ended, and must stay within one 5-minute period. The server is a fresh child process, so its peak RSS
 * (process.resourceUsage().maxRSS) is the scheduler's, the runs' and the database's, nothing else's.
 *
 *   node dist/bench/monitoring.bench.js [--nodes 1000] [--concurrency 20]
 *   node --cpu-prof --cpu-prof-dir=prof dist/bench/monitoring.bench.js   (the child gets the node flags: profiles the server)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Principal } from '../src/domain/auth.js';
import { openApp } from '../src/main.js';
import { systemClock, type Clock } from '../src/repositories/clock.js';
import { localContents } from '../test/harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon } from '../test/harness/docker-daemon.js';
import { DOCKER_STIG, sharedData } from './content.bench.js';

const execFileAsync = promisify(execFile);

export interface MonitoringMeasure {
  nodes: number;
  concurrency: number;
  /** From the firing until every job ended. */
  wallMs: number;
  succeeded: number;
  other: Record<string, number>;
  peakRssMb: number;
  /** Jobs running at once, at most (sampled). */
  peakRunning: number;
  /** CPU time of the server process (user + system), set-up included: on a shared machine, wall time is not all ours. */
  cpuMs: number;
  /** Why jobs failed (distinct `CODE: message`, at most 5), so a run with failures says what they were. */
  failures: string[];
}

/** A clock the child moves to the firing: the system clock plus an offset. */
function movableClock(): Clock & { set(to: Date): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), sleep: (ms, signal) => systemClock.sleep(ms, signal), set: (to) => void (offset = to.getTime() - Date.now()) };
}

/** The child: the server's part, measured in its own process. */
async function child(socketsDir: string, dbFile: string, nodes: number): Promise<void> {
  const clock = movableClock();
  const app = await openApp({ db: dbFile, clock });
  const system = app.gateway.servicesFor(await app.gateway.system());
  const secret = (await system.users.createToken('bench-assessor', 'assessor')).secret;
  const owner = app.gateway.servicesFor((await app.gateway.authenticate(secret)) as Principal);
  await owner.imports.importDocuments(localContents([sharedData('stig', 'U_CCI_List.xml'), DOCKER_STIG]));
  for (let i = 0; i < nodes; i++) await owner.nodes.register({ name: `node-${i}`, endpoint: `unix://${path.join(socketsDir, `${i}.sock`)}`, labels: { fleet: 'bench' } });
  const schedule = await owner.schedules.create({ name: 'fleet', cron: '0 0 1 1 *', labels: { fleet: 'bench' }, benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' });
  // Yearly: one firing while measuring, however long the runs take.
  app.monitor!.start();
  await new Promise((r) => setTimeout(r, 1500)); // the scheduler takes the lease
  const fireAt = new Date(schedule.nextRunAt!);
  clock.set(fireAt);
  const started = Date.now();
  let peakRunning = 0;
  let ended = 0;
  const counts: Record<string, number> = {};
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const running = (await owner.schedules.jobs({ schedule: 'fleet', status: 'running' }, { first: 1 })).totalCount;
    peakRunning = Math.max(peakRunning, running);
    ended = 0;
    for (const status of ['succeeded', 'failed', 'refused', 'timed-out', 'interrupted'] as const) {
      counts[status] = (await owner.schedules.jobs({ schedule: 'fleet', status }, { first: 1 })).totalCount;
      ended += counts[status];
    }
    if (ended >= nodes) break;
    if (Date.now() - started > 15 * 60_000) break;
  }
  const wallMs = Date.now() - started;
  const cpu = process.cpuUsage();
  const failed = (await owner.schedules.jobs({ schedule: 'fleet', status: 'failed' }, { first: 100 })).edges.map((e) => e.node.state);
  const failures = [...new Set(failed.map((s) => (s.status === 'failed' ? `${s.code}: ${s.message}` : s.status)))].slice(0, 5);
  await app.monitor!.stop();
  await app.close();
  const { succeeded = 0, ...other } = counts;
  const measure: Omit<MonitoringMeasure, 'concurrency'> = { nodes, wallMs, succeeded, other: Object.fromEntries(Object.entries(other).filter(([, n]) => n > 0)), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), peakRunning, cpuMs: Math.round((cpu.user + cpu.system) / 1000), failures };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

/** Starts the daemon, makes the sockets, runs the child, cleans up. */
export async function benchMonitoring(nodes = 1000, concurrency = 20, log: (line: string) => void = () => undefined): Promise<MonitoringMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-bench-monitoring-'));
  const daemon = await startDockerDaemon();
  try {
    await importBusyboxImage(daemon);
    for (const [i, flags] of [['--memory', '64m'], ['--privileged'], ['--read-only', '--pids-limit', '64']].entries()) {
      await daemon.docker(['create', '--name', `c${i}`, '--network', 'none', ...flags, BUSYBOX_IMAGE]);
    }
    const sockets = path.join(dir, 'sockets');
    fs.mkdirSync(sockets);
    for (let i = 0; i < nodes; i++) fs.symlinkSync(daemon.socketPath, path.join(sockets, `${i}.sock`));
    log(`  ${nodes} nodes on one daemon, concurrency ${concurrency}…`);
    const { stdout } = await execFileAsync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', sockets, path.join(dir, 'bench.db'), String(nodes)], {
      env: { ...process.env, PLIMSOLL_SCHEDULE_CONCURRENCY: String(concurrency), PLIMSOLL_LOG_LEVEL: 'warn', PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache') },
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = stdout.trim().split('\n').filter((l) => l.startsWith('{"nodes"')).pop();
    if (last === undefined) throw new Error(`the monitoring benchmark child printed no measure:\n${stdout.slice(-2000)}`);
    return { ...(JSON.parse(last) as Omit<MonitoringMeasure, 'concurrency'>), concurrency };
  } finally {
    await daemon.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain && argv[0] === '--child') {
  child(argv[1]!, argv[2]!, Number(argv[3])).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
} else if (isMain) {
  const arg = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  benchMonitoring(arg('--nodes', 1000), arg('--concurrency', 20), (l) => process.stderr.write(`${l}\n`))
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
