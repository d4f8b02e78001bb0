/**
 * The GraphQL API in-process (ApolloServer.executeOperation) over in-memory services: browsing, roles,
 * the audit of every mutation (refusals included) and the mapping of errors to public codes.
 */
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import type { GraphQLContext } from '../../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { ADMIN, ASSESSOR, AUDITOR, BENCHMARK_ID, CATALOG_ID, XCCDF_ID, fakeServices, type FakeServices } from './fakes.js';

interface GqlError {
  message: string;
  extensions?: { code?: string; problems?: Record<string, unknown>[] };
}
interface GqlResult {
  data?: Record<string, any> | null;
  errors?: GqlError[];
}

let apollo: ApolloServer<GraphQLContext>;
let services: FakeServices;
const logged: unknown[] = [];

async function gql(principal: Principal | undefined, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const contextValue: GraphQLContext = { services, requestId: 'req-1', ...(principal ? { principal } : {}) };
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as GqlResult;
}

const codeOf = (r: GqlResult): string | undefined => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  apollo = createApolloServer(await buildPlimsollSchema(), { logError: (_message, error) => logged.push(error) });
  await apollo.start();
});
afterAll(async () => {
  await apollo.stop();
});
beforeEach(() => {
  services = fakeServices();
  logged.length = 0;
});

