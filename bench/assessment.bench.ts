/**
 * End-to-end assessment benchmark against a private dockerd (test/harness/docker-daemon.ts: its own data
 * root, vfs storage, no iptables; stopped and removed at the end, also on failure). The daemon holds 100,
 * then 1,000 busybox containers, created (not started, which is what costs) with a mix of hardened and
 * offending options; 20 of them run. Each measurement is a fresh Node process (so its peak RSS,
 * process.resourceUsage().maxRSS, is the assessment's own) doing what an assessment run does in memory:
 *
 *   collect   EngineCollector: /version, /info, list all containers, inspect each (plus the parts listed in PARTS)
 *   hash      sha256 over the canonical JSON of the facts snapshot (what the run stores)
 *   evaluate  all 101 V2R2 rules with the full check catalog (checks, automation records, remediations)
 *   schema    compile NIST's OSCAL 1.1.2 JSON Schema (once per process)
 *   report    split the results per target, build the OSCAL assessment plan and results and validate both against that schema
 *
 * Storage in SQLite is not part of it. The CCI → SP 800-53 mappings of the rules are computed once by the
 * parent (as the library has them stored) and handed to each child.
 *
 *   node dist/bench/assessment.bench.js [--sizes 100,1000] [--runs 3]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { controlIdsOf, controlLookupFrom, evaluateNode } from '../src/assessment/evaluate.js';
import { targetIndexOf } from '../src/assessment/target-keys.js';
import { targetResultsOf } from '../src/assessment/target-results.js';
import { automationRecordFor } from '../src/checks/automation.js';
import { checkFor } from '../src/checks/registry.js';
import { remediationFor } from '../src/checks/remediation.js';
import type { PartCollector } from '../src/collectors/part-collector.js';
import { EngineCollector } from '../src/collectors/engine-collector.js';
import { summarize } from '../src/domain/assessment.js';
import { canonicalSha256 } from '../src/domain/canonical-json.js';
import { catalogViewOf, dedupeMappings, mapCci } from '../src/domain/cci-mapping.js';
import type { OscalControl, OscalGroup } from '../src/domain/content.js';
import type { DockerNode } from '../src/domain/node.js';
import type { ControlMapping } from '../src/domain/services.js';
import { parseCciList } from '../src/formats/cci/parse.js';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseCatalogXml } from '../src/formats/oscal/catalog-xml.js';
import { createOscalValidator } from '../src/formats/oscal/schema-validator.js';
import { parseBenchmark } from '../src/formats/xccdf/parse.js';
import { dockerClientFactory } from '../src/repositories/docker-client.js';
import { AssessmentResultsWriter } from '../src/reporting/oscal-ar-writer.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../test/harness/docker-daemon.js';
import { DOCKER_STIG, OSCAL_SCHEMA_112, sharedData } from './content.bench.js';
import { loadConfig } from '../src/config/config.js';
import { collectorParts } from '../src/wiring/collector-parts.js';

const execFileAsync = promisify(execFile);

/** The inventory parts collected beside the core inventory: the same list main.ts wires into assessments. */
const PARTS: readonly PartCollector[] = collectorParts(loadConfig());

export const STARTED_CONTAINERS = 20;

