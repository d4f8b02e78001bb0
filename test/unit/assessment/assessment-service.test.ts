import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckCatalog } from '../../../src/assessment/evaluate.js';
import { DefaultAssessmentService } from '../../../src/assessment/assessment-service.js';
import type { RunnerHost } from '../../../src/assessment/runner.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { type AssessmentResultsDocument, oscalJsonText } from '../../../src/reporting/oscal-values.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import type { AssetFacts } from '../../../src/domain/asset.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../harness/content.js';
import { ACTOR, BENCHMARK_ID, benchmark, CHECKS, MemoryCollector, MemoryImports, MemoryLibrary, MemoryNodes, RULES, seedDocument } from './fakes.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const HOST = 'assessor-host';
const LOCAL = 'unix:///var/run/docker.sock';
const REMOTE = 'tcp://10.0.0.5:2376';

let dir: string;
let db: Db;
let library: MemoryLibrary;
let nodes: MemoryNodes;
let collector: MemoryCollector;
let imports: MemoryImports;
let stigFile: string;
let clock: number;
let ids: number;
/** Records what collections found; an assessor's override of the role wins on the way back. */
const recorded: { nodeId: string; collected: AssetFacts }[] = [];
const assets = {
  async recordCollected(nodeId: string, collected: AssetFacts): Promise<AssetFacts> {
    recorded.push({ nodeId, collected });
    return { ...collected, role: { value: 'Member Server', source: 'assessor', detail: 'set by an assessor', recordedAt: '2024-07-01T00:00:00.000Z', recordedBy: 'carol' } };
  },
};
const livePids = new Set<number>([4242]);
const runner: RunnerHost = { hostname: HOST, pid: 4242, isAlive: (pid) => livePids.has(pid) };

