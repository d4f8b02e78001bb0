/**
 * The GraphQL API in-process (ApolloServer.executeOperation) over in-memory services: browsing, roles,
 * the audit of every mutation (refusals included) and the mapping of errors to public codes.
 */
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import { toGlobalId } from '../../../src/graphql/relay/global-id.js';
import { contextFor, type GraphQLContext } from '../../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { ADMIN, ASSESSOR, AUDITOR, BENCHMARK_ID, CATALOG_ID, XCCDF_ID, fakeGateway, fakeServices, type FakeServices } from './fakes.js';

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
  const contextValue = contextFor(fakeGateway(services), principal ?? { anonymous: true, reason: 'no bearer token' }, 'req-1');
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

const nodesOf = (connection: { edges: { node: any }[] }): any[] => connection.edges.map((e) => e.node);

describe('browsing the library', () => {
  it('walks catalog → groups → controls (paged both ways) → enhancements, with params and nested parts', async () => {
    const r = await gql(AUDITOR, `query($id: String!) {
      catalogs { totalCount edges { node { documentId } } }
      catalog(documentId: $id) {
        contentId title oscalVersion counts { name value }
        groups { edges { node {
          groupId class
          groups { edges { node { groupId title } } }
          first: controls(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { controlId } } }
          last: controls(last: 1) { pageInfo { hasNextPage hasPreviousPage } edges { node { controlId title links { href rel } enhancements { edges { node { controlId parentControlId class } } } } } }
        } } }
      }
      control(catalogDocumentId: $id, controlId: "ac-1") {
        params { paramId label guidelines values select { howMany choice } }
        parts { partId name parts { partId prose parts { partId prose } } }
      }
    }`, { id: CATALOG_ID });
    expect(r.errors).toBeUndefined();
    expect(r.data?.catalogs).toEqual({ totalCount: 1, edges: [{ node: { documentId: CATALOG_ID } }] });
    const catalog = r.data?.catalog;
    expect(catalog).toMatchObject({ contentId: '11111111-2222-3333-4444-555555555555', oscalVersion: '1.0.0' });
    expect(catalog.counts).toEqual([{ name: 'controls', value: 3 }, { name: 'groups', value: 2 }]);
    const [ac] = nodesOf(catalog.groups);
    expect(ac).toMatchObject({ groupId: 'ac', class: 'family', groups: { edges: [{ node: { groupId: 'ac-sub', title: 'Nested group' } }] } });
    expect(ac.first).toEqual({ totalCount: 2, pageInfo: { hasNextPage: true, hasPreviousPage: false }, edges: [{ node: { controlId: 'ac-1' } }] });
    expect(ac.last.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(nodesOf(ac.last)).toEqual([
      { controlId: 'ac-2', title: 'Account Management', links: [{ href: '#ac-3', rel: 'related' }], enhancements: { edges: [{ node: { controlId: 'ac-2.1', parentControlId: 'ac-2', class: 'SP800-53-enhancement' } }] } },
    ]);
    const ac1 = r.data?.control;
    expect(ac1.params[1]).toEqual({ paramId: 'ac-01_odp.02', label: null, guidelines: [], values: [], select: { howMany: 'ONE_OR_MORE', choice: ['organization-level', 'system-level'] } });
    expect(ac1.params[0].guidelines).toEqual(['personnel or roles to which the policy is disseminated']);
    expect(ac1.parts[0].parts[0].parts[0]).toEqual({ partId: 'ac-1_smt.a.1', prose: 'that addresses purpose' });
  });

  it('answers null for a catalog id that names another kind of document or nothing', async () => {
    const r = await gql(AUDITOR, `{ a: catalog(documentId: "${BENCHMARK_ID}") { id } b: catalog(documentId: "nope") { id } c: control(catalogDocumentId: "${CATALOG_ID}", controlId: "zz-9") { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ a: null, b: null, c: null });
  });

  it('walks benchmark (by XCCDF id) → rules (severity filter, paging) → 800-53 controls through the CCIs', async () => {
    const r = await gql(AUDITOR, `query($ref: String!) {
      benchmark(ref: $ref) {
        documentId release releaseDate profiles { profileId ruleCount }
        all: rules { totalCount }
        medium: rules(filter: { severity: MEDIUM }, first: 1) { totalCount pageInfo { endCursor } edges { node { stigId } } }
        high: rules(filter: { severity: HIGH }) { edges { node { stigId severity ccis legacyIds controls { cci index revision statementId resolved } } } }
      }
      rule(benchmarkDocumentId: "${BENCHMARK_ID}", ref: "DKER-EE-001070") { ruleId groupId severity weight checkContentHash controls { statementId } }
    }`, { ref: XCCDF_ID });
    expect(r.errors).toBeUndefined();
    const b = r.data?.benchmark;
    expect(b).toMatchObject({ documentId: BENCHMARK_ID, release: '2', releaseDate: '2024-07-24', profiles: [{ profileId: 'MAC-1_Classified', ruleCount: 2 }] });
    expect(b.all.totalCount).toBe(3);
    expect(b.medium).toMatchObject({ totalCount: 2, edges: [{ node: { stigId: 'DKER-EE-001070' } }] });
    const next = await gql(AUDITOR, 'query($ref: String!, $after: String!) { benchmark(ref: $ref) { rules(filter: { severity: MEDIUM }, first: 1, after: $after) { pageInfo { hasNextPage } edges { node { stigId } } } } }', { ref: XCCDF_ID, after: b.medium.pageInfo.endCursor });
    expect(next.data?.benchmark.rules).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { stigId: 'DKER-EE-999999' } }] });
    expect(nodesOf(b.high)).toEqual([{ stigId: 'DKER-EE-002000', severity: 'HIGH', ccis: ['CCI-000366'], legacyIds: ['V-92'], controls: [{ cci: 'CCI-000366', index: 'CM-6 b', revision: 5, statementId: 'cm-6_smt.b', resolved: true }] }]);
    expect(r.data?.rule).toEqual({ ruleId: 'SV-23581r1_rule', groupId: 'V-23581', severity: 'MEDIUM', weight: 10, checkContentHash: 'hash-1', controls: [{ statementId: 'cm-7_smt.a' }] });
  });

  it('lists documents of one kind as their concrete types and refuses an unknown kind', async () => {
    const ok = await gql(AUDITOR, '{ documents(filter: { kind: BENCHMARK }) { edges { node { __typename documentId kind ... on Benchmark { profiles { profileId } } } } } benchmarks { edges { node { contentId } } } all: documents { edges { node { __typename } } } }');
    expect(ok.errors).toBeUndefined();
    expect(nodesOf(ok.data?.documents)).toEqual([{ __typename: 'Benchmark', documentId: BENCHMARK_ID, kind: 'BENCHMARK', profiles: [{ profileId: 'MAC-1_Classified' }] }]);
    expect(nodesOf(ok.data?.benchmarks)).toEqual([{ contentId: XCCDF_ID }]);
    expect(nodesOf(ok.data?.all).map((d) => d.__typename)).toEqual(['Catalog', 'CciList', 'Benchmark']);
    expect(codeOf(await gql(AUDITOR, '{ documents(filter: { kind: SPREADSHEET }) { totalCount } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('object identification', () => {
  it('refetches every kind of node by its global id, and refuses a forged or foreign id', async () => {
    await services.nodes.register({ name: 'edge-1', endpoint: 'unix:///var/run/docker.sock' });
    await gql(ASSESSOR, `mutation { runAssessment(input: { nodes: ["edge-1"], benchmark: "${XCCDF_ID}" }) { id } }`);
    const ids = await gql(ADMIN, `{
      catalog(documentId: "${CATALOG_ID}") { id }
      benchmark(ref: "${XCCDF_ID}") { id rules(first: 1) { edges { node { id stigId } } } }
      control(catalogDocumentId: "${CATALOG_ID}", controlId: "ac-2") { id }
      dockerNode(ref: "edge-1") { id }
      assessments { edges { node { id assessmentId } } }
    }`);
    expect(ids.errors).toBeUndefined();
    const d = ids.data!;
    const refetch = async (id: string, who: Principal = AUDITOR) => (await gql(who, 'query($id: ID!) { node(id: $id) { __typename id ... on Rule { stigId } ... on Control { controlId } ... on DockerNode { name } ... on Assessment { assessmentId } ... on Document { documentId } } }', { id }));
    expect((await refetch(d.catalog.id)).data?.node).toEqual({ __typename: 'Catalog', id: d.catalog.id, documentId: CATALOG_ID });
    expect((await refetch(d.benchmark.id)).data?.node).toMatchObject({ __typename: 'Benchmark', documentId: BENCHMARK_ID });
    expect((await refetch(d.benchmark.rules.edges[0].node.id)).data?.node).toMatchObject({ __typename: 'Rule', stigId: 'DKER-EE-001070' });
    expect((await refetch(d.control.id)).data?.node).toMatchObject({ __typename: 'Control', controlId: 'ac-2' });
    expect((await refetch(d.dockerNode.id)).data?.node).toMatchObject({ __typename: 'DockerNode', name: 'edge-1' });
    expect((await refetch(d.assessments.edges[0].node.id)).data?.node).toMatchObject({ __typename: 'Assessment', assessmentId: 'run-1' });
    expect((await refetch(toGlobalId('Control', CATALOG_ID, 'zz-9'))).data?.node).toBeNull();
    expect(codeOf(await refetch('not-an-id'))).toBe('BAD_INPUT');
    expect(codeOf(await refetch(toGlobalId('ApiToken', 'tok-1')))).toBe('FORBIDDEN');
    // A node id where an exemption id is needed is refused before any service call.
    expect(codeOf(await gql(ADMIN, 'mutation($id: ID!) { approveExemption(input: { id: $id }) { id } }', { id: d.dockerNode.id }))).toBe('BAD_INPUT');
  });
});

describe('authentication and roles', () => {
  it('refuses every query without a principal with UNAUTHENTICATED', async () => {
    for (const query of ['{ me { name } }', '{ catalogs { totalCount } }', '{ dockerNodes { totalCount } }', '{ assessments { totalCount } }']) {
      const r = await gql(undefined, query);
      expect(codeOf(r), query).toBe('UNAUTHENTICATED');
      expect(r.data ?? null).toBeNull();
    }
  });

  it('tells each principal who they are, and lists the error codes', async () => {
    expect((await gql(AUDITOR, '{ me { name role } }')).data?.me).toEqual({ name: 'bob-auditor', role: 'AUDITOR' });
    const codes = (await gql(AUDITOR, '{ errorCodes { code description } }')).data?.errorCodes as { code: string; description: string }[];
    expect(codes.map((c) => c.code)).toEqual(expect.arrayContaining(['FORBIDDEN_SEPARATION_OF_DUTIES', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'INTERNAL_SERVER_ERROR']));
    expect(codes.every((c) => c.description.length > 20)).toBe(true);
  });

  it('refuses an auditor an import with FORBIDDEN, never calls the service, and audits the refusal', async () => {
    const r = await gql(AUDITOR, 'mutation($p: [ID!]!) { importDocuments(input: { uploadIds: $p }) { imports { documentId } } }', { p: ['upload-catalog'] });
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(services.imports.calls).toHaveLength(0);
    expect(services.audit.records).toHaveLength(1);
    expect(services.audit.records[0]).toMatchObject({ actor: 'bob-auditor', role: 'auditor', action: 'importDocuments', outcome: 'failure' });
    expect(services.audit.records[0]!.target).toContain('upload-catalog');
    expect(services.audit.records[0]!.detail).toContain('FORBIDDEN');
  });

  it('audits mutations of anonymous callers with the reason, before anything runs', async () => {
    const r = await gql(undefined, `mutation { createApiToken(input: { name: "x", role: ADMIN }) { secret } removeDockerNode(input: { id: "${toGlobalId('DockerNode', 'n')}" }) { removedId } }`);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors).toHaveLength(1);
    expect(services.audit.records.map((a) => `${a.actor}:${a.action}:${a.outcome}:${a.detail}`).sort()).toEqual([
      'anonymous:createApiToken:failure:UNAUTHENTICATED: no bearer token',
      'anonymous:removeDockerNode:failure:UNAUTHENTICATED: no bearer token',
    ]);
    expect(services.audit.records[0]!.role).toBeUndefined();
    // Even when the document does not parse or validate, an anonymous caller learns only UNAUTHENTICATED.
    expect(codeOf(await gql(undefined, 'mutation { removeDockerNode(input: '))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(undefined, 'mutation { noSuchMutation }'))).toBe('UNAUTHENTICATED');
    expect(services.audit.records.slice(0, 2).map((a) => `${a.actor}:${a.action}`)).toEqual(['anonymous:noSuchMutation', 'anonymous:(unparsed mutation)']);
    // Queries of anonymous callers are refused but not audited (nothing was changed or attempted).
    await gql(undefined, '{ dockerNodes { totalCount } }');
    expect(services.audit.records).toHaveLength(4);
  });

  it('audits mutations that fail validation or variable coercion, with the code', async () => {
    expect(codeOf(await gql(ASSESSOR, 'mutation { removeDockerNode(input: { id: "n" }) { nope } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await gql(ASSESSOR, 'mutation($r: ID!) { removeDockerNode(input: { id: $r }) { removedId } }', { r: true }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(ASSESSOR, 'mutation M { ...F } fragment F on Mutation { removeDockerNode(input: { id: true }) { removedId } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(services.audit.records.map((a) => `${a.actor}:${a.action}:${a.outcome}:${a.detail?.split(':')[0]}`)).toEqual([
      'alice-assessor:removeDockerNode:failure:GRAPHQL_VALIDATION_FAILED',
      'alice-assessor:removeDockerNode:failure:BAD_USER_INPUT',
      'alice-assessor:removeDockerNode:failure:GRAPHQL_VALIDATION_FAILED',
    ]);
    // A query is not a mutation attempt.
    await gql(ASSESSOR, '{ dockerNodes { nope } }');
    expect(services.audit.records).toHaveLength(3);
  });

  it('audits a mutation refused before any service call (bad input in the resolver) exactly once', async () => {
    expect(codeOf(await gql(ADMIN, 'mutation { revokeApiToken(input: { id: "forged" }) { revokedId } }'))).toBe('BAD_INPUT');
    expect(services.audit.records.map((a) => `${a.actor}:${a.action}:${a.outcome}:${a.detail}`)).toEqual([
      'carol-admin:revokeApiToken:failure:BAD_INPUT: "forged" is not a Plimsoll id: pass the `id` field of an object the API returned',
    ]);
  });

  it('refuses auditors and assessors the admin operations', async () => {
    for (const who of [AUDITOR, ASSESSOR]) {
      expect(codeOf(await gql(who, '{ auditLog { totalCount } }'))).toBe('FORBIDDEN');
      expect(codeOf(await gql(who, '{ users { totalCount } }'))).toBe('FORBIDDEN');
      expect(codeOf(await gql(who, '{ verifyAuditLog { ok } }'))).toBe('FORBIDDEN');
      expect(codeOf(await gql(who, 'mutation { createUser(input: { name: "x", role: ADMIN }) { user { id } } }'))).toBe('FORBIDDEN');
      // Only admins create users, here through the legacy createApiToken with a free name.
      expect(codeOf(await gql(who, 'mutation { createApiToken(input: { name: "x", role: ADMIN }) { secret } }'))).toBe('FORBIDDEN');
      // Other users' tokens are for admins only.
      expect(codeOf(await gql(who, '{ apiTokens(user: "carol-admin") { totalCount } }'))).toBe('FORBIDDEN');
    }
    expect(codeOf(await gql(AUDITOR, `mutation { removeDockerNode(input: { id: "${toGlobalId('DockerNode', 'n')}" }) { removedId } }`))).toBe('FORBIDDEN');
    expect(services.users.tokens).toHaveLength(0);
  });
});

describe('mutations and their audit records', () => {
  it('imports as an assessor and records the success; an admin reads the audit log', async () => {
    const r = await gql(ASSESSOR, 'mutation { importDocuments(input: { uploadIds: ["up-a"] }) { imports { documentId kind file counts { name value } alreadyPresent } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.importDocuments.imports).toEqual([{ documentId: 'doc-0', kind: 'CATALOG', file: 'up-a', counts: [{ name: 'controls', value: 2 }], alreadyPresent: false }]);
    expect(services.imports.calls[0]?.actor).toEqual(ASSESSOR);

    const log = await gql(ADMIN, '{ auditLog(first: 5) { totalCount edges { node { actor actorUserId role via action target outcome detail } } } }');
    expect(log.data?.auditLog).toEqual({
      totalCount: 1,
      edges: [{ node: { actor: 'alice-assessor', actorUserId: 'u-alice-assessor', role: 'ASSESSOR', via: 'TOKEN', action: 'importDocuments', target: '{"documents":["upload:up-a"]}', outcome: 'SUCCESS', detail: null } }],
    });
  });

  it('maps a PlimsollError to its code and located problems, and audits the failure with the code', async () => {
    const r = await gql(ASSESSOR, 'mutation { importDocuments(input: { uploadIds: ["bad-upload"] }) { imports { documentId } } }');
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
    const r = await gql(ADMIN, 'mutation { importDocuments(input: { uploadIds: ["boom-upload"] }) { imports { documentId } } }');
    expect(r.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r)).not.toContain('/secret/path');
    expect(logged).toHaveLength(1);
    expect((logged[0] as Error).message).toBe('disk on fire at /secret/path');
    expect(services.audit.records[0]).toMatchObject({ outcome: 'failure', detail: 'INTERNAL' });
  });

  it('keeps Apollo codes for invalid operations, and refuses a page above the cap with BAD_INPUT', async () => {
    expect(codeOf(await gql(ADMIN, '{ catalogs { totalCount noSuchField } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await gql(ADMIN, 'query($p: Int!) { assessments(first: $p) { totalCount } }', { p: 'x' }))).toBe('BAD_USER_INPUT');
    const tooBig = await gql(ADMIN, '{ assessments(first: 101) { totalCount } }');
    expect(codeOf(tooBig)).toBe('BAD_INPUT');
    expect(tooBig.errors?.[0]?.message).toContain('from 0 to 100');
    expect(codeOf(await gql(ADMIN, '{ assessments(first: 1, last: 1) { totalCount } }'))).toBe('BAD_INPUT');
    expect(codeOf(await gql(ADMIN, '{ assessments(after: "forged") { totalCount } }'))).toBe('BAD_INPUT');
  });

  it('creates a token once with its secret (as a new user), lists, refetches and revokes it, never writing the secret to the audit log', async () => {
    const created = await gql(ADMIN, 'mutation { createApiToken(input: { name: "ci", role: ASSESSOR }) { secret token { id tokenId name role userName revokedAt } user { name role createdByUserId } } }');
    expect(created.errors).toBeUndefined();
    const { secret, token, user } = created.data?.createApiToken;
    expect(secret).toMatch(/^plm_secret_/);
    expect(token).toMatchObject({ name: 'ci', role: 'ASSESSOR', userName: 'ci', revokedAt: null });
    expect(user).toEqual({ name: 'ci', role: 'ASSESSOR', createdByUserId: ADMIN.userId });
    expect(services.users.authenticate(secret)).toMatchObject({ name: 'ci', role: 'assessor' });

    expect((await gql(ADMIN, '{ apiTokens { totalCount edges { node { id name } } } }')).data?.apiTokens).toEqual({ totalCount: 1, edges: [{ node: { id: token.id, name: 'ci' } }] });
    // An ApiToken is a Node for admins and its owner only.
    const refetch = 'query($id: ID!) { node(id: $id) { __typename ... on ApiToken { tokenId userName } } }';
    expect((await gql(ADMIN, refetch, { id: token.id })).data?.node).toEqual({ __typename: 'ApiToken', tokenId: token.tokenId, userName: 'ci' });
    const ci = services.users.authenticate(secret) as Principal;
    expect((await gql(ci, refetch, { id: token.id })).data?.node).toEqual({ __typename: 'ApiToken', tokenId: token.tokenId, userName: 'ci' });
    expect(codeOf(await gql(AUDITOR, refetch, { id: token.id }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(AUDITOR, refetch, { id: toGlobalId('ApiToken', 'no-such-token') }))).toBe('FORBIDDEN');
    expect((await gql(ADMIN, refetch, { id: toGlobalId('ApiToken', 'no-such-token') })).data?.node).toBeNull();
    // Nobody mints a token for another existing user.
    expect(codeOf(await gql(ADMIN, 'mutation { createApiToken(input: { name: "CI", role: ASSESSOR }) { secret } }'))).toBe('CONFLICT');

    expect((await gql(ADMIN, 'mutation($id: ID!) { revokeApiToken(input: { id: $id }) { revokedId } }', { id: token.id })).data?.revokeApiToken).toEqual({ revokedId: token.id });
    expect(services.users.authenticate(secret)).toMatchObject({ anonymous: true });
    expect(codeOf(await gql(ADMIN, 'mutation { createApiToken(input: { name: "x", role: ROOT }) { secret } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    const mine = await gql(AUDITOR, 'mutation { createMyApiToken(input: { label: "laptop" }) { token { name role userName } user { name } } }');
    expect(mine.data?.createMyApiToken).toEqual({ token: { name: 'laptop', role: 'AUDITOR', userName: 'bob-auditor' }, user: { name: 'bob-auditor' } });
    // Non-admins see their own tokens only.
    expect((await gql(AUDITOR, '{ apiTokens { edges { node { name userName } } } }')).data?.apiTokens.edges).toEqual([{ node: { name: 'laptop', userName: 'bob-auditor' } }]);

    expect(services.audit.records.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'createMyApiToken:success',
      'createApiToken:failure',
      'revokeApiToken:success',
      'createApiToken:failure',
      'createApiToken:success',
    ]);
    expect(JSON.stringify(services.audit.records)).not.toContain(secret);
  });

  it('lets admins create users and page through them; a User is a Node for admins and itself', async () => {
    const r = await gql(ADMIN, 'mutation { createUser(input: { name: "erin", role: AUDITOR }) { user { id userId name role kind origin createdByUserId } } }');
    expect(r.data?.createUser.user).toEqual({ id: toGlobalId('User', 'u-erin'), userId: 'u-erin', name: 'erin', role: 'AUDITOR', kind: 'PERSON', origin: 'ADMIN', createdByUserId: ADMIN.userId });
    const page1 = await gql(ADMIN, '{ users(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }');
    expect(page1.data?.users.totalCount).toBe(4);
    expect(page1.data?.users.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(ADMIN, `{ users(first: 2, after: "${page1.data?.users.pageInfo.endCursor}") { edges { node { name } } } }`);
    expect([...page1.data?.users.edges, ...page2.data?.users.edges].map((e: { node: { name: string } }) => e.node.name)).toEqual(['carol-admin', 'alice-assessor', 'bob-auditor', 'erin']);
    expect(codeOf(await gql(ADMIN, '{ users(first: 101) { totalCount } }'))).toBe('BAD_INPUT');
    expect((await gql(ADMIN, '{ user(ref: "ERIN") { name } }')).data?.user).toEqual({ name: 'erin' });
    const refetch = 'query($id: ID!) { node(id: $id) { __typename ... on User { name } } }';
    expect((await gql(ADMIN, refetch, { id: r.data?.createUser.user.id })).data?.node).toEqual({ __typename: 'User', name: 'erin' });
    const me = (await gql(AUDITOR, '{ me { id } }')).data?.me.id as string;
    expect((await gql(AUDITOR, refetch, { id: me })).data?.node).toEqual({ __typename: 'User', name: 'bob-auditor' });
    expect(codeOf(await gql(AUDITOR, refetch, { id: r.data?.createUser.user.id }))).toBe('FORBIDDEN');
    expect((await gql(ADMIN, '{ verifyAuditLog { ok count headSequence problems(first: 5) { totalCount edges { node { sequence } } } } }')).data?.verifyAuditLog).toEqual({
      ok: true,
      count: 1,
      headSequence: null,
      problems: { totalCount: 0, edges: [] },
    });
  });

  it('registers, lists, finds and removes Docker nodes; a duplicate gives CONFLICT', async () => {
    const input = { name: 'edge-1', endpoint: 'tcp://10.0.0.5:2376', labels: [{ key: 'env', value: 'prod' }], tls: { caUploadId: 'u-ca', certUploadId: 'u-cert', keyUploadId: 'u-key' } };
    const reg = await gql(ASSESSOR, 'mutation($i: RegisterDockerNodeInput!) { registerDockerNode(input: $i) { id dockerNodeId name tls labels { key value } } }', { i: input });
    expect(reg.data?.registerDockerNode).toEqual({ id: toGlobalId('DockerNode', 'node-1'), dockerNodeId: 'node-1', name: 'edge-1', tls: true, labels: [{ key: 'env', value: 'prod' }] });
    const id = reg.data?.registerDockerNode.id as string;
    expect(codeOf(await gql(ASSESSOR, 'mutation($i: RegisterDockerNodeInput!) { registerDockerNode(input: $i) { id } }', { i: input }))).toBe('CONFLICT');
    expect((await gql(AUDITOR, '{ dockerNodes { edges { node { name } } } dockerNode(ref: "tcp://10.0.0.5:2376") { dockerNodeId } }')).data).toEqual({ dockerNodes: { edges: [{ node: { name: 'edge-1' } }] }, dockerNode: { dockerNodeId: 'node-1' } });
    const remove = 'mutation($id: ID!) { removeDockerNode(input: { id: $id }) { removedId } }';
    expect((await gql(ADMIN, remove, { id })).data?.removeDockerNode).toEqual({ removedId: id });
    expect(codeOf(await gql(ADMIN, remove, { id }))).toBe('NOT_FOUND');
    expect(services.audit.records.map((a) => `${a.actor}:${a.action}:${a.outcome}`)).toEqual([
      'carol-admin:removeDockerNode:failure',
      'carol-admin:removeDockerNode:success',
      'alice-assessor:registerDockerNode:failure',
      'alice-assessor:registerDockerNode:success',
    ]);
  });
});

describe('assessments', () => {
  it('runs an assessment and reads its summary, filtered and paged results with evidence, and the results document', async () => {
    await services.nodes.register({ name: 'edge-1', endpoint: 'unix:///var/run/docker.sock' });
    const run = await gql(ASSESSOR, `mutation { runAssessment(input: { nodes: ["edge-1"], benchmark: "${XCCDF_ID}", profileId: "MAC-1_Classified" }) {
      assessmentId status benchmarkDocumentId benchmarkRelease profileId dockerNodeIds startedBy summary { pass fail failedMedium failedHigh }
    } }`);
    expect(run.errors).toBeUndefined();
    expect(run.data?.runAssessment).toEqual({
      assessmentId: 'run-1', status: 'COMPLETED', benchmarkDocumentId: BENCHMARK_ID, benchmarkRelease: '2', profileId: 'MAC-1_Classified', dockerNodeIds: ['node-1'], startedBy: 'alice-assessor',
      summary: { pass: 1, fail: 1, failedMedium: 1, failedHigh: 0 },
    });

    const read = await gql(AUDITOR, `{
      assessments(first: 10) { totalCount edges { node { assessmentId } } }
      assessment(assessmentId: "run-1") {
        failed: results(filter: { status: FAIL }) { edges { node { stigId status controlIds observations { totalCount edges { node { targetKind targetName field value expected verdict collectedAt } } } } } }
        all: results(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { status } } }
        resultsDocument resultsDownloadUrl planDownloadUrl
      }
      missing: assessment(assessmentId: "run-9") { id }
    }`);
    expect(read.errors).toBeUndefined();
    expect(read.data?.assessments).toEqual({ totalCount: 1, edges: [{ node: { assessmentId: 'run-1' } }] });
    const a = read.data?.assessment;
    expect(nodesOf(a.failed)).toEqual([
      { stigId: 'DKER-EE-001070', status: 'FAIL', controlIds: ['cm-7_smt.a'], observations: { totalCount: 1, edges: [{ node: { targetKind: 'CONTAINER', targetName: 'web', field: 'HostConfig.Privileged', value: true, expected: 'false', verdict: 'FAIL', collectedAt: '2026-01-02T03:04:05.000Z' } }] } },
    ]);
    expect(a.all).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { status: 'FAIL' } }] });
    const rest = await gql(AUDITOR, 'query($after: String!) { assessment(assessmentId: "run-1") { results(first: 1, after: $after) { pageInfo { hasNextPage } edges { node { status observations { edges { node { value } } } } } } } }', { after: a.all.pageInfo.endCursor });
    expect(rest.data?.assessment.results).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { status: 'PASS', observations: { edges: [{ node: { value: ['no-new-privileges'] } }] } } }] });
    expect(a.resultsDocument).toEqual({ 'assessment-results': { uuid: 'run-1', results: [{ findings: 1 }] } });
    // Both documents of a completed run leave as downloads, side by side (the results' import-ap names the plan's file).
    expect(a.resultsDownloadUrl).toBe('/downloads/assessments/run-1/assessment-results.json');
    expect(a.planDownloadUrl).toBe('/downloads/assessments/run-1/assessment-plan.json');
    expect(read.data?.missing).toBeNull();
  });

  it('refuses auditors a run with FORBIDDEN and reports a missing benchmark as NOT_FOUND', async () => {
    const q = 'mutation($b: String!) { runAssessment(input: { nodes: [], benchmark: $b }) { id } }';
    expect(codeOf(await gql(AUDITOR, q, { b: XCCDF_ID }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(ADMIN, q, { b: 'no-such-benchmark' }))).toBe('NOT_FOUND');
    expect(services.assessments.runs).toHaveLength(0);
    expect(services.audit.records.map((r) => `${r.role}:${r.action}:${r.outcome}`)).toEqual(['admin:runAssessment:failure', 'auditor:runAssessment:failure']);
    expect(services.audit.records[1]!.detail).toBe('FORBIDDEN: assessments.run needs the role admin or assessor; bob-auditor is auditor');
  });
});
