/**
 * Drift of two assessments, each with 10,000 per-target results (1,000 containers × 10 container rules), stored
 * in a temp SQLite file through the assessment repository as a run stores them, then compared through the wired
 * application's drift service (the gateway, the repositories, the engine, the evidence diff of the stored
 * facts, the run context). Between the runs 10 containers join the host's PID namespace, 10 lose their memory
 * limit, 5 are removed and 5 added: the comparison must report exactly those, or the benchmark fails.
 *
 *   node dist/bench/drift.bench.js [--containers 1000] [--runs 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerKey } from '../src/assessment/target-keys.js';
import type { AssessmentSummary } from '../src/domain/assessment.js';
import { canonicalSha256 } from '../src/domain/canonical-json.js';
import type { ApiObject, NodeFacts } from '../src/domain/facts.js';
import { openApp } from '../src/main.js';
import { KyselyAssessmentRepository } from '../src/repositories/assessment-repository.js';
import type { NewTargetResult } from '../src/repositories/assessment/target-result-rows.js';
import { openDatabase } from '../src/repositories/database/database.js';
import { DOCKER_STIG } from './content.bench.js';

export interface DriftMeasure {
  targetResults: number;
  /** Median wall-clock time of `runs` comparisons (the first, warming up, left out). */
  medianMs: number;
  /** Median CPU time of the process over the same comparisons: what the comparison costs on a machine shared with other work. */
  medianCpuMs: number;
  runs: number;
  regressions: number;
  evidenceChanges: number;
  appeared: number;
  disappeared: number;
}

/** Ten container rules: the field each reads, what passes, and its severity. */
const RULES: readonly { stigId: string; field: string; passes: (hc: ApiObject) => boolean; severity: 'high' | 'medium' | 'low' }[] = [
  { stigId: 'DKER-EE-002000', field: 'HostConfig.PidMode', passes: (hc) => hc.PidMode !== 'host', severity: 'medium' },
  { stigId: 'DKER-EE-001940', field: 'HostConfig.Memory', passes: (hc) => typeof hc.Memory === 'number' && hc.Memory > 0, severity: 'low' },
  { stigId: 'DKER-EE-001960', field: 'HostConfig.Privileged', passes: (hc) => hc.Privileged === false, severity: 'high' },
  { stigId: 'DKER-EE-001990', field: 'HostConfig.NetworkMode', passes: (hc) => hc.NetworkMode !== 'host', severity: 'medium' },
  { stigId: 'DKER-EE-002010', field: 'HostConfig.IpcMode', passes: (hc) => hc.IpcMode !== 'host', severity: 'medium' },
  { stigId: 'DKER-EE-002030', field: 'HostConfig.UTSMode', passes: (hc) => hc.UTSMode !== 'host', severity: 'medium' },
  { stigId: 'DKER-EE-002060', field: 'HostConfig.PidsLimit', passes: (hc) => typeof hc.PidsLimit === 'number' && hc.PidsLimit > 0, severity: 'low' },
  { stigId: 'DKER-EE-002080', field: 'HostConfig.CapAdd', passes: (hc) => hc.CapAdd === null, severity: 'medium' },
  { stigId: 'DKER-EE-002100', field: 'HostConfig.ReadonlyRootfs', passes: () => true, severity: 'medium' },
  { stigId: 'DKER-EE-002110', field: 'HostConfig.RestartPolicy', passes: () => true, severity: 'low' },
];

function container(i: number, changes: { pidHost?: boolean; noMemory?: boolean } = {}): { id: string; name: string; image: string; inspect: ApiObject } {
  const id = `${i.toString(16).padStart(8, '0')}${'a'.repeat(56)}`;
  const name = `app-${i}`;
  const inspect: ApiObject = {
    Id: id,
    Name: `/${name}`,
    Created: '2026-01-01T00:00:00Z',
    Image: 'sha256:busybox',
    State: { Status: 'running', Pid: 1000 + i },
    Config: { Hostname: id.slice(0, 12), Image: 'busybox:latest', Cmd: ['sleep', '3600'], Env: [`APP_INDEX=${'0'.repeat(64)}`, `PATH=${'1'.repeat(64)}`], Labels: { tier: i % 2 === 0 ? 'web' : 'db' } },
    HostConfig: {
      PidMode: changes.pidHost === true ? 'host' : '', Memory: changes.noMemory === true ? 0 : 67_108_864, Privileged: false, NetworkMode: 'none', IpcMode: 'private', UTSMode: '',
      PidsLimit: 64, CapAdd: null, CapDrop: ['ALL'], ReadonlyRootfs: false, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, SecurityOpt: null, Binds: null,
    },
    Mounts: [{ Type: 'volume', Name: `data-${i}`, Source: `/var/lib/docker/volumes/data-${i}/_data`, Destination: '/data', RW: true }],
  };
  return { id, name, image: 'busybox:latest', inspect };
}

interface RunShape {
  containers: ReturnType<typeof container>[];
}