function service(): DefaultAssessmentService {
  return new DefaultAssessmentService(
    { repo: new KyselyAssessmentRepository(db), targetResults: new KyselyTargetResultRepository(db), library, imports, nodes, collector, checks: CHECKS, writer: AssessmentResultsWriter.fromSchema(schemaPath), assets },
    {
      now: () => new Date(Date.UTC(2024, 6, 24, 12, 0, clock++)),
      newId: () => `id-${String(++ids).padStart(4, '0')}`,
      runner,
      tool: { name: 'Plimsoll', version: '9.9.9' },
    },
  );
}

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'plimsoll.db'));
  library = new MemoryLibrary();
  library.add(benchmark('doc-r1', '1'));
  library.add(benchmark('doc-r2', '2'));
  await seedDocument(db, benchmark('doc-r1', '1'));
  await seedDocument(db, benchmark('doc-r2', '2'));
  stigFile = path.join(dir, 'U_Docker_STIG_V2R3.xml');
  fs.writeFileSync(stigFile, '<Benchmark/>');
  const r3 = benchmark('doc-r3', '3');
  await seedDocument(db, r3);
  imports = new MemoryImports(library, new Map([[stigFile, r3]]));
  nodes = new MemoryNodes();
  await nodes.register({ name: 'local', endpoint: LOCAL });
  await nodes.register({ name: 'remote', endpoint: REMOTE });
  collector = new MemoryCollector();
  collector.containers.set(LOCAL, ['web', 'priv-agent']);
  collector.containers.set(REMOTE, ['db']);
  clock = 0;
  ids = 0;
  recorded.length = 0;
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('AssessmentService.run', () => {
  it('runs every rule on every node, stores results, facts and the document (written nowhere)', async () => {
    const before = fs.readdirSync(dir);
    const s = service();
    const a = await s.run({ nodes: ['local', REMOTE], benchmark: BENCHMARK_ID }, ACTOR);
    // The run returns its results as stored, without reading them back: exactly what a later read gives.
    expect(await s.get(a.id)).toEqual(a);

    expect(a).toMatchObject({ status: 'completed', benchmarkDocumentId: 'doc-r2', benchmarkRelease: '2', nodeIds: ['node-1', 'node-2'], startedBy: 'alice', startedAt: '2024-07-24T12:00:00.000Z' });
    expect(a.finishedAt).toBeDefined();
    expect(a.results).toHaveLength(RULES.length * 2);
    const status = (node: string, stig: string) => a.results.find((r) => r.nodeId === node && r.stigId === stig)?.status;
    expect(status('node-1', 'DKER-EE-001960')).toBe('fail');
    expect(status('node-2', 'DKER-EE-001960')).toBe('pass');
    expect(status('node-1', 'DKER-EE-002000')).toBe('error');
    expect(status('node-1', 'DKER-EE-001800')).toBe('not-checked');
    expect(status('node-2', 'DKER-EE-999999')).toBe('pass');
    expect(a.summary).toEqual({ counts: { pass: 3, fail: 1, 'not-applicable': 0, 'not-checked': 2, error: 2 }, failedBySeverity: { high: 0, medium: 1, low: 0, unknown: 0 } });
    expect(a.results.find((r) => r.stigId === 'DKER-EE-001800')!.controlIds).toEqual(['cm-6_smt.b', 'cm-7_smt.a']);

    const row = await db.selectFrom('assessment').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'completed', runner: `${HOST}:4242`, error: null });
    const resultRows = await db.selectFrom('rule_result').selectAll().where('assessment_id', '=', a.id).execute();
    expect(resultRows).toHaveLength(8);
    expect(resultRows.filter((r) => r.status === 'fail').map((r) => [r.node_id, r.stig_id])).toEqual([['node-1', 'DKER-EE-001960']]);

    const facts = await db.selectFrom('facts_snapshot').selectAll().where('assessment_id', '=', a.id).orderBy('node_id').execute();
    expect(facts.map((f) => f.node_id)).toEqual(['node-1', 'node-2']);
    for (const f of facts) expect(f.sha256).toBe(createHash('sha256').update(f.facts_json).digest('hex'));
    expect(facts[0]!.facts_json.indexOf('"ApiVersion"')).toBeLessThan(facts[0]!.facts_json.indexOf('"Version"'));

    const written = (await service().resultsDocument(a.id)) as AssessmentResultsDocument;
    expect(createOscalValidator(schemaPath).validate(written, 'stored')).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(before);
    const r = written['assessment-results'].results[0]!;
    expect(r.findings).toHaveLength(8);
    expect(r.risks).toHaveLength(1);
    expect(r.start).toBe(a.startedAt);
    const items = (r['local-definitions'] as { 'inventory-items': { props: { name: string; value: string }[] }[] })['inventory-items'];
    expect(items[0]!.props).toContainEqual(expect.objectContaining({ name: 'facts-sha256', value: facts[0]!.sha256 }));
    expect(items[0]!.props).toContainEqual(expect.objectContaining({ name: 'engine-version', value: '26.1.5' }));

    expect(await service().get(a.id)).toEqual(a);
    expect(library.mappedCcis).toEqual([['CCI-000381', 'CCI-000366', 'CCI-999999']]);

    // Per-node status with the asset facts as the run saw them (the override returned by the asset service).
    expect(a.nodes.map((n) => [n.nodeId, n.status.state, n.asset?.hostName?.value, n.asset?.role?.value])).toEqual([
      ['node-1', 'collected', 'local', 'Member Server'],
      ['node-2', 'collected', 'remote', 'Member Server'],
    ]);
    expect(recorded[0]!.collected.role).toMatchObject({ value: 'standalone engine', source: 'engine' });

    // One per-target row per container of the privileged rule, a node-level row for the others.
    const privileged = await service().targetResults(a.id, { rule: 'DKER-EE-001960' });
    expect(privileged.edges.map((e) => [e.node.nodeId, e.node.target.kind, e.node.target.key, e.node.status])).toEqual([
      ['node-1', 'container', 'name/web', 'pass'],
      ['node-1', 'container', 'name/priv-agent', 'fail'],
      ['node-2', 'container', 'name/db', 'pass'],
    ]);
    expect((await service().targetResults(a.id, {})).totalCount).toBe(9);

    // The plan is stored with the results (written nowhere); the results import it by uuid, file name and the
    // sha256 of its text as downloads and the CLI's --out give it.
    const plan = (await service().planDocument(a.id)) as { 'assessment-plan': { uuid: string } };
    expect(createOscalValidator(schemaPath).validate(plan, 'stored plan')).toEqual([]);
    const planText = oscalJsonText(plan);
    const imported = written['assessment-results']['import-ap'].href.slice(1);
    const resource = written['assessment-results']['back-matter']!.resources.find((x) => x.uuid === imported) as { rlinks: { href: string; hashes: { value: string }[] }[] };
    expect(imported).toBe(plan['assessment-plan'].uuid);
    expect(resource.rlinks[0]!.href).toBe('assessment-plan.json');
    expect(resource.rlinks[0]!.hashes[0]!.value).toBe(createHash('sha256').update(planText).digest('hex'));
  });

  it('evaluates only the rules of the profile, and rejects an unknown profile before creating a run', async () => {
    const a = await service().run({ nodes: ['local'], benchmark: 'doc-r1', profileId: 'MAC-1_Classified' }, ACTOR);
    expect(a.profileId).toBe('MAC-1_Classified');
    expect(a.benchmarkRelease).toBe('1');
    expect(a.results.map((r) => r.stigId)).toEqual(['DKER-EE-001960', 'DKER-EE-001800']);

    await expect(service().run({ nodes: ['local'], benchmark: BENCHMARK_ID, profileId: 'MAC-9' }, ACTOR)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('available profiles: MAC-1_Classified, MAC-3_Sensitive'),
    });
    expect((await service().list()).total).toBe(1);
  });

  it('asks the collector only for the parts the selected rules read, and for everything when a check does not say', async () => {
    await service().run({ nodes: ['local'], benchmark: 'doc-r1' }, ACTOR);
    // The fake checks say nothing of what they read: everything is collected.
    expect(collector.askedParts).toEqual([undefined]);
    const declared: CheckCatalog = { checkFor: (id) => (id === 'DKER-EE-001960' ? { ...CHECKS.checkFor(id)!, targetKinds: ['container'] } : undefined) };
    const s = new DefaultAssessmentService(
      { repo: new KyselyAssessmentRepository(db), targetResults: new KyselyTargetResultRepository(db), library, imports, nodes, collector, checks: declared, writer: AssessmentResultsWriter.fromSchema(schemaPath) },
      { newId: () => `id-${String(++ids).padStart(4, '0')}`, runner },
    );
    const a = await s.run({ nodes: ['local'], benchmark: 'doc-r1' }, ACTOR);
    expect([...collector.askedParts[1]!].sort()).toEqual(['asset', 'engine']);
    // A rule whose part was not collected is never passed for it: the privileged check still decides on containers.
    expect(a.results.find((r) => r.stigId === 'DKER-EE-001960')!.status).toBe('fail');
  });

  it('names an unknown benchmark, never reads a path as one, and imports a benchmark given as content first', async () => {
    await expect(service().run({ nodes: ['local'], benchmark: 'No_Such_STIG' }, ACTOR)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'benchmark No_Such_STIG is not loaded; import it first (plimsoll import FILE, or importDocuments)',
    });
    await expect(service().run({ nodes: ['local'], benchmark: stigFile }, ACTOR)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(imports.imported).toEqual([]);
    const a = await service().run({ nodes: ['local'], benchmark: { name: stigFile, bytes: fs.readFileSync(stigFile) } }, ACTOR);
    expect(imports.imported).toEqual([stigFile]);
    expect(a).toMatchObject({ status: 'completed', benchmarkDocumentId: 'doc-r3', benchmarkRelease: '3' });
  });

  it('registers an unknown endpoint on the fly, and names an unknown node', async () => {
    const endpoint = 'unix:///run/user/1000/docker.sock';
    const a = await service().run({ nodes: [endpoint, 'local', LOCAL], benchmark: BENCHMARK_ID }, ACTOR);
    const added = await nodes.find(endpoint);
    expect(added).toMatchObject({ name: 'local-run-user-1000-docker.sock', endpoint });
    expect(a.nodeIds).toEqual([added!.id, 'node-1']);
    expect(a.results.filter((r) => r.nodeId === added!.id && r.stigId === 'DKER-EE-001960')[0]!.status).toBe('not-applicable');

    await expect(service().run({ nodes: ['nowhere'], benchmark: BENCHMARK_ID }, ACTOR)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"nowhere"') });
    await expect(service().run({ nodes: [' '], benchmark: BENCHMARK_ID }, ACTOR)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await service().list()).total).toBe(1);
  });

  it('goes on when one node is unreachable: that node fails with its reason and its rules are error, the others are assessed', async () => {
    collector.down.add(REMOTE);
    const a = await service().run({ nodes: ['local', 'remote'], benchmark: BENCHMARK_ID }, ACTOR);
    expect(a.status).toBe('completed');
    expect(a.nodes.map((n) => [n.name, n.status.state])).toEqual([
      ['local', 'collected'],
      ['remote', 'failed'],
    ]);
    expect(a.nodes[1]!.status).toEqual({ state: 'failed', reason: 'unreachable', message: `Cannot connect to the Docker engine at ${REMOTE}: connect ECONNREFUSED` });
    const remote = a.results.filter((r) => r.nodeId === 'node-2');
    expect(remote.map((r) => r.status)).toEqual(RULES.map(() => 'error'));
    expect(remote[0]!.message).toBe(`Node remote could not be collected (unreachable): Cannot connect to the Docker engine at ${REMOTE}: connect ECONNREFUSED`);
    expect(a.results.filter((r) => r.nodeId === 'node-1' && r.status === 'fail')).toHaveLength(1);
    const rows = await service().targetResults(a.id, { nodeId: 'node-2' });
    expect(rows.edges.map((e) => [e.node.target.kind, e.node.status])).toEqual(RULES.map(() => ['node', 'error']));
    // Only the collected node was asked for asset facts; the failed one keeps none at this run.
    expect(recorded.map((r) => r.nodeId)).toEqual(['node-1']);
    const doc = (await service().resultsDocument(a.id)) as AssessmentResultsDocument;
    const items = (doc['assessment-results'].results[0]!['local-definitions'] as { 'inventory-items': { props: { name: string; value: string; remarks?: string }[] }[] })['inventory-items'];
    expect(items[1]!.props).toContainEqual(expect.objectContaining({ name: 'collection-status', value: 'failed', remarks: expect.stringContaining('unreachable') }));
  });

  it('fails the run with the error when no node can be collected, and rethrows', async () => {
    collector.down.add(LOCAL);
    collector.down.add(REMOTE);
    const err = await service().run({ nodes: ['local', 'remote'], benchmark: BENCHMARK_ID }, ACTOR).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NODE_UNREACHABLE', message: expect.stringContaining(REMOTE) });
    expect((err as Error).message).toContain(LOCAL);

    const { items, total } = await service().list();
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({ status: 'failed', error: expect.stringContaining(`Cannot connect to the Docker engine at ${REMOTE}`) });
    expect(items[0]!.nodes.map((n) => n.status)).toEqual([
      { state: 'failed', reason: 'unreachable', message: `Cannot connect to the Docker engine at ${LOCAL}: connect ECONNREFUSED` },
      { state: 'failed', reason: 'unreachable', message: `Cannot connect to the Docker engine at ${REMOTE}: connect ECONNREFUSED` },
    ]);
    expect(items[0]!.finishedAt).toBeDefined();
    const stored = await service().get(items[0]!.id);
    expect(stored!.results).toEqual([]);
    expect(await service().resultsDocument(items[0]!.id)).toBeUndefined();
    // No node answered: no inventory was stored, no document built.
    expect(await db.selectFrom('facts_snapshot').select('node_id').where('assessment_id', '=', items[0]!.id).execute()).toEqual([]);
  });

  it('lists runs newest first with a total, page by page', async () => {
    const s = service();
    const first = await s.run({ nodes: ['local'], benchmark: BENCHMARK_ID }, ACTOR);
    const second = await s.run({ nodes: ['remote'], benchmark: BENCHMARK_ID }, ACTOR);
    const third = await s.run({ nodes: ['local', 'remote'], benchmark: 'doc-r1' }, ACTOR);
    const page1 = await s.list({ offset: 0, limit: 2 });
    expect(page1.total).toBe(3);
    expect(page1.items.map((a) => a.id)).toEqual([third.id, second.id]);
    expect(page1.items[0]).not.toHaveProperty('results');
    const page2 = await s.list({ offset: 2, limit: 2 });
    expect(page2.items.map((a) => a.id)).toEqual([first.id]);
    await expect(s.list({ offset: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await s.get('missing')).toBeUndefined();
  });
});

