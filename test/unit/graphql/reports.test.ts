/**
 * Reports through GraphQL (in-process, the real schema): an assessment's reports with their download URLs, the
 * formats offered and the signing key, over the real report service of a stored assessment.
 */
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import { contextFor, type GraphQLContext } from '../../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { SigningKey } from '../../../src/reporting/signing/signing-key.js';
import { ownFormatsService, type StoredAssessmentFixture, storedAssessment } from '../reporting/stored-assessment.js';
import { AUDITOR, fakeGateway, fakeServices, type FakeServices } from './fakes.js';

let apollo: ApolloServer<GraphQLContext>;
let services: FakeServices;
let f: StoredAssessmentFixture;
let key: SigningKey;

async function gql(principal: Principal | undefined, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(fakeGateway(services), principal ?? { anonymous: true, reason: 'no bearer token' }, 'r') });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

beforeAll(async () => {
  apollo = createApolloServer(await buildPlimsollSchema(), { logError: () => undefined });
  await apollo.start();
  f = await storedAssessment();
  key = await SigningKey.generate();
  services = fakeServices();
  services.reports = ownFormatsService(f, key);
  services.assessments.runs.push({ ...f.assessment });
}, 60_000);

afterAll(async () => {
  await apollo.stop();
  await f.close();
});

const REPORTS = `query($id: String!) { assessment(assessmentId: $id) { reports(first: 10) { totalCount edges { node { format fileName contentType scope downloadUrl size sha256 dockerNodeId } } } } }`;

describe('reports in GraphQL', () => {
  it("lists an assessment's reports with their download URLs, and the size and sha256 once rendered", async () => {
    const before = await gql(AUDITOR, REPORTS, { id: f.assessment.id });
    expect(before.errors).toBeUndefined();
    const list = before.data.assessment.reports;
    expect(list.totalCount).toBe(3);
    expect(list.edges.map((e: any) => [e.node.format, e.node.fileName, e.node.scope, e.node.downloadUrl])).toEqual([
      ['OSCAL_AP', 'assessment-plan.json', 'ASSESSMENT', `/downloads/assessments/${f.assessment.id}/reports/oscal-ap`],
      ['OSCAL_AR', 'assessment-results.json', 'ASSESSMENT', `/downloads/assessments/${f.assessment.id}/reports/oscal-ar`],
      ['BUNDLE', `plimsoll-bundle-${f.assessment.id}.json`, 'ASSESSMENT', `/downloads/assessments/${f.assessment.id}/reports/bundle`],
    ]);
    expect(list.edges[0].node.size).toBeNull();
    const ar = await services.reports.render(f.assessment.id, 'oscal-ar');
    const after = (await gql(AUDITOR, REPORTS, { id: f.assessment.id })).data.assessment.reports.edges[1].node;
    expect(after).toMatchObject({ size: ar.bytes.length, sha256: ar.sha256 });
  });

  it('lists the formats offered and publishes the signing key; refuses the anonymous', async () => {
    const r = await gql(AUDITOR, '{ reportFormats { format contentType scope } signingKey { keyId algorithm publicKeyPem jwk origin } }');
    expect(r.data.reportFormats.map((x: any) => x.format)).toEqual(['OSCAL_AP', 'OSCAL_AR', 'BUNDLE']);
    expect(r.data.signingKey).toEqual({ keyId: key.keyId, algorithm: 'Ed25519', publicKeyPem: key.info.publicKeyPem, jwk: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String) }, origin: 'GENERATED' });
    const anonymous = await gql(undefined, '{ signingKey { keyId } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