function shape(count: number, second: boolean): RunShape {
  const containers: ReturnType<typeof container>[] = [];
  for (let i = 0; i < count; i += 1) {
    if (second && i >= count - 5) continue; // removed
    containers.push(container(i, second ? { pidHost: i < 10, noMemory: i >= 10 && i < 20 } : {}));
  }
  if (second) for (let i = count; i < count + 5; i += 1) containers.push(container(i)); // added
  return { containers };
}

async function storeRun(repo: KyselyAssessmentRepository, run: { id: string; documentId: string; startedAt: string }, nodeId: string, s: RunShape): Promise<number> {
  await repo.createRunning({ id: run.id, benchmarkDocumentId: run.documentId, nodes: [{ id: nodeId, name: 'bench', endpoint: 'unix:///bench.sock' }], startedAt: run.startedAt, startedBy: 'bench', runner: 'bench' });
  const facts: NodeFacts = {
    nodeId, nodeName: 'bench', endpoint: 'unix:///bench.sock', collectedAt: run.startedAt, version: { Version: '26.1.5' }, info: { Name: 'bench' },
    containers: s.containers.map((c) => ({ id: c.id, name: c.name, image: c.image, inspect: c.inspect })),
  };
  await repo.storeFacts({ id: `${run.id}-facts`, assessmentId: run.id, nodeId, collectedAt: run.startedAt, sha256: canonicalSha256(facts), facts });
  const targets: NewTargetResult[] = [];
  for (const c of s.containers) {
    const hc = c.inspect.HostConfig as ApiObject;
    for (const rule of RULES) {
      const pass = rule.passes(hc);
      const value = hc[rule.field.slice('HostConfig.'.length)] ?? null;
      targets.push({
        nodeId, ruleId: `SV-${rule.stigId}_rule`, stigId: rule.stigId, checkContentHash: 'h', severity: rule.severity,
        target: { kind: 'container', key: containerKey(c.name, c.inspect), id: c.id, name: c.name, image: c.image },
        status: pass ? 'pass' : 'fail', message: pass ? 'ok' : `${rule.field} is ${JSON.stringify(value)}`,
        observations: [{ target: { kind: 'container', id: c.id, name: c.name }, field: rule.field, value, expected: 'hardened', verdict: pass ? 'pass' : 'fail', message: '', collectedAt: run.startedAt }],
        collectedAt: run.startedAt,
      });
    }
  }
  const summary: AssessmentSummary = { counts: { pass: 0, fail: 0, error: 0, 'not-applicable': 0, 'not-checked': 0 } as AssessmentSummary['counts'], failedBySeverity: { high: 0, medium: 0, low: 0, unknown: 0 } };
  await repo.complete(run.id, { finishedAt: run.startedAt, summary, results: [], targets, resultsDocument: {}, planDocument: {} });
  return targets.length;
}

/** Stores the two runs, then compares them `runs + 1` times (the first warms up). */
export async function benchDrift(containers = 1000, runs = 5): Promise<DriftMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-drift-bench-'));
  const dbPath = path.join(dir, 'plimsoll.db');
  const app = await openApp({ db: dbPath, offline: true });
  try {
    const [doc] = await app.services.imports.importDocuments([{ name: path.basename(DOCKER_STIG), bytes: fs.readFileSync(DOCKER_STIG) }]);
    const db = await openDatabase(dbPath);
    let targetResults: number;
    try {
      const repo = new KyselyAssessmentRepository(db);
      await storeRun(repo, { id: 'bench-run-1', documentId: doc!.documentId, startedAt: '2026-01-01T00:00:00.000Z' }, 'bench-node', shape(containers, false));
      targetResults = await storeRun(repo, { id: 'bench-run-2', documentId: doc!.documentId, startedAt: '2026-01-02T00:00:00.000Z' }, 'bench-node', shape(containers, true));
    } finally {
      await db.destroy();
    }
    const times: number[] = [];
    const cpu: number[] = [];
    let last;
    for (let i = 0; i <= runs; i += 1) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      last = await app.services.drift.compare({ kind: 'assessment-id', id: 'bench-run-1' }, { kind: 'assessment-id', id: 'bench-run-2' });
      const used = process.cpuUsage(startCpu);
      if (i > 0) {
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
      }
    }
    const c = last!.counts;
    const expected = { regressions: 20, appeared: 5, disappeared: 5, evidenceChanges: 20 };
    const got = { regressions: c.regressions, appeared: c.appeared, disappeared: c.disappeared, evidenceChanges: c.evidenceChanges };
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`drift benchmark: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
    const median = (xs: number[]): number => Math.round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 10) / 10;
    return { targetResults, medianMs: median(times), medianCpuMs: median(cpu), runs, ...got };
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const arg = (name: string, fallback: number): number => {
    const at = process.argv.indexOf(name);
    return at === -1 ? fallback : Number(process.argv[at + 1]);
  };
  console.log(JSON.stringify(await benchDrift(arg('--containers', 1000), arg('--runs', 5)), null, 2));
}
