/**
 * One run, several benchmarks: the nodes are collected once, every benchmark's rules are evaluated and stored
 * with their benchmark, a rule citing SP 800-53 directly (no CCI) maps to its control, the assessment lists
 * its benchmarks, and one OSCAL result holds them all (schema-valid, each finding naming its benchmark); the
 * stored assessment re-renders to the same documents. Real SQLite and the real writer; in-memory services.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefaultAssessmentService } from '../../../src/assessment/assessment-service.js';
import type { BenchmarkRule } from '../../../src/domain/content.js';
import type { StoredBenchmark } from '../../../src/domain/services.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import type { AssessmentResultsDocument } from '../../../src/reporting/oscal-values.js';
import { buildChecklist, loadChecklistRuleDetails } from '../../../src/reporting/checklist-builder.js';
import { ReportInputLoader } from '../../../src/reporting/report-input-loader.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../harness/content.js';
import { ACTOR, BENCHMARK_ID, benchmark, CHECKS, MemoryCollector, MemoryImports, MemoryLibrary, MemoryNodes, RULES, seedDocument } from './fakes.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const PLM_ID = 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform';
const LOCAL = 'unix:///var/run/docker.sock';
const REMOTE = 'tcp://10.0.0.5:2376';

function plmRule(stigId: string, ccis: string[], sp80053: { control: string; revision: string }[]): BenchmarkRule {
  const name = stigId.toLowerCase().replace(/-/g, '_');
  return {
    groupId: 'xccdf_io.plimsoll_group_secrets',
    ruleId: `xccdf_io.plimsoll_rule_${name}`,
    stigId,
    title: `Title of ${stigId}`,
    severity: 'high',
    discussion: 'why',
    checkContent: `check ${stigId}`,
    checkContentHash: name.padEnd(64, '0').slice(0, 64),
    fixText: `Fix ${stigId}`,
    ccis,
    legacyIds: [],
    sp80053,
  };
}

const PLM_RULES = [plmRule('PLM-SEC-001', ['CCI-000381'], []), plmRule('PLM-SEC-005', [], [{ control: 'IA-5(1)', revision: '5' }])];

function plimsollBenchmark(): StoredBenchmark {
  return {
    ...benchmark('doc-plm', '1'),
    id: PLM_ID,
    title: 'Plimsoll Container Platform Benchmark',
    version: '1',
    sourceFile: 'catalogs/plimsoll-container-platform-xccdf.xml',
    profiles: [{ id: 'xccdf_io.plimsoll_profile_secrets', title: 'Secrets', selectedRuleIds: PLM_RULES.map((r) => r.ruleId) }],
  };
}

let dir: string;
let db: Db;
let library: MemoryLibrary;
let clock: number;
let ids: number;

let nodes: MemoryNodes;

function service(): DefaultAssessmentService {
  const collector = new MemoryCollector();
  collector.containers.set(LOCAL, ['web', 'priv-agent']);
  collector.containers.set(REMOTE, ['db']);
  return new DefaultAssessmentService(
    { repo: new KyselyAssessmentRepository(db), targetResults: new KyselyTargetResultRepository(db), library, imports: new MemoryImports(library, new Map()), nodes, collector, checks: CHECKS, writer: AssessmentResultsWriter.fromSchema(schemaPath) },
    { now: () => new Date(Date.UTC(2024, 6, 24, 12, 0, clock++)), newId: () => `id-${String(++ids).padStart(4, '0')}`, tool: { name: 'Plimsoll', version: '9.9.9' } },
  );
}

let svc: DefaultAssessmentService;

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'plimsoll.db'));
  library = new MemoryLibrary();
  for (const b of [benchmark('doc-r1', '1'), benchmark('doc-r2', '2')]) {
    library.add(b);
    await seedDocument(db, b);
  }
  library.add(plimsollBenchmark(), PLM_RULES);
  await seedDocument(db, plimsollBenchmark());
  clock = 0;
  ids = 0;
  nodes = new MemoryNodes();
  svc = service();
  await nodes.register({ name: 'local', endpoint: LOCAL });
  await nodes.register({ name: 'remote', endpoint: REMOTE });
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('an assessment of several benchmarks', () => {
  it('evaluates every benchmark in one run and keeps each result with its benchmark', async () => {
    const a = await svc.run(
      { nodes: ['local', 'remote'], benchmark: BENCHMARK_ID, profileId: 'MAC-3_Sensitive', additionalBenchmarks: [{ benchmark: PLM_ID, profileId: 'xccdf_io.plimsoll_profile_secrets' }] },
      ACTOR,
    );
    expect(a.status).toBe('completed');
    expect(a.benchmarks).toEqual([
      { documentId: 'doc-r2', benchmarkId: BENCHMARK_ID, title: 'Docker Enterprise 2.x Linux/UNIX STIG', version: '2', release: '2', profileId: 'MAC-3_Sensitive' },
      { documentId: 'doc-plm', benchmarkId: PLM_ID, title: 'Plimsoll Container Platform Benchmark', version: '1', release: '1', profileId: 'xccdf_io.plimsoll_profile_secrets' },
    ]);
    // The first benchmark stays in the single fields, for their readers.
    expect(a).toMatchObject({ benchmarkDocumentId: 'doc-r2', profileId: 'MAC-3_Sensitive' });
    expect(a.results).toHaveLength((RULES.length + PLM_RULES.length) * 2);
    expect(a.results.filter((r) => r.benchmarkDocumentId === 'doc-plm').map((r) => [r.nodeId, r.stigId, r.status])).toEqual([
      ['node-1', 'PLM-SEC-001', 'not-checked'],
      ['node-1', 'PLM-SEC-005', 'not-checked'],
      ['node-2', 'PLM-SEC-001', 'not-checked'],
      ['node-2', 'PLM-SEC-005', 'not-checked'],
    ]);
    expect(a.results.filter((r) => r.benchmarkDocumentId === 'doc-r2')).toHaveLength(RULES.length * 2);
    // A direct SP 800-53 reference (no CCI) maps to its control; a CCI maps as for the STIG.
    expect(a.results.find((r) => r.stigId === 'PLM-SEC-005')!.controlIds).toEqual(['ia-5.1']);
    expect(library.mappedReferences).toEqual([['IA-5(1)']]);
    // Collected once per node, whatever the number of benchmarks.
    expect(await db.selectFrom('facts_snapshot').select('id').where('assessment_id', '=', a.id).execute()).toHaveLength(2);
    expect(await svc.get(a.id)).toEqual(a);

    const doc = (await svc.resultsDocument(a.id)) as AssessmentResultsDocument;
    expect(createOscalValidator(schemaPath).validate(doc, 'stored')).toEqual([]);
    const results = doc['assessment-results'].results;
    expect(results).toHaveLength(1);
    const result = results[0]!;
    expect(result.title).toBe(`${BENCHMARK_ID} V2R2 and ${PLM_ID} V1R1 on local, remote`);
    const propsOf = (x: { props?: { name: string; value: string }[] }, name: string): string[] => (x.props ?? []).filter((p) => p.name === name).map((p) => p.value);
    expect(propsOf(result, 'benchmark-document-id')).toEqual(['doc-r2', 'doc-plm']);
    expect(propsOf(result, 'profile-id')).toEqual(['MAC-3_Sensitive', 'xccdf_io.plimsoll_profile_secrets']);
    const findings = result.findings as { props: { name: string; value: string }[] }[];
    expect(findings).toHaveLength(a.results.length);
    expect(findings.filter((f) => propsOf(f, 'benchmark-id')[0] === PLM_ID)).toHaveLength(4);
    expect(findings.filter((f) => propsOf(f, 'benchmark-id')[0] === BENCHMARK_ID)).toHaveLength(RULES.length * 2);
    const reviewed = JSON.stringify(result['reviewed-controls']);
    expect(reviewed).toContain('"ia-5.1"');
    expect(reviewed).toContain('"cm-6"');
    const planResource = doc['assessment-results']['back-matter']!.resources[0] as { props: { name: string; value: string }[] };
    expect(propsOf(planResource, 'benchmark-id')).toEqual([BENCHMARK_ID, PLM_ID]);

    // The plan schedules one activity per rule of both benchmarks.
    const plan = (await svc.planDocument(a.id)) as { 'assessment-plan': { 'local-definitions': { activities: { uuid: string }[] } } };
    const activities = plan['assessment-plan']['local-definitions'].activities;
    expect(new Set(activities.map((x) => x.uuid)).size).toBe(RULES.length + PLM_RULES.length);

    // A stored run re-renders (reports, downloads) to exactly the documents the run wrote.
    const repo = new KyselyAssessmentRepository(db);
    const loader = new ReportInputLoader({ assessments: repo, targets: new KyselyTargetResultRepository(db), library });
    const again = AssessmentResultsWriter.fromSchema(schemaPath).render(await loader.load(a.id));
    expect(JSON.stringify(again.results)).toBe(JSON.stringify(doc));
  });

  it("gives a node's checklist one STIG per benchmark, each with its own rules and results", async () => {
    const a = await svc.run({ nodes: ['local', 'remote'], benchmark: 'doc-r2', additionalBenchmarks: [{ benchmark: PLM_ID }] }, ACTOR);
    const loader = new ReportInputLoader({ assessments: new KyselyAssessmentRepository(db), targets: new KyselyTargetResultRepository(db), library });
    const input = await loader.load(a.id, { node: 'local' });
    const checklist = buildChecklist({ ...input, ...(await loadChecklistRuleDetails(library, input)) });
    expect(checklist.title).toBe('local: Docker Enterprise 2.x Linux/UNIX STIG and Plimsoll Container Platform Benchmark');
    expect(checklist.stigs.map((x) => [x.info.stigId, x.info.releaseInfo, x.rules.map((r) => r.stigId)])).toEqual([
      [BENCHMARK_ID, 'Release: 2 Benchmark Date: 24 Jul 2024', RULES.map((r) => r.stigId)],
      [PLM_ID, 'Release: 1 Benchmark Date: 24 Jul 2024', PLM_RULES.map((r) => r.stigId)],
    ]);
    // Details come from each rule's own benchmark; a PLM rule without a check is Not_Reviewed.
    expect(checklist.stigs[1]!.rules.map((r) => [r.fixText, r.status])).toEqual([
      ['Fix PLM-SEC-001', 'not-reviewed'],
      ['Fix PLM-SEC-005', 'not-reviewed'],
    ]);
  });

  it('refuses a benchmark named twice, and two releases of one benchmark, before creating a run', async () => {
    await expect(svc.run({ nodes: ['local'], benchmark: 'doc-r2', additionalBenchmarks: [{ benchmark: BENCHMARK_ID }] }, ACTOR)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `benchmark ${BENCHMARK_ID} is named twice; name each benchmark once per assessment`,
    });
    await expect(svc.run({ nodes: ['local'], benchmark: 'doc-r1', additionalBenchmarks: [{ benchmark: 'doc-r2' }] }, ACTOR)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `benchmark ${BENCHMARK_ID} is named in two releases (version 2 release 1 and version 2 release 2); assess one release per assessment`,
    });
    await expect(svc.run({ nodes: ['local'], benchmark: PLM_ID, additionalBenchmarks: [{ benchmark: 'doc-r2', profileId: 'MAC-9' }] }, ACTOR)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await svc.list()).total).toBe(0);
  });

  it('keeps a run of one benchmark as it was: one listed benchmark, results naming it', async () => {
    const a = await svc.run({ nodes: ['local'], benchmark: 'doc-r1' }, ACTOR);
    expect(a.benchmarks).toEqual([{ documentId: 'doc-r1', benchmarkId: BENCHMARK_ID, title: 'Docker Enterprise 2.x Linux/UNIX STIG', version: '2', release: '1' }]);
    expect(new Set(a.results.map((r) => r.benchmarkDocumentId))).toEqual(new Set(['doc-r1']));
    expect(library.mappedReferences).toEqual([]);
  });
});