describe('AssessmentService.markInterrupted', () => {
  async function running(id: string, runnerId: string | null): Promise<void> {
    await db
      .insertInto('assessment')
      .values({ id, status: 'running', benchmark_document_id: 'doc-r2', profile_id: null, node_ids_json: '["node-1"]', started_at: `2024-07-24T11:00:0${id.length % 10}.000Z`, finished_at: null, started_by: 'bob', error: null, summary_json: null, results_document_json: null, runner: runnerId })
      .execute();
  }

  it('interrupts runs whose runner process is dead on this host, and leaves live or foreign ones', async () => {
    livePids.add(7777);
    await running('dead', `${HOST}:31337`);
    await running('alive', `${HOST}:7777`);
    await running('elsewhere', 'other-host:31337');
    await running('anonymous', null);
    await running('restarted', `${HOST}:4242`);

    expect(await service().markInterrupted()).toBe(3);
    const rows = await db.selectFrom('assessment').select(['id', 'status', 'error', 'finished_at']).orderBy('id').execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId.dead).toMatchObject({ status: 'interrupted', error: `interrupted: runner ${HOST}:31337 is no longer running` });
    expect(byId.dead!.finished_at).not.toBeNull();
    expect(byId.anonymous!.status).toBe('interrupted');
    expect(byId.restarted!.status).toBe('interrupted');
    expect(byId.alive).toMatchObject({ status: 'running', error: null });
    expect(byId.elsewhere!.status).toBe('running');
    expect(await service().markInterrupted()).toBe(0);

    const listed = await service().list();
    expect(listed.items.find((a) => a.id === 'dead')).toMatchObject({ status: 'interrupted', error: expect.stringContaining('no longer running') });
  });

  it('does not interrupt a run in progress in this process', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new MemoryCollector();
    slow.collect = async (node) => {
      await gate;
      return new MemoryCollector().collect(node);
    };
    collector = slow;
    const s = service();
    const pending = s.run({ nodes: ['local'], benchmark: BENCHMARK_ID }, ACTOR);
    await new Promise((r) => setTimeout(r, 20));
    expect((await s.list()).items[0]!.status).toBe('running');
    expect(await s.markInterrupted()).toBe(0);
    // Another process on this host with the same pid (a restarted container) would interrupt it.
    expect(await service().markInterrupted()).toBe(1);
    release();
    await expect(pending).rejects.toMatchObject({ code: 'CONFLICT' });
    const [interrupted] = (await s.list()).items;
    expect(interrupted).toMatchObject({ status: 'interrupted' });
    expect(await db.selectFrom('rule_result').select('id').where('assessment_id', '=', interrupted!.id).execute()).toEqual([]);
  });
});