describe('browsing the library', () => {
  it('walks catalog → groups → controls (paged) → enhancements, with params and nested parts', async () => {
    const r = await gql(AUDITOR, `query($id: String!) {
      catalogs { documentId }
      catalog(documentId: $id) {
        id title oscalVersion counts { name value }
        groups { id class groups { id title } controls(first: 1, offset: 1) { total items { id title links { href rel } enhancements { id parentControlId class } } } }
      }
      control(catalogDocumentId: $id, id: "ac-1") {
        params { id label guidelines values select { howMany choice } }
        parts { id name parts { id prose parts { id prose } } }
      }
    }`, { id: CATALOG_ID });
    expect(r.errors).toBeUndefined();
    expect(r.data?.catalogs).toEqual([{ documentId: CATALOG_ID }]);
    const catalog = r.data?.catalog;
    expect(catalog).toMatchObject({ id: '11111111-2222-3333-4444-555555555555', oscalVersion: '1.0.0' });
    expect(catalog.counts).toEqual([{ name: 'controls', value: 3 }, { name: 'groups', value: 2 }]);
    expect(catalog.groups).toEqual([
      {
        id: 'ac',
        class: 'family',
        groups: [{ id: 'ac-sub', title: 'Nested group' }],
        controls: { total: 2, items: [{ id: 'ac-2', title: 'Account Management', links: [{ href: '#ac-3', rel: 'related' }], enhancements: [{ id: 'ac-2.1', parentControlId: 'ac-2', class: 'SP800-53-enhancement' }] }] },
      },
    ]);
    const ac1 = r.data?.control;
    expect(ac1.params[1]).toEqual({ id: 'ac-01_odp.02', label: null, guidelines: [], values: [], select: { howMany: 'one-or-more', choice: ['organization-level', 'system-level'] } });
    expect(ac1.params[0].guidelines).toEqual(['personnel or roles to which the policy is disseminated']);
    expect(ac1.parts[0].parts[0].parts[0]).toEqual({ id: 'ac-1_smt.a.1', prose: 'that addresses purpose' });
  });

  it('answers null for a catalog id that names another kind of document or nothing', async () => {
    const r = await gql(AUDITOR, `{ a: catalog(documentId: "${BENCHMARK_ID}") { id } b: catalog(documentId: "nope") { id } c: control(catalogDocumentId: "${CATALOG_ID}", id: "zz-9") { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ a: null, b: null, c: null });
  });

  it('walks benchmark (by XCCDF id) → rules (severity filter, paging) → 800-53 controls through the CCIs', async () => {
    const r = await gql(AUDITOR, `query($ref: String!) {
      benchmark(ref: $ref) {
        documentId release releaseDate profiles { id ruleCount }
        all: rules { total }
        medium: rules(severity: "medium", first: 1, offset: 1) { total items { stigId } }
        high: rules(severity: "high") { items { stigId ccis legacyIds controls { cci index statementId resolved } } }
      }
      rule(benchmarkDocumentId: "${BENCHMARK_ID}", ref: "DKER-EE-001070") { ruleId groupId severity weight checkContentHash controls { statementId } }
    }`, { ref: XCCDF_ID });
    expect(r.errors).toBeUndefined();
    const b = r.data?.benchmark;
    expect(b).toMatchObject({ documentId: BENCHMARK_ID, release: '2', releaseDate: '2024-07-24', profiles: [{ id: 'MAC-1_Classified', ruleCount: 2 }] });
    expect(b.all.total).toBe(3);
    expect(b.medium).toEqual({ total: 2, items: [{ stigId: 'DKER-EE-999999' }] });
    expect(b.high.items).toEqual([{ stigId: 'DKER-EE-002000', ccis: ['CCI-000366'], legacyIds: ['V-92'], controls: [{ cci: 'CCI-000366', index: 'CM-6 b', statementId: 'cm-6_smt.b', resolved: true }] }]);
    expect(r.data?.rule).toEqual({ ruleId: 'SV-23581r1_rule', groupId: 'V-23581', severity: 'medium', weight: 10, checkContentHash: 'hash-1', controls: [{ statementId: 'cm-7_smt.a' }] });
  });

  it('lists documents of one kind and refuses an unknown kind with BAD_INPUT', async () => {
    const ok = await gql(AUDITOR, '{ documents(kind: "benchmark") { documentId } benchmarks { id } }');
    expect(ok.data).toEqual({ documents: [{ documentId: BENCHMARK_ID }], benchmarks: [{ id: XCCDF_ID }] });
    expect(codeOf(await gql(AUDITOR, '{ documents(kind: "spreadsheet") { id } }'))).toBe('BAD_INPUT');
  });
});

describe('authentication and roles', () => {
  it('refuses every query without a principal with UNAUTHENTICATED', async () => {
    for (const query of ['{ me { name } }', '{ catalogs { id } }', '{ nodes { id } }', '{ assessments { total } }']) {
      const r = await gql(undefined, query);
      expect(codeOf(r), query).toBe('UNAUTHENTICATED');
      expect(r.data).toBeNull();
    }
  });

  it('tells each principal who they are', async () => {
    expect((await gql(AUDITOR, '{ me { name role } }')).data?.me).toEqual({ name: 'bob-auditor', role: 'auditor' });
  });

  it('refuses an auditor an import with FORBIDDEN, never calls the service, and audits the refusal', async () => {
    const r = await gql(AUDITOR, 'mutation($p: [ID!]!) { importDocuments(uploadIds: $p) { documentId } }', { p: ['upload-catalog'] });
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(services.imports.calls).toHaveLength(0);
    expect(services.audit.records).toHaveLength(1);
    expect(services.audit.records[0]).toMatchObject({ actor: 'bob-auditor', role: 'auditor', action: 'importDocuments', outcome: 'failure' });
    expect(services.audit.records[0]!.target).toContain('upload-catalog');
    expect(services.audit.records[0]!.detail).toContain('FORBIDDEN');
  });

  it('refuses auditors and assessors the admin operations', async () => {
    for (const who of [AUDITOR, ASSESSOR]) {
      expect(codeOf(await gql(who, '{ auditLog { total } }'))).toBe('FORBIDDEN');
      expect(codeOf(await gql(who, '{ apiTokens { id } }'))).toBe('FORBIDDEN');
      expect(codeOf(await gql(who, 'mutation { createApiToken(name: "x", role: "admin") { secret } }'))).toBe('FORBIDDEN');
    }
    expect(codeOf(await gql(AUDITOR, 'mutation { removeNode(ref: "n") }'))).toBe('FORBIDDEN');
    expect(await services.auth.listTokens()).toHaveLength(0);
  });
});

describe('mutations and their audit records', () => {
  it('imports as an assessor and records the success; an admin reads the audit log', async () => {
    const r = await gql(ASSESSOR, 'mutation { importDocuments(uploadIds: ["up-a"]) { documentId kind file counts { name value } alreadyPresent } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.importDocuments).toEqual([{ documentId: 'doc-0', kind: 'catalog', file: 'up-a', counts: [{ name: 'controls', value: 2 }], alreadyPresent: false }]);
    expect(services.imports.calls[0]?.actor).toEqual(ASSESSOR);

    const log = await gql(ADMIN, '{ auditLog(first: 5) { total items { actor role action target outcome detail } } }');
    expect(log.data?.auditLog).toEqual({
      total: 1,
      items: [{ actor: 'alice-assessor', role: 'assessor', action: 'importDocuments', target: '{"uploadIds":["up-a"]}', outcome: 'success', detail: null }],
    });
  });

  it('maps a PlimsollError to its code and located problems, and audits the failure with the code', async () => {
    const r = await gql(ASSESSOR, 'mutation { importDocuments(uploadIds: ["bad-upload"]) { documentId } }');
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ message: 'bad-upload: not well-formed XML', extensions: { code: 'CONTENT_INVALID' } });
    expect(r.errors?.[0]?.extensions?.problems).toEqual([
      { file: 'bad-upload', line: 3, column: 7, message: 'unclosed tag' },
      { file: 'bad-upload', pointer: '/catalog/uuid', message: 'missing uuid' },
    ]);
    expect(services.audit.records[0]).toMatchObject({ action: 'importDocuments', outcome: 'failure' });
    expect(services.audit.records[0]!.detail).toContain('CONTENT_INVALID');
    expect(logged).toHaveLength(0);
  });

  it('hides unexpected errors as INTERNAL_SERVER_ERROR and hands the original to the logger', async () => {
    const r = await gql(ADMIN, 'mutation { importDocuments(uploadIds: ["boom-upload"]) { documentId } }');
    expect(r.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r)).not.toContain('/secret/path');
    expect(logged).toHaveLength(1);
    expect((logged[0] as Error).message).toBe('disk on fire at /secret/path');
    expect(services.audit.records[0]).toMatchObject({ outcome: 'failure', detail: 'INTERNAL_SERVER_ERROR' });
  });

  it('keeps Apollo codes for invalid operations', async () => {
    expect(codeOf(await gql(ADMIN, '{ catalogs { noSuchField } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await gql(ADMIN, 'query($p: Int!) { assessments(first: $p) { total } }', { p: 'x' }))).toBe('BAD_USER_INPUT');
  });

  it('creates a token once with its secret, lists and revokes it, never writing the secret to the audit log', async () => {
    const created = await gql(ADMIN, 'mutation { createApiToken(name: "ci", role: "assessor") { secret token { id name role revokedAt } } }');
    expect(created.errors).toBeUndefined();
    const { secret, token } = created.data?.createApiToken;
    expect(secret).toMatch(/^plm_secret_/);
    expect(token).toMatchObject({ name: 'ci', role: 'assessor', revokedAt: null });
    expect(await services.auth.authenticate(secret)).toMatchObject({ name: 'ci', role: 'assessor' });

    expect((await gql(ADMIN, '{ apiTokens { id name } }')).data?.apiTokens).toEqual([{ id: token.id, name: 'ci' }]);
    expect((await gql(ADMIN, `mutation { revokeApiToken(id: "${token.id}") }`)).data?.revokeApiToken).toBe(true);
    expect(await services.auth.authenticate(secret)).toBeUndefined();
    expect(codeOf(await gql(ADMIN, 'mutation { createApiToken(name: "x", role: "root") { secret } }'))).toBe('BAD_INPUT');

    expect(services.audit.records.map((a) => `${a.action}:${a.outcome}`)).toEqual(['createApiToken:failure', 'revokeApiToken:success', 'createApiToken:success']);
    expect(JSON.stringify(services.audit.records)).not.toContain(secret);
  });

  it('registers, lists, finds and removes nodes; a duplicate gives CONFLICT', async () => {
    const input = { name: 'edge-1', endpoint: 'tcp://10.0.0.5:2376', labels: [{ key: 'env', value: 'prod' }], tls: { caUploadId: 'u-ca', certUploadId: 'u-cert', keyUploadId: 'u-key' } };
    const reg = await gql(ASSESSOR, 'mutation($i: RegisterNodeInput!) { registerNode(input: $i) { id name tls labels { key value } } }', { i: input });
    expect(reg.data?.registerNode).toEqual({ id: 'node-1', name: 'edge-1', tls: true, labels: [{ key: 'env', value: 'prod' }] });
    expect(codeOf(await gql(ASSESSOR, 'mutation($i: RegisterNodeInput!) { registerNode(input: $i) { id } }', { i: input }))).toBe('CONFLICT');
    expect((await gql(AUDITOR, '{ nodes { name } node(ref: "tcp://10.0.0.5:2376") { id } }')).data).toEqual({ nodes: [{ name: 'edge-1' }], node: { id: 'node-1' } });
    expect((await gql(ADMIN, 'mutation { removeNode(ref: "edge-1") }')).data?.removeNode).toBe(true);
    expect(codeOf(await gql(ADMIN, 'mutation { removeNode(ref: "edge-1") }'))).toBe('NOT_FOUND');
    expect(services.audit.records.map((a) => `${a.actor}:${a.action}:${a.outcome}`)).toEqual([
      'carol-admin:removeNode:failure',
      'carol-admin:removeNode:success',
      'alice-assessor:registerNode:failure',
      'alice-assessor:registerNode:success',
    ]);
  });
});

describe('assessments', () => {
  it('runs an assessment and reads its summary, filtered results with evidence, and the results document', async () => {
    await services.nodes.register({ name: 'edge-1', endpoint: 'unix:///var/run/docker.sock' });
    const run = await gql(ASSESSOR, `mutation { runAssessment(input: { nodes: ["edge-1"], benchmark: "${XCCDF_ID}", profileId: "MAC-1_Classified" }) {
      id status benchmarkDocumentId benchmarkRelease profileId nodeIds startedBy summary { pass fail failedMedium failedHigh }
    } }`);
    expect(run.errors).toBeUndefined();
    expect(run.data?.runAssessment).toEqual({
      id: 'run-1', status: 'completed', benchmarkDocumentId: BENCHMARK_ID, benchmarkRelease: '2', profileId: 'MAC-1_Classified', nodeIds: ['node-1'], startedBy: 'alice-assessor',
      summary: { pass: 1, fail: 1, failedMedium: 1, failedHigh: 0 },
    });

    const read = await gql(AUDITOR, `{
      assessments(first: 10) { total items { id } }
      assessment(id: "run-1") {
        failed: results(status: "fail") { stigId status controlIds observations { targetKind targetName field value expected verdict collectedAt } }
        all: results { status observations { value } }
        resultsDocument
      }
      missing: assessment(id: "run-9") { id }
    }`);
    expect(read.errors).toBeUndefined();
    expect(read.data?.assessments).toEqual({ total: 1, items: [{ id: 'run-1' }] });
    const a = read.data?.assessment;
    expect(a.failed).toEqual([
      { stigId: 'DKER-EE-001070', status: 'fail', controlIds: ['cm-7_smt.a'], observations: [{ targetKind: 'container', targetName: 'web', field: 'HostConfig.Privileged', value: true, expected: 'false', verdict: 'fail', collectedAt: '2026-01-02T03:04:05.000Z' }] },
    ]);
    expect(a.all.map((r: { status: string }) => r.status)).toEqual(['fail', 'pass']);
    expect(a.all[1].observations[0].value).toEqual(['no-new-privileges']);
    expect(a.resultsDocument).toEqual({ 'assessment-results': { uuid: 'run-1', results: [{ findings: 1 }] } });
    expect(read.data?.missing).toBeNull();
  });

  it('refuses auditors a run with FORBIDDEN and reports a missing benchmark as NOT_FOUND', async () => {
    const q = 'mutation($b: String!) { runAssessment(input: { nodes: [], benchmark: $b }) { id } }';
    expect(codeOf(await gql(AUDITOR, q, { b: XCCDF_ID }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(ADMIN, q, { b: 'no-such-benchmark' }))).toBe('NOT_FOUND');
    expect(services.assessments.runs).toHaveLength(0);
    expect(services.audit.records.map((r) => `${r.role}:${r.action}:${r.outcome}`)).toEqual(['admin:runAssessment:failure', 'auditor:runAssessment:failure']);
  });
});