export interface AssessmentMeasure {
  containers: number;
  rules: number;
  failed: number;
  observations: number;
  /** Milliseconds per phase. */
  collectMs: number;
  hashMs: number;
  evaluateMs: number;
  schemaMs: number;
  reportMs: number;
  /** Everything above, end to end. */
  totalMs: number;
  reportBytes: number;
  peakRssMb: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Every control of a catalog's groups (enhancements stay nested: catalogViewOf visits them). */
function allControls(groups: readonly OscalGroup[], controls: readonly OscalControl[]): OscalControl[] {
  return [...controls, ...groups.flatMap((g) => allControls(g.groups ?? [], g.controls ?? []))];
}

/** The SP 800-53 rev5 mappings of the V2R2 rules' CCIs, as the library resolves them. */
function ruleMappings(): ControlMapping[] {
  const stig = loadStig();
  const cciFile = sharedData('stig', 'U_CCI_List.xml');
  const cciFp = fingerprint(cciFile, fs.readFileSync(cciFile));
  if (cciFp.kind !== 'cci-list') throw new Error(`${cciFile} is not a CCI list`);
  const ccis = new Map(parseCciList(cciFp.root, cciFile).items.map((i) => [i.id, i]));
  const catalogFile = sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.xml');
  const catFp = fingerprint(catalogFile, fs.readFileSync(catalogFile));
  if (catFp.kind !== 'catalog' || catFp.format !== 'xml') throw new Error(`${catalogFile} is not an OSCAL XML catalog`);
  const catalog = parseCatalogXml(catFp.root, catalogFile);
  const view = catalogViewOf(allControls(catalog.groups, catalog.controls), 'rev5');
  const used = [...new Set(stig.rules.flatMap((r) => r.ccis))];
  return dedupeMappings(used.flatMap((id) => (ccis.has(id) ? mapCci(ccis.get(id)!, [view]) : [])));
}

function loadStig(): ReturnType<typeof parseBenchmark> {
  const fp = fingerprint(DOCKER_STIG, fs.readFileSync(DOCKER_STIG));
  if (fp.kind !== 'benchmark') throw new Error(`${DOCKER_STIG} is not an XCCDF benchmark`);
  return parseBenchmark(fp.root, DOCKER_STIG, fp.xccdfVersion);
}

/** One end-to-end assessment of `endpoint` in this process (run it in a fresh one: see measureInChild). */
export async function measureOnce(endpoint: string, mappingsFile: string): Promise<AssessmentMeasure> {
  const stig = loadStig();
  const controls = controlLookupFrom(JSON.parse(fs.readFileSync(mappingsFile, 'utf8')) as ControlMapping[]);
  const node: DockerNode = { id: 'bench-node', name: 'bench', endpoint, labels: {}, createdAt: new Date().toISOString() };
  const collector = new EngineCollector(dockerClientFactory({ timeoutMs: 60_000 }), { parts: PARTS });
  const catalog = { checkFor, automationFor: automationRecordFor, remediationFor };

  const t0 = performance.now();
  const facts = await collector.collect(node);
  const t1 = performance.now();
  const sha256 = canonicalSha256(facts);
  const t2 = performance.now();
  const results = evaluateNode(stig.rules, facts, catalog, controls);
  const t3 = performance.now();
  createOscalValidator(OSCAL_SCHEMA_112).validate({}, 'warm-up');
  const t4 = performance.now();
  const finishedAt = new Date().toISOString();
  const summary = summarize(results);
  const index = targetIndexOf(facts);
  const targets = results.flatMap((r) => targetResultsOf(r, node, index));
  const doc = AssessmentResultsWriter.fromSchema(OSCAL_SCHEMA_112).render({
    assessment: {
      id: 'bench', status: 'completed', benchmarkDocumentId: 'bench-doc', benchmarkId: stig.benchmarkId, benchmarkTitle: stig.title, benchmarkVersion: stig.version,
      ...(stig.release !== undefined ? { benchmarkRelease: stig.release } : {}), nodeIds: [node.id], nodes: [], startedAt: facts.collectedAt, finishedAt, startedBy: 'bench', summary,
    },
    rules: stig.rules.map((r) => ({ ruleId: r.ruleId, stigId: r.stigId, title: r.title, severity: r.severity, checkContent: r.checkContent, automated: checkFor(r.stigId) !== undefined, controlIds: controlIdsOf(controls(r)) })),
    results,
    targets,
    benchmark: { documentId: 'bench-doc', benchmarkId: stig.benchmarkId, title: stig.title, version: stig.version, ...(stig.release !== undefined ? { release: stig.release } : {}) },
    nodes: [{ id: node.id, name: node.name, endpoint, collectedAt: facts.collectedAt, factsSha256: sha256 }],
    actor: { name: 'bench' },
    tool: { name: 'Plimsoll', version: 'bench' },
  });
  const t5 = performance.now();
  return {
    containers: facts.containers.length,
    rules: results.length,
    failed: summary.counts.fail,
    observations: results.reduce((n, r) => n + r.observations.length, 0),
    collectMs: round1(t1 - t0),
    hashMs: round1(t2 - t1),
    evaluateMs: round1(t3 - t2),
    schemaMs: round1(t4 - t3),
    reportMs: round1(t5 - t4),
    totalMs: round1(t5 - t0),
    reportBytes: JSON.stringify(doc.results).length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** measureOnce in a fresh Node process, so that its peak RSS is the assessment's own. */
export async function measureInChild(endpoint: string, mappingsFile: string): Promise<AssessmentMeasure> {
  const { stdout } = await execFileAsync(process.execPath, [fileURLToPath(import.meta.url), '--child', endpoint, mappingsFile], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as AssessmentMeasure;
}

/** `docker create` options of the i-th container: hardened, defaults, or hardened plus one offending option. */
export function containerSpec(i: number): Docker.ContainerCreateOptions {
  const hardened: Docker.HostConfig = { ReadonlyRootfs: true, Tmpfs: { '/tmp': '' }, Memory: 64 * 1024 * 1024, PidsLimit: 64, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], NetworkMode: 'none' };
  const variants: Docker.HostConfig[] = [
    hardened,
    { NetworkMode: 'none' },
    { ...hardened, Privileged: true },
    { ...hardened, NetworkMode: 'host' },
    { ...hardened, Binds: ['/etc:/host/etc:ro'] },
    { ...hardened, CapDrop: [], CapAdd: ['NET_ADMIN'] },
    { ...hardened, PidMode: 'host' },
    { ...hardened, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } },
    { NetworkMode: 'none', Memory: 32 * 1024 * 1024 },
    { ...hardened, SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'] },
  ];
  return { name: `bench-${String(i).padStart(4, '0')}`, Image: BUSYBOX_IMAGE, Labels: { 'plimsoll.bench': 'true', tier: i % 3 === 0 ? 'web' : 'db' }, HostConfig: variants[i % variants.length]! };
}

/** Creates containers `from`…`to - 1` with `concurrency` requests at a time. */
export async function createContainers(docker: Docker, from: number, to: number, concurrency = 8): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      await docker.createContainer(containerSpec(i));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Starts up to STARTED_CONTAINERS of the first `size` containers, of the variants that can run here (hardened, defaults, memory-only). */
export async function startSome(docker: Docker, size: number): Promise<void> {
  let started = 0;
  for (let i = 0; i < size && started < STARTED_CONTAINERS; i += 1) {
    if (![0, 1, 8].includes(i % 10)) continue;
    await docker.getContainer(containerSpec(i).name!).start();
    started += 1;
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median run (by total time) of `runs` fresh processes, with the highest peak RSS seen. */
export interface SizedMeasure extends AssessmentMeasure {
  runs: number;
}

/**
 * Starts a private daemon, fills it with containers for each size in turn (STARTED_CONTAINERS of them running)
 * and measures each size `runs` times; always stops the daemon and removes its directory.
 */
export async function benchAssessment(sizes: readonly number[] = [100, 1000], runs = 3, log: (line: string) => void = () => undefined): Promise<SizedMeasure[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-bench-'));
  let daemon: PrivateDaemon | undefined;
  // Interrupted: stop the daemon before exiting, as the finally block would.
  const onSignal = (): void => {
    void (daemon?.stop() ?? Promise.resolve()).finally(() => {
      fs.rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const mappingsFile = path.join(work, 'mappings.json');
    fs.writeFileSync(mappingsFile, JSON.stringify(ruleMappings()));
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    const docker = new Docker({ socketPath: daemon.socketPath });
    const out: SizedMeasure[] = [];
    let created = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const t0 = performance.now();
      await createContainers(docker, created, size);
      if (created === 0) await startSome(docker, size);
      created = size;
      log(`  ${size} containers ready (${(await docker.listContainers()).length} running) in ${Math.round(performance.now() - t0)} ms`);
      const measures: AssessmentMeasure[] = [];
      for (let r = 0; r < runs; r += 1) measures.push(await measureInChild(daemon.endpoint, mappingsFile));
      const byTotal = [...measures].sort((a, b) => a.totalMs - b.totalMs);
      const mid = byTotal[Math.floor(byTotal.length / 2)]!;
      if (mid.containers !== size) throw new Error(`expected ${size} containers, the collector saw ${mid.containers}`);
      out.push({ ...mid, totalMs: median(measures.map((m) => m.totalMs)), peakRssMb: Math.max(...measures.map((m) => m.peakRssMb)), runs });
    }
    return out;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await daemon?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(await measureOnce(argv[1]!, argv[2]!)));
    return;
  }
  const sizes = (flag(argv, '--sizes') ?? '100,1000').split(',').map(Number);
  const runs = Number(flag(argv, '--runs') ?? process.env.BENCH_RUNS ?? 3);
  console.log(JSON.stringify(await benchAssessment(sizes, runs, (l) => console.error(l)), null, 2));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
