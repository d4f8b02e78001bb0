/**
 * The library's GraphQL API on the wired application (src/main.ts over a SQLite file, reference content
 * from the mirror), executed in-process through Apollo: baselines (resolveProfile, baselinesSelecting,
 * control.baselines), benchmarkDiff, rulesForControl, baselineCoverage and the cursor-paginated searches;
 * plus the `resolve` and `diff-benchmark` commands over the same database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFor } from '../../src/checks/registry.js';
import { runCli } from '../../src/cli/program.js';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { createCliRuntime, openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir } from '../harness/content.js';
import { ADMIN, ASSESSOR, AUDITOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';

const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const LOW = rev501('NIST_SP-800-53_rev5_LOW-baseline_profile.json');
const MODERATE = rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');

let dir: string;
let dbFile: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
const docs: Record<'cci' | 'v2r1' | 'v2r2' | 'catalog', string> = { cci: '', v2r1: '', v2r2: '', catalog: '' };
let moderate: { documentId: string; title: string };
let low: { documentId: string; title: string };

const gql: InProcessGraphql['gql'] = (principal, query, variables) => graphql.gql(principal, query, variables);

beforeAll(async () => {
  dir = tempDir();
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  dbFile = path.join(dir, 'plimsoll.db');
  app = await openApp({ db: dbFile });
  graphql = await startInProcessGraphql(app);
  const files = [shared(...CCI_LIST), shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_JSON)];
  const imported = await gql(ASSESSOR, 'mutation($p: [ID!]!) { importDocuments(input: { uploadIds: $p }) { imports { documentId kind } } }', { p: await graphql.upload(ASSESSOR, ...files) });
  expect(imported.errors).toBeUndefined();
  [docs.cci, docs.v2r1, docs.v2r2, docs.catalog] = (imported.data?.importDocuments.imports as { documentId: string }[]).map((d) => d.documentId);
});

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('baselines over GraphQL', () => {
  const RESOLVE = 'mutation($p: ID!, $i: [ID!]) { resolveProfile(input: { uploadId: $p, importUploadIds: $i }) { documentId profileUuid title controlCount sources warnings { message } catalogDownloadUrl } }';
  const CATALOG_XML = rev501('NIST_SP-800-53_rev5_catalog.xml');

  it('refuses auditors, and names a missing upload, storing nothing', async () => {
    const [low] = await graphql.upload(ASSESSOR, LOW);
    const refused = await gql(AUDITOR, RESOLVE, { p: low });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const missing = path.join(dir, 'nope_profile.json');
    const result = await gql(ASSESSOR, RESOLVE, { p: missing });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Someone else's upload is no upload at all.
    const others = await gql(ADMIN, RESOLVE, { p: low });
    expect(others.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const notProfile = await gql(ASSESSOR, RESOLVE, { p: (await graphql.upload(ASSESSOR, shared(...CCI_LIST)))[0] });
    expect(notProfile.errors?.[0]?.extensions?.code).toBe('CONTENT_UNKNOWN_KIND');
    expect((await gql(AUDITOR, '{ baselines { totalCount edges { node { documentId } } } }')).data?.baselines).toEqual({ totalCount: 0, edges: [] });
    const log = await gql(ADMIN, '{ auditLog(first: 3) { edges { node { actor action outcome } } } }');
    expect(log.data?.auditLog.edges[0].node).toEqual({ actor: ASSESSOR.name, action: 'resolveProfile', outcome: 'FAILURE' });
  });

  it('resolves and stores LOW and MODERATE (their catalog uploaded with them); lists them, their controls, and which select a control', async () => {
    const [lowId, moderateId, catalogId] = await graphql.upload(ASSESSOR, LOW, MODERATE, CATALOG_XML);
    const l = await gql(ASSESSOR, RESOLVE, { p: lowId, i: [catalogId] });
    const m = await gql(ASSESSOR, RESOLVE, { p: moderateId, i: [catalogId] });
    expect([l.errors, m.errors]).toEqual([undefined, undefined]);
    low = l.data?.resolveProfile;
    moderate = m.data?.resolveProfile;
    expect(l.data?.resolveProfile).toMatchObject({ controlCount: 149, sources: ['NIST_SP-800-53_rev5_catalog.xml'], warnings: [] });
    const download = await app.gateway.servicesFor(await graphql.principal(AUDITOR)).downloads.open(l.data?.resolveProfile.catalogDownloadUrl);
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(JSON.parse(download.body.toString('utf8')), 'download')).toEqual([]);
    expect(m.data?.resolveProfile.controlCount).toBe(287);

    const list = await gql(AUDITOR, '{ baselines { edges { node { title controlCount controls(first: 2) { totalCount edges { node { controlId title } } } } } } }');
    const baselines = list.data?.baselines.edges.map((e: { node: unknown }) => e.node);
    expect(baselines.map((b: { controlCount: number }) => b.controlCount)).toEqual([149, 287]);
    expect(baselines[0].controls.edges[0].node).toEqual({ controlId: 'ac-1', title: 'Policy and Procedures' });

    const titles = (c: { edges: { node: { title: string } }[] }) => c.edges.map((e) => e.node.title);
    const selecting = await gql(AUDITOR, '{ a: baselines(filter: { selectsControl: "ac-2.1" }) { edges { node { title } } } b: baselines(filter: { selectsControl: "ac-2" }) { edges { node { title } } } }');
    expect([titles(selecting.data?.a), titles(selecting.data?.b)]).toEqual([[moderate.title], [low.title, moderate.title]]);
    const control = await gql(AUDITOR, 'query($d: String!) { control(catalogDocumentId: $d, controlId: "ac-2") { id baselines { edges { node { documentId } } } } }', { d: docs.catalog });
    expect(control.data?.control.baselines.edges.map((e: { node: unknown }) => e.node)).toEqual([{ documentId: low.documentId }, { documentId: moderate.documentId }]);
    expect((await gql(AUDITOR, 'query($id: String!) { baseline(ref: $id) { documentId } }', { id: '8742196d-86ba-4e72-a411-28867dab43bb' })).data?.baseline).toEqual({ documentId: low.documentId });
    const refetch = 'query($id: ID!) { node(id: $id) { __typename ... on Baseline { documentId } ... on Profile { documentId } ... on CciList { contentId } } }';
    const ids = await gql(AUDITOR, 'query($d: String!) { baseline(ref: $d) { id } documents(filter: { kind: CCI_LIST }) { edges { node { id } } } profiles: documents(filter: { kind: PROFILE }, first: 1) { edges { node { id } } } }', { d: low.documentId });
    expect((await gql(AUDITOR, refetch, { id: ids.data?.baseline.id })).data?.node).toEqual({ __typename: 'Baseline', documentId: low.documentId });
    expect((await gql(AUDITOR, refetch, { id: ids.data?.profiles.edges[0].node.id })).data?.node).toEqual({ __typename: 'Profile', documentId: low.documentId });
    expect((await gql(AUDITOR, refetch, { id: ids.data?.documents.edges[0].node.id })).data?.node).toEqual({ __typename: 'CciList', contentId: 'cci-list' });
    const profiles = await gql(AUDITOR, '{ documents(filter: { kind: PROFILE }) { edges { node { __typename contentId ... on Profile { baseline { controlCount } } } } } }');
    expect(profiles.data?.documents.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { __typename: 'Profile', contentId: '8742196d-86ba-4e72-a411-28867dab43bb', baseline: { controlCount: 149 } },
      { __typename: 'Profile', contentId: expect.any(String), baseline: { controlCount: 287 } },
    ]);
  });

  it('reports the coverage of a baseline by the stored benchmarks, as the coverage service computes it', async () => {
    const q = 'query($b: String!, $k: String) { baselineCoverage(baseline: $b, benchmark: $k) { totalControls coveredControls automatedControls manualOnlyControls uncoveredControls coveredRatio ruleCount automatedRuleCount controls(first: 100) { totalCount edges { node { controlId automatedRules manualRules } } } } }';
    const result = await gql(AUDITOR, q, { b: moderate.documentId, k: docs.v2r2 });
    expect(result.errors).toBeUndefined();
    const direct = await app.services.coverage.baselineCoverage(moderate.documentId, { benchmark: docs.v2r2 });
    const c = result.data?.baselineCoverage;
    expect(c).toMatchObject({ totalControls: 287, coveredControls: direct.coveredControls, automatedControls: direct.automatedControls, ruleCount: direct.ruleCount });
    expect(c.coveredRatio).toBeCloseTo(direct.coveredControls / 287, 10);
    expect(c.coveredControls + c.uncoveredControls).toBe(287);
    expect(c.automatedControls).toBeGreaterThan(0);
    expect(c.controls.totalCount).toBe(direct.controls.length);
    const rows: { controlId: string; automatedRules: number }[] = [];
    const PAGE = 'query($b: String!, $k: String, $a: String) { baselineCoverage(baseline: $b, benchmark: $k) { controls(first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { controlId automatedRules } } } } }';
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard += 1) {
      const page: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { controlId: string; automatedRules: number } }[] } = (await gql(AUDITOR, PAGE, { b: moderate.documentId, k: docs.v2r2, a: after })).data?.baselineCoverage.controls;
      rows.push(...page.edges.map((e: { node: { controlId: string; automatedRules: number } }) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(rows.map((r) => r.controlId)).toEqual(direct.controls.map((x) => x.controlId));
    expect(rows.find((x) => x.controlId === 'cm-7')!.automatedRules).toBeGreaterThan(0);
    const unknown = await gql(AUDITOR, q, { b: 'nope' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('STIG releases, CCI reverse queries and search over GraphQL', () => {
  it('diffs an uploaded release against a stored one; a side is a reference or an upload, not both', async () => {
    const [v2r1] = await graphql.upload(ASSESSOR, shared(...DOCKER_STIG_V2R1));
    const q = 'query($o: String, $ou: ID, $n: String) { benchmarkDiff(old: $o, oldUploadId: $ou, new: $n) { old { release source } added { edges { node { stigId } } } } }';
    const result = await gql(ASSESSOR, q, { ou: v2r1, n: docs.v2r2 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.benchmarkDiff).toEqual({ old: { release: '1', source: path.basename(shared(...DOCKER_STIG_V2R1)) }, added: { edges: [{ node: { stigId: 'DKER-EE-999999' } }] } });
    expect((await gql(ASSESSOR, q, { o: docs.v2r1, ou: v2r1, n: docs.v2r2 })).errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect((await gql(ASSESSOR, q, { o: shared(...DOCKER_STIG_V2R1), n: docs.v2r2 })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('diffs V2R1 and V2R2 by document id', async () => {
    const result = await gql(AUDITOR, 'query($o: String!, $n: String!) { benchmarkDiff(old: $o, new: $n) { old { release ruleCount } new { release ruleCount } added { totalCount edges { node { stigId severity } } } removed { totalCount } changed { totalCount edges { node { stigId changes carriesOver } } } unchangedCount carriedOverCount } }', { o: docs.v2r1, n: docs.v2r2 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.benchmarkDiff).toEqual({
      old: { release: '1', ruleCount: 100 }, new: { release: '2', ruleCount: 101 },
      added: { totalCount: 1, edges: [{ node: { stigId: 'DKER-EE-999999', severity: 'HIGH' } }] }, removed: { totalCount: 0 }, changed: { totalCount: 0, edges: [] }, unchangedCount: 100, carriedOverCount: 100,
    });
    const bad = await gql(AUDITOR, '{ benchmarkDiff(old: "nope", new: "Docker_Enterprise_2-x_Linux-UNIX_STIG") { unchangedCount } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lists the rules of both releases that evidence cm-7, automated where a check exists', async () => {
    const result = await gql(AUDITOR, '{ rulesForControl(controlId: "cm-7", first: 100) { totalCount edges { node { benchmarkId benchmarkRelease automated ccis statementIds rule { stigId benchmarkDocumentId } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.rulesForControl.totalCount).toBeLessThanOrEqual(100);
    const rows = result.data?.rulesForControl.edges.map((e: { node: unknown }) => e.node) as { benchmarkRelease: string; automated: boolean; statementIds: string[]; rule: { stigId: string; benchmarkDocumentId: string } }[];
    const direct = await app.services.coverage.rulesForControl('cm-7');
    expect(rows.map((r) => r.rule.stigId)).toEqual(direct.map((e) => e.rule.stigId));
    expect(rows.filter((r) => r.benchmarkRelease === '2').length).toBe(rows.filter((r) => r.benchmarkRelease === '1').length);
    const hostNetwork = rows.find((r) => r.rule.stigId === 'DKER-EE-002000' && r.rule.benchmarkDocumentId === docs.v2r2)!;
    expect(hostNetwork.statementIds).toContain('cm-7_smt.a');
    for (const r of rows) expect(r.automated).toBe(checkFor(r.rule.stigId) !== undefined);
  });

  it('pages through searchControls with opaque cursors, filtered by family and baseline', async () => {
    const Q = 'query($q: String, $f: String, $b: String, $first: Int, $after: String) { searchControls(filter: { query: $q, family: $f, baseline: $b }, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { controlId groupId catalogDocumentId } } } }';
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const page = await gql(AUDITOR, Q, { f: 'ac', b: moderate.documentId, first: 10, ...(after ? { after } : {}) });
      expect(page.errors).toBeUndefined();
      const conn = page.data?.searchControls;
      total = conn.totalCount;
      seen.push(...conn.edges.map((e: { node: { controlId: string; groupId: string; catalogDocumentId: string } }) => (expect(e.node.groupId).toBe('ac'), expect(e.node.catalogDocumentId).toBe(moderate.documentId), e.node.controlId)));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    const moderateAc = (await app.services.library.listControls(moderate.documentId, {})).items.filter((c) => c.groupId === 'ac');
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.filter((id) => !id.includes('.'))).toEqual(moderateAc.map((c) => c.id));

    const best = await gql(AUDITOR, Q, { q: 'account management', first: 1 });
    expect(best.data?.searchControls.edges[0].node.controlId).toBe('ac-2');
    const bad = await gql(AUDITOR, Q, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });

  it('searches rules by words, severity and benchmark; a benchmark pages its rules with cursors', async () => {
    const result = await gql(AUDITOR, 'query($b: String) { searchRules(filter: { query: "privileged", severity: HIGH, benchmark: $b }, first: 50) { totalCount edges { node { stigId severity benchmarkDocumentId } } } }', { b: docs.v2r2 });
    expect(result.errors).toBeUndefined();
    const conn = result.data?.searchRules;
    expect(conn.totalCount).toBe(conn.edges.length);
    expect(conn.edges.map((e: { node: { stigId: string } }) => e.node.stigId)).toEqual(expect.arrayContaining(['DKER-EE-002080', 'DKER-EE-002150']));
    for (const e of conn.edges) expect(e.node).toMatchObject({ severity: 'HIGH', benchmarkDocumentId: docs.v2r2 });
    const RULES = 'query($d: String!, $a: String) { benchmark(ref: $d) { rules(first: 60, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { stigId } } } } }';
    const first = (await gql(AUDITOR, RULES, { d: docs.v2r2, a: null })).data?.benchmark.rules;
    const second = (await gql(AUDITOR, RULES, { d: docs.v2r2, a: first.pageInfo.endCursor })).data?.benchmark.rules;
    expect([first.totalCount, first.edges.length, first.pageInfo.hasNextPage, second.edges.length, second.pageInfo.hasNextPage]).toEqual([101, 60, true, 41, false]);
    const all = [...first.edges, ...second.edges].map((e: { node: { stigId: string } }) => e.node.stigId);
    expect(all).toEqual((await app.services.library.listRules(docs.v2r2)).items.map((r) => r.stigId));
  });
});

describe('resolve and diff-benchmark commands', () => {
  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, createCliRuntime(), { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('resolve writes a schema-valid resolved catalog; a missing profile exits 2 naming it', async () => {
    const out = path.join(dir, 'moderate-resolved.json');
    const ok = await run(['resolve', MODERATE, '--out', out, '--db', dbFile]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain(`287 controls and enhancements`);
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as unknown;
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(written, out)).toEqual([]);
    const missing = path.join(dir, 'missing_profile.json');
    const bad = await run(['resolve', missing, '--out', out, '--db', dbFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`error[CONTENT_MISSING]: ${missing}`);
  });

  it('diff-benchmark compares files or stored ids, as text or JSON', async () => {
    const text = await run(['diff-benchmark', shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2), '--db', dbFile]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('1 added, 0 removed, 0 changed, 100 unchanged');
    const json = await run(['diff-benchmark', docs.v2r1, docs.v2r2, '--json', '--db', dbFile]);
    expect(JSON.parse(json.out)).toMatchObject({ added: [{ stigId: 'DKER-EE-999999' }], removed: [], changed: [] });
    const usage = await run(['diff-benchmark', docs.v2r1]);
    expect(usage.code).toBe(2);
  });
});
