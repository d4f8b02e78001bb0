/**
 * The walking skeleton end to end, on real parts: the wired application (src/main.ts) over a SQLite file,
 * the pinned reference content from the mirror, a private Docker daemon running the fixture containers,
 * and the GraphQL schema executed in-process through Apollo (executeOperation).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { CHECKS } from '../../src/checks/registry.js';
import { isDockerStigId } from '../../src/checks/check.js';
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
  graphql = await startInProcessGraphql(app);
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
    const refused = await gql(AUDITOR, 'mutation($p: [ID!]!) { importDocuments(input: { uploadIds: $p }) { imports { documentId } } }', { p: ['any-upload'] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await app.services.library.listDocuments()).toHaveLength(0);

    const log = await gql(ADMIN, '{ auditLog(first: 10) { totalCount edges { node { actor role action outcome detail } } } }');
    expect(log.data?.auditLog.edges[0].node).toMatchObject({ actor: AUDITOR.name, role: 'AUDITOR', action: 'importDocuments', outcome: 'FAILURE' });
    expect(log.data?.auditLog.edges[0].node.detail).toContain('FORBIDDEN');
    expect((await gql(AUDITOR, '{ auditLog { totalCount } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('imports nothing when one file is bad, naming the file and the line', async () => {
    const bad = path.join(repoRoot, 'test', 'fixtures', 'content', 'malformed.xml');
    const result = await gql(ASSESSOR, 'mutation($p: [ID!]!) { importDocuments(input: { uploadIds: $p }) { imports { documentId } } }', { p: await graphql.upload(ASSESSOR, shared(...CCI_LIST), bad) });
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('CONTENT_INVALID');
    expect(error?.message).toContain('malformed.xml');
    expect(error?.extensions?.problems?.[0]?.line).toBeGreaterThan(0);
    expect(await app.services.library.listDocuments()).toHaveLength(0);
  });

  it('imports the CCI list, the Docker STIG and the 800-53 catalog, and browses them', async () => {
    const files = [shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_JSON)];
    const imported = await gql(ASSESSOR, 'mutation($p: [ID!]!) { importDocuments(input: { uploadIds: $p }) { imports { kind contentId version release alreadyPresent counts { name value } } } }', { p: await graphql.upload(ASSESSOR, ...files) });
    expect(imported.errors).toBeUndefined();
    const [cci, stig, catalog] = imported.data?.importDocuments.imports as { kind: string; contentId: string; release?: string; counts: { name: string; value: number }[] }[];
    expect(cci?.kind).toBe('CCI_LIST');
    expect(stig).toMatchObject({ kind: 'BENCHMARK', contentId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', release: '2' });
    expect(stig?.counts).toContainEqual({ name: 'rules', value: 101 });
    expect(catalog?.kind).toBe('CATALOG');

    const catalogs = await gql(AUDITOR, '{ catalogs { edges { node { documentId title groups(first: 100) { edges { node { groupId title } } } } } } }');
    const cat = catalogs.data?.catalogs.edges[0].node;
    expect(cat.groups.edges.map((g: { node: { groupId: string } }) => g.node.groupId)).toContain('ac');
    const family = await gql(AUDITOR, 'query($d: String!) { catalog(documentId: $d) { groups(first: 1) { edges { node { groupId controls(first: 2) { totalCount edges { node { controlId title params { paramId label } parts { name parts { partId } } enhancementIds } } } } } } } }', { d: cat.documentId });
    const ac = family.data?.catalog.groups.edges[0].node;
    expect(ac.groupId).toBe('ac');
    expect(ac.controls.totalCount).toBe(25);
    expect(ac.controls.edges[0].node).toMatchObject({ controlId: 'ac-1', title: 'Policy and Procedures' });
    expect(ac.controls.edges[0].node.params.length).toBeGreaterThan(0);
    const ac2 = await gql(AUDITOR, 'query($d: String!) { control(catalogDocumentId: $d, controlId: "ac-2") { id enhancements(first: 1) { edges { node { controlId parentControlId } } } } }', { d: cat.documentId });
    expect(ac2.data?.control.enhancements.edges[0].node).toEqual({ controlId: 'ac-2.1', parentControlId: 'ac-2' });

    const bench = await gql(AUDITOR, '{ benchmark(ref: "Docker_Enterprise_2-x_Linux-UNIX_STIG") { documentId release profiles { profileId ruleCount } rules(filter: { severity: HIGH }, first: 100) { totalCount edges { node { stigId ccis checkContentHash controls { statementId resolved } } } } } }');
    expect(bench.errors).toBeUndefined();
    const b = bench.data?.benchmark;
    expect(b.profiles.map((p: { profileId: string }) => p.profileId)).toContain('MAC-1_Classified');
    const hostNetwork = b.rules.edges.map((e: { node: unknown }) => e.node).find((r: { stigId: string }) => r.stigId === 'DKER-EE-002000');
    expect(hostNetwork.ccis).toContain('CCI-000381');
    expect(hostNetwork.controls).toContainEqual({ statementId: 'cm-7_smt.a', resolved: true });
    expect(hostNetwork.checkContentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('assessment over GraphQL', () => {
  const RUN = `mutation($i: RunAssessmentInput!) { runAssessment(input: $i) { assessmentId status error resultsDownloadUrl planDownloadUrl summary { pass fail notApplicable notChecked error } } }`;
  /** One page of a run's results, with all of each result's evidence. */
  const RESULTS = `query($id: String!, $after: String, $filter: RuleResultFilterInput) { assessment(assessmentId: $id) { results(first: 50, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { stigId status message controlIds remediation automation { stale automatedAgainst } observations(first: 100) { totalCount edges { node { targetId targetName field verdict value } } } } }
  } } }`;
  type R = { stigId: string; status: string; message: string; controlIds: string[]; observations: { targetId: string; verdict: string }[] };

  /** Every result of a run, walking its pages; each result's observations flattened (fewer than 100 here). */
  async function allResults(id: string, filter?: Record<string, unknown>): Promise<R[]> {
    const out: R[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard += 1) {
      const page = await gql(AUDITOR, RESULTS, { id, after, filter: filter ?? null });
      expect(page.errors).toBeUndefined();
      const conn = page.data?.assessment.results;
      for (const e of conn.edges) {
        expect(e.node.observations.totalCount).toBe(e.node.observations.edges.length);
        out.push({ ...e.node, observations: e.node.observations.edges.map((o: { node: unknown }) => o.node) });
      }
      if (!conn.pageInfo.hasNextPage) return out;
      after = conn.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  it('assesses the private daemon: every container rule gives each fixture its expected verdict', async () => {
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [daemon.endpoint], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' } });
    expect(result.errors).toBeUndefined();
    const run = result.data?.runAssessment;
    expect(run.status).toBe('COMPLETED');
    const results = await allResults(run.assessmentId);
    expect(results).toHaveLength(101);
    for (const stigId of CONTAINER_STIG_IDS) {
      const r = results.find((x) => x.stigId === stigId)!;
      for (const { fixture, id } of fixtures) {
        const mine = r.observations.filter((o) => o.targetId === id);
        // A platform container a rule leaves out is recorded as excluded; a container no observation names would be dropped silently.
        const verdict = mine.length === 0 ? 'missing' : mine.every((o) => o.verdict === 'EXCLUDED') ? 'excluded' : mine.some((o) => o.verdict === 'FAIL') ? 'fail' : 'pass';
        expect({ stigId, container: fixture.name, verdict }).toEqual({ stigId, container: fixture.name, verdict: fixture.expected[stigId] });
      }
      expect(r.status).toBe('FAIL');
    }
    // Per-target results say the same, one row per container: an excluded platform container is its own row,
    // EXCLUDED, never PASS (wp-evidence's excluded observations carried into wp-targets' rows).
    const TARGETS = `query($id: String!, $rule: String!) { assessment(assessmentId: $id) { targetResults(filter: { rule: $rule, kind: CONTAINER }, first: 100) {
      totalCount edges { node { status target { targetId } observations(first: 20) { edges { node { verdict } } } } } } } }`;
    for (const stigId of CONTAINER_STIG_IDS) {
      const rows = (await gql(AUDITOR, TARGETS, { id: run.assessmentId, rule: stigId })).data?.assessment.targetResults;
      const byId = new Map<string, { status: string; verdicts: string[] }>(
        rows.edges.map((e: { node: { status: string; target: { targetId: string }; observations: { edges: { node: { verdict: string } }[] } } }) => [
          e.node.target.targetId,
          { status: e.node.status, verdicts: e.node.observations.edges.map((o) => o.node.verdict) },
        ]),
      );
      for (const { fixture, id } of fixtures) {
        const row = byId.get(id);
        expect({ stigId, container: fixture.name, status: row?.status }).toEqual({ stigId, container: fixture.name, status: fixture.expected[stigId].toUpperCase() });
        if (row?.status === 'EXCLUDED') expect(row.verdicts.every((v) => v === 'EXCLUDED')).toBe(true);
      }
    }

    const privileged = results.find((x) => x.stigId === 'DKER-EE-001960') as R & { remediation?: string; automation?: { stale: boolean; automatedAgainst: string } };
    expect(privileged.remediation).toContain('Concrete remediation');
    expect(privileged.automation).toMatchObject({ stale: false, automatedAgainst: expect.stringContaining('V2R2') });
    // Rules without a check are never passed: not-checked, without evidence. Rules with one are decided (or error),
    // except checks not configured here (no trust server for the signed-image rules): not-checked, saying why.
    // The Docker STIG's checks (the PLM-… checks decide rules of Plimsoll's own benchmark, not assessed here).
    const automated = new Set(CHECKS.filter((c) => isDockerStigId(c.stigId)).map((c) => c.stigId));
    const unconfigured = new Set(CHECKS.filter((c) => isDockerStigId(c.stigId) && c.manualWhen !== undefined).map((c) => c.stigId));
    for (const r of results) {
      if (unconfigured.has(r.stigId)) expect({ stigId: r.stigId, status: r.status, why: /No trust server is configured/.test(r.message) }).toEqual({ stigId: r.stigId, status: 'NOT_CHECKED', why: true });
      else if (automated.has(r.stigId)) expect(r.status, r.stigId).not.toBe('NOT_CHECKED');
      else expect({ stigId: r.stigId, status: r.status, observations: r.observations.length }).toEqual({ stigId: r.stigId, status: 'NOT_CHECKED', observations: 0 });
    }
    const failed = results.filter((x) => x.status === 'FAIL').length;
    expect(run.summary).toMatchObject({ fail: failed, notChecked: 101 - automated.size + unconfigured.size });

    expect(run.resultsDownloadUrl).toBe(`/downloads/assessments/${run.assessmentId}/assessment-results.json`);
    const download = await app.gateway.servicesFor(await graphql.principal(AUDITOR)).downloads.open(run.resultsDownloadUrl);
    expect(download).toMatchObject({ contentType: 'application/json; charset=utf-8', fileName: `assessment-results-${run.assessmentId}.json` });
    const written = JSON.parse(download.body.toString('utf8')) as { 'assessment-results': { uuid: string; results: { findings: unknown[]; risks?: unknown[] }[] } };
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(written, 'assessment-results.json')).toEqual([]);
    expect(written['assessment-results'].results[0]?.findings).toHaveLength(101);
    expect(written['assessment-results'].results[0]?.risks).toHaveLength(failed);

    // The plan the results import: its download sits where their relative import-ap link resolves, with the sha256 they record.
    const ar = written['assessment-results'] as unknown as { 'import-ap': { href: string }; 'back-matter': { resources: { uuid: string; rlinks: { href: string; hashes: { value: string }[] }[] }[] } };
    const resource = ar['back-matter'].resources.find((r) => `#${r.uuid}` === ar['import-ap'].href)!;
    const planPath = new URL(resource.rlinks[0]!.href, `http://plimsoll.invalid${run.resultsDownloadUrl}`).pathname;
    expect(planPath).toBe(run.planDownloadUrl);
    expect(run.planDownloadUrl).toBe(`/downloads/assessments/${run.assessmentId}/assessment-plan.json`);
    const planDownload = await app.gateway.servicesFor(await graphql.principal(AUDITOR)).downloads.open(planPath);
    expect(planDownload).toMatchObject({ contentType: 'application/json; charset=utf-8', fileName: `assessment-plan-${run.assessmentId}.json` });
    expect(createHash('sha256').update(planDownload.body).digest('hex')).toBe(resource.rlinks[0]!.hashes[0]!.value);
    const plan = JSON.parse(planDownload.body.toString('utf8')) as { 'assessment-plan': { uuid: string } };
    expect(plan['assessment-plan'].uuid).toBe(resource.uuid);
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(plan, 'assessment-plan.json')).toEqual([]);

    const stored = await gql(AUDITOR, 'query($id: String!) { assessment(assessmentId: $id) { status resultsDocument results(filter: { status: FAIL }) { totalCount } } }', { id: run.assessmentId });
    expect(stored.data?.assessment.results.totalCount).toBe(failed);
    expect((await allResults(run.assessmentId, { status: 'FAIL' })).map((r) => r.stigId)).toEqual(results.filter((r) => r.status === 'FAIL').map((r) => r.stigId));
    expect(stored.data?.assessment.resultsDocument['assessment-results'].uuid).toBe(written['assessment-results'].uuid);
  });

  it('gives a clear error for an unreachable node and records the failed run', async () => {
    const missing = `unix://${path.join(dir, 'no-such-docker.sock')}`;
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [missing], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NODE_UNREACHABLE');
    expect(result.errors?.[0]?.message).toContain('no-such-docker.sock');
    const list = await gql(AUDITOR, '{ assessments(first: 1) { edges { node { status error } } } }');
    expect(list.data?.assessments.edges[0].node.status).toBe('FAILED');
  });

  it('refuses an unknown benchmark', async () => {
    const result = await gql(ASSESSOR, RUN, { i: { nodes: [daemon.endpoint], benchmark: 'No_Such_STIG' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(result.errors?.[0]?.message).toContain('No_Such_STIG');
  });
});
