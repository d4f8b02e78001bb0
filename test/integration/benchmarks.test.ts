/**
 * Plimsoll's own benchmark on a real daemon: the built `plimsoll assess` names it by its short name on a database
 * that has never seen it (it is loaded from catalogs/), assesses it together with the Docker STIG in one run, and
 * writes one OSCAL assessment-results document (valid against NIST's schema) holding both; GraphQL's
 * runAssessment takes the same list. The PLM rules' verdicts belong to their checks (other work packages): this
 * test relies only on them being present, with a status, for every node.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { openApp } from '../../src/main.js';
import { createFixtureContainers } from '../fixtures/fixture-containers.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ASSESSOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';

const BIN = packageBin();
const run = promisify(execFile);
const PLM_ID = 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform';
const STIG_ID = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';
const PLM_RULES = ['PLM-SEC-001', 'PLM-SEC-002', 'PLM-SEC-003', 'PLM-SEC-004', 'PLM-SEC-005', 'PLM-ENV-001', 'PLM-ENV-002'];

let dir: string;
let daemon: PrivateDaemon;

async function plimsoll(args: string[], db: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PLIMSOLL_DB: db, PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

type Prop = { name: string; value: string };
const propsOf = (x: { props?: Prop[] }, name: string): string[] => (x.props ?? []).filter((p) => p.name === name).map((p) => p.value);

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  dir = tempDir();
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await createFixtureContainers(daemon);
});

afterAll(async () => {
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('plimsoll assess --benchmark plimsoll_container_platform', () => {
  it('loads the built-in benchmark into a database that has never seen it, once', async () => {
    const db = path.join(dir, 'fresh.db');
    const first = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', 'plimsoll_container_platform', '--json'], db);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as { benchmarkId: string; benchmarks: { benchmarkId: string }[]; results: { stigId: string; status: string }[] };
    expect(a.benchmarkId).toBe(PLM_ID);
    expect(a.results.map((r) => r.stigId)).toEqual(PLM_RULES);
    for (const r of a.results) expect(['pass', 'fail', 'not-applicable', 'not-checked', 'error']).toContain(r.status);
    // A second run finds it stored; the library holds one copy.
    const second = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', PLM_ID, '--json'], db);
    expect(second.code).toBe(0);
    const app = await openApp({ db });
    try {
      const benchmarks = await app.services.library.listDocuments('benchmark');
      expect(benchmarks.map((b) => [b.id, b.sourceFile])).toEqual([[PLM_ID, 'catalogs/plimsoll-container-platform-xccdf.xml']]);
    } finally {
      await app.close();
    }
  }, 600_000);

  it('assesses the Docker STIG and the built-in benchmark in one run, with one OSCAL result holding both', async () => {
    const db = path.join(dir, 'both.db');
    const imported = await plimsoll(['import', shared(...CCI_LIST), shared(...REV5_CATALOG_JSON)], db);
    expect(imported.code).toBe(0);
    const out = path.join(dir, 'out');
    const assessed = await plimsoll(
      ['assess', '--node', daemon.endpoint, '--benchmark', shared(...DOCKER_STIG_V2R2), '--profile', 'MAC-1_Classified', '--benchmark', 'plimsoll_container_platform', '--out', out, '--json'],
      db,
    );
    expect(assessed.stderr).toBe('');
    expect(assessed.code).toBe(0);
    const a = JSON.parse(assessed.stdout) as { id: string; nodeIds: string[]; benchmarks: { benchmarkId: string; profileId?: string; documentId: string }[]; results: { stigId: string; benchmarkDocumentId: string; controlIds: string[] }[] };
    expect(a.benchmarks.map((b) => [b.benchmarkId, b.profileId])).toEqual([[STIG_ID, 'MAC-1_Classified'], [PLM_ID, undefined]]);
    const [stig, plm] = a.benchmarks;
    const ofPlm = a.results.filter((r) => r.benchmarkDocumentId === plm!.documentId);
    const ofStig = a.results.filter((r) => r.benchmarkDocumentId === stig!.documentId);
    expect(ofPlm.map((r) => r.stigId)).toEqual(PLM_RULES);
    expect(ofStig.length).toBeGreaterThan(90);
    expect(ofStig.length + ofPlm.length).toBe(a.results.length);
    // The direct IA-5(1) reference and the CCIs reach the rev5 catalog.
    expect(ofPlm.find((r) => r.stigId === 'PLM-SEC-005')!.controlIds).toEqual(expect.arrayContaining(['ia-5.1', 'ia-5_smt.f']));
    expect(ofPlm.find((r) => r.stigId === 'PLM-ENV-001')!.controlIds).toEqual(expect.arrayContaining(['cm-7.5_smt.b', 'ac-5_smt.b', 'cm-14']));

    const doc = JSON.parse(fs.readFileSync(path.join(out, 'assessment-results.json'), 'utf8')) as { 'assessment-results': { results: { props?: Prop[]; findings: { props: Prop[] }[]; 'reviewed-controls': unknown }[] } };
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(doc, 'assessment-results.json')).toEqual([]);
    const results = doc['assessment-results'].results;
    expect(results).toHaveLength(1);
    expect(propsOf(results[0]!, 'benchmark-document-id')).toEqual([stig!.documentId, plm!.documentId]);
    const byBenchmark = new Map<string, number>();
    for (const f of results[0]!.findings) for (const b of propsOf(f, 'benchmark-id')) byBenchmark.set(b, (byBenchmark.get(b) ?? 0) + 1);
    expect(Object.fromEntries(byBenchmark)).toEqual({ [STIG_ID]: ofStig.length, [PLM_ID]: PLM_RULES.length });
    expect(JSON.stringify(results[0]!['reviewed-controls'])).toContain('"ia-5.7"');
  }, 600_000);

  it('refuses more --profile options than --benchmark options with exit code 2', async () => {
    const refused = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', 'plimsoll_container_platform', '--profile', 'a', '--profile', 'b'], path.join(dir, 'refused.db'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the Nth --profile goes with the Nth --benchmark');
  });
});

describe('runAssessment with benchmarks', () => {
  let app: OpenedApp;
  let graphql: InProcessGraphql;

  beforeAll(async () => {
    process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
    app = await openApp({ db: path.join(dir, 'graphql.db') });
    await app.services.imports.importDocuments([{ name: shared(...DOCKER_STIG_V2R2), bytes: fs.readFileSync(shared(...DOCKER_STIG_V2R2)) }]);
    graphql = await startInProcessGraphql(app);
  });

  afterAll(async () => {
    await graphql?.stop();
    await app?.close();
  });

  it('runs the Docker STIG and the built-in benchmark (with its secrets profile) in one assessment', async () => {
    const result = await graphql.gql(
      ASSESSOR,
      `mutation($i: RunAssessmentInput!) { runAssessment(input: $i) { status benchmarkId benchmarks { benchmarkId profileId title } results(first: 1, filter: { stigId: "PLM-SEC-005" }) { edges { node { stigId benchmarkDocumentId } } } } }`,
      { i: { nodes: [daemon.endpoint], benchmarks: [{ benchmark: STIG_ID }, { benchmark: 'plimsoll_container_platform', profileId: 'xccdf_io.plimsoll_profile_secrets' }] } },
    );
    expect(result.errors).toBeUndefined();
    const a = result.data?.runAssessment;
    expect(a.status).toBe('COMPLETED');
    expect(a.benchmarkId).toBe(STIG_ID);
    expect(a.benchmarks.map((b: { benchmarkId: string; profileId: string | null }) => [b.benchmarkId, b.profileId])).toEqual([[STIG_ID, null], [PLM_ID, 'xccdf_io.plimsoll_profile_secrets']]);
    expect(a.results.edges[0].node.stigId).toBe('PLM-SEC-005');

    const both = await graphql.gql(ASSESSOR, `mutation($i: RunAssessmentInput!) { runAssessment(input: $i) { status } }`, { i: { nodes: [daemon.endpoint], benchmark: STIG_ID, benchmarks: [{ benchmark: STIG_ID }] } });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect(both.errors?.[0]?.message).toContain('give either benchmarks or the deprecated benchmark');
  });
});
