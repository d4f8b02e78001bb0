/**
 * The walking skeleton end to end, on real parts: the wired application (src/main.ts) over a SQLite file,
 * the pinned reference content from the mirror, a private Docker daemon running the fixture containers,
 * and the GraphQL schema executed in-process through Apollo (executeOperation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { CHECKS } from '../../src/checks/registry.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { openApp } from '../../src/main.js';
import { CONTAINER_STIG_IDS, createFixtureContainers, type CreatedFixture } from '../fixtures/fixture-containers.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, repoRoot, shared, tempDir } from '../harness/content.js';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ADMIN, ASSESSOR, AUDITOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';


let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
let fixtures: CreatedFixture[];

const gql: InProcessGraphql['gql'] = (principal, query, variables) => graphql.gql(principal, query, variables);

beforeAll(async () => {
  dir = tempDir();
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  fixtures = await createFixtureContainers(daemon);
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app.services);
});

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('content over GraphQL', () => {
  it('refuses anonymous callers and auditors who try to import, and audits the refusal', async () => {
    const anonymous = await gql(undefined, '{ me { name } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await expect(graphql.upload(AUDITOR, shared(...CCI_LIST))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const refused = await gql(AUDITOR, 'mutation($p: [ID!]!) { importDocuments(uploadIds: $p) { id } }', { p: ['any-upload'] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await app.services.library.listDocuments()).toHaveLength(0);

    const log = await gql(ADMIN, '{ auditLog(first: 10) { total items { actor role action outcome detail } } }');
    expect(log.data?.auditLog.items[0]).toMatchObject({ actor: AUDITOR.name, role: 'auditor', action: 'importDocuments', outcome: 'failure' });
    expect(log.data?.auditLog.items[0].detail).toContain('FORBIDDEN');
    expect((await gql(AUDITOR, '{ auditLog { total } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('imports nothing when one file is bad, naming the file and the line', async () => {
    const bad = path.join(repoRoot, 'test', 'fixtures', 'content', 'malformed.xml');
    const result = await gql(ASSESSOR, 'mutation($p: [ID!]!) { importDocuments(uploadIds: $p) { id } }', { p: await graphql.upload(ASSESSOR, shared(...CCI_LIST), bad) });
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('CONTENT_INVALID');
    expect(error?.message).toContain('malformed.xml');
    expect(error?.extensions?.problems?.[0]?.line).toBeGreaterThan(0);
    expect(await app.services.library.listDocuments()).toHaveLength(0);
  });

  it('imports the CCI list, the Docker STIG and the 800-53 catalog, and browses them', async () => {
    const files = [shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_JSON)];
    const imported = await gql(ASSESSOR, 'mutation($p: [ID!]!) { importDocuments(uploadIds: $p) { kind id version release alreadyPresent counts { name value } } }', { p: await graphql.upload(ASSESSOR, ...files) });
    expect(imported.errors).toBeUndefined();
    const [cci, stig, catalog] = imported.data?.importDocuments as { kind: string; id: string; release?: string; counts: { name: string; value: number }[] }[];
    expect(cci?.kind).toBe('cci-list');
    expect(stig).toMatchObject({ kind: 'benchmark', id: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', release: '2' });
    expect(stig?.counts).toContainEqual({ name: 'rules', value: 101 });
    expect(catalog?.kind).toBe('catalog');

    const catalogs = await gql(AUDITOR, '{ catalogs { documentId title groups { id title } } }');
    const cat = catalogs.data?.catalogs[0];
    expect(cat.groups.map((g: { id: string }) => g.id)).toContain('ac');
    const family = await gql(AUDITOR, 'query($d: String!) { groups(catalogDocumentId: $d) { id controls(first: 2) { total items { id title params { id label } parts { name parts { id } } enhancementIds } } } }', { d: cat.documentId });
    const ac = family.data?.groups.find((g: { id: string }) => g.id === 'ac');
    expect(ac.controls.total).toBe(25);
    expect(ac.controls.items[0]).toMatchObject({ id: 'ac-1', title: 'Policy and Procedures' });
    expect(ac.controls.items[0].params.length).toBeGreaterThan(0);
    const ac2 = await gql(AUDITOR, 'query($d: String!) { control(catalogDocumentId: $d, id: "ac-2") { id enhancements { id parentControlId } } }', { d: cat.documentId });
    expect(ac2.data?.control.enhancements[0]).toEqual({ id: 'ac-2.1', parentControlId: 'ac-2' });

    const bench = await gql(AUDITOR, '{ benchmark(ref: "Docker_Enterprise_2-x_Linux-UNIX_STIG") { documentId release profiles { id ruleCount } rules(severity: "high") { total items { stigId ccis checkContentHash controls { statementId resolved } } } } }');
    const b = bench.data?.benchmark;
    expect(b.profiles.map((p: { id: string }) => p.id)).toContain('MAC-1_Classified');
    const hostNetwork = b.rules.items.find((r: { stigId: string }) => r.stigId === 'DKER-EE-002000');
    expect(hostNetwork.ccis).toContain('CCI-000381');
    expect(hostNetwork.controls).toContainEqual({ statementId: 'cm-7_smt.a', resolved: true });
    expect(hostNetwork.checkContentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('assessment over GraphQL', () => {
  const RUN = `mutation($i: RunAssessmentInput!) { runAssessment(input: $i) {
    id status error resultsDownloadUrl summary { pass fail notApplicable notChecked error }
    results { stigId status controlIds remediation automation { stale automatedAgainst } observations { targetId targetName field verdict value } }
  } }`;

  it('assesses the private daemon: every container rule gives each fixture its expected verdict', async () => {
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [daemon.endpoint], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' } });
    expect(result.errors).toBeUndefined();
    const run = result.data?.runAssessment;
    expect(run.status).toBe('completed');
    type R = { stigId: string; status: string; controlIds: string[]; observations: { targetId: string; verdict: string }[] };
    const results = run.results as R[];
    expect(results).toHaveLength(101);
    for (const stigId of CONTAINER_STIG_IDS) {
      const r = results.find((x) => x.stigId === stigId)!;
      for (const { fixture, id } of fixtures) {
        const mine = r.observations.filter((o) => o.targetId === id);
        const verdict = mine.length === 0 ? 'excluded' : mine.some((o) => o.verdict === 'fail') ? 'fail' : 'pass';
        expect({ stigId, container: fixture.name, verdict }).toEqual({ stigId, container: fixture.name, verdict: fixture.expected[stigId] });
      }
      expect(r.status).toBe('fail');
    }
    const privileged = results.find((x) => x.stigId === 'DKER-EE-001960') as R & { remediation?: string; automation?: { stale: boolean; automatedAgainst: string } };
    expect(privileged.remediation).toContain('Concrete remediation');
    expect(privileged.automation).toMatchObject({ stale: false, automatedAgainst: expect.stringContaining('V2R2') });
    // Rules without a check are never passed: not-checked, without evidence. Rules with one are decided (or error).
    const automated = new Set(CHECKS.map((c) => c.stigId));
    for (const r of results) {
      if (automated.has(r.stigId)) expect(r.status, r.stigId).not.toBe('not-checked');
      else expect({ stigId: r.stigId, status: r.status, observations: r.observations.length }).toEqual({ stigId: r.stigId, status: 'not-checked', observations: 0 });
    }
    const failed = results.filter((x) => x.status === 'fail').length;
    expect(run.summary).toMatchObject({ fail: failed, notChecked: 101 - automated.size });

    expect(run.resultsDownloadUrl).toBe(`/downloads/assessments/${run.id}/assessment-results.json`);
    const download = await app.services.downloads.open(run.resultsDownloadUrl, AUDITOR);
    expect(download).toMatchObject({ contentType: 'application/json; charset=utf-8', fileName: `assessment-results-${run.id}.json` });
    const written = JSON.parse(download.body.toString('utf8')) as { 'assessment-results': { uuid: string; results: { findings: unknown[]; risks?: unknown[] }[] } };
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(written, 'assessment-results.json')).toEqual([]);
    expect(written['assessment-results'].results[0]?.findings).toHaveLength(101);
    expect(written['assessment-results'].results[0]?.risks).toHaveLength(failed);

    const stored = await gql(AUDITOR, 'query($id: String!) { assessment(id: $id) { status resultsDocument results(status: "fail") { stigId } } }', { id: run.id });
    expect(stored.data?.assessment.results).toHaveLength(failed);
    expect(stored.data?.assessment.resultsDocument['assessment-results'].uuid).toBe(written['assessment-results'].uuid);
  });

  it('gives a clear error for an unreachable node and records the failed run', async () => {
    const missing = `unix://${path.join(dir, 'no-such-docker.sock')}`;
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [missing], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NODE_UNREACHABLE');
    expect(result.errors?.[0]?.message).toContain('no-such-docker.sock');
    const list = await gql(AUDITOR, '{ assessments(first: 1) { items { status error } } }');
    expect(list.data?.assessments.items[0].status).toBe('failed');
  });

  it('refuses an unknown benchmark', async () => {
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [daemon.endpoint], benchmark: 'No_Such_STIG' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(result.errors?.[0]?.message).toContain('No_Such_STIG');
  });
});
