/**
 * Registries, trust servers and signers through GraphQL (in-process), over the real service on a temp SQLite
 * file: Node ids, capped connections, Input/Payload mutations, the CA as an upload id, credentials in and
 * never out (answers, errors, audit records), admins only.
 */
import fs from 'node:fs';
import type { ContentInput } from '../../../src/domain/content-input.js';
import os from 'node:os';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import { contextFor, type GraphQLContext } from '../../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselySupplyChainRepository } from '../../../src/repositories/supply-chain-repository.js';
import { DefaultSupplyChainService } from '../../../src/supply-chain/supply-chain-service.js';
import { TEST_SECRET_BOX, makeTlsMaterial } from '../../harness/tls.js';
import { ADMIN, ASSESSOR, fakeGateway, fakeServices, type FakeServices } from './fakes.js';

const PASSWORD = 'graphql-registry-pa55word';
const KEY_ID = 'c'.repeat(64);

interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let apollo: ApolloServer<GraphQLContext>;
let services: FakeServices;
let tmp: string;
let db: Db;
let caPem: Buffer;
const discarded: string[] = [];
const logged: unknown[] = [];

async function gql(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(fakeGateway(services), principal, 'req-1') });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as GqlResult;
}

beforeAll(async () => {
  apollo = createApolloServer(await buildPlimsollSchema(), { logError: (_m, e) => logged.push(e) });
  await apollo.start();
  const tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-gql-tls-'));
  caPem = fs.readFileSync((await makeTlsMaterial(tlsDir)).ca);
  fs.rmSync(tlsDir, { recursive: true, force: true });
});
afterAll(async () => {
  await apollo.stop();
});
beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-gql-sc-'));
  db = await openDatabase(path.join(tmp, 'db.sqlite'));
  services = fakeServices();
  // Uploads are the upload service's own tests; here an upload id stands for the CA's bytes.
  const uploads = {
    resolve: async (inputs: readonly unknown[]) => inputs.map(() => ({ name: 'ca.pem', bytes: caPem })),
    discard: async (inputs: readonly ContentInput[]) => void discarded.push(...inputs.map((i) => ('uploadId' in i ? i.uploadId : ''))),
  };
  services.supplyChain = new DefaultSupplyChainService({ repo: new KyselySupplyChainRepository(db), secrets: TEST_SECRET_BOX, uploads });
  logged.length = 0;
  discarded.length = 0;
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});


describe('supply-chain registration over GraphQL', () => {
  it('registers with the CA as an upload and credentials that never come back, then pages, refetches, updates and removes', async () => {
    const t = await gql(ADMIN, `mutation($t: RegisterTrustServerInput!) { registerTrustServer(input: $t) { trustServer { id name hasCredentials caPem pinnedRootKeys { gun keyIds } } } }`, {
      t: { name: 'notary', url: 'https://127.0.0.1:4443', caUploadId: 'up-1', credentials: { username: 'trust', password: PASSWORD }, pinnedRootKeys: [{ gun: '127.0.0.1:5000/app', keyIds: [KEY_ID] }] },
    });
    expect(t.errors).toBeUndefined();
    const server = t.data!.registerTrustServer.trustServer;
    expect(server).toMatchObject({ name: 'notary', hasCredentials: true, pinnedRootKeys: [{ gun: '127.0.0.1:5000/app', keyIds: [KEY_ID] }] });
    expect(server.caPem).toContain('BEGIN CERTIFICATE');
    expect(discarded).toEqual(['up-1']);

    const r = await gql(ADMIN, `mutation($r: RegisterRegistryInput!) { registerRegistry(input: $r) { registry { id name host environment hasCredentials trustServerName repositories } } }`, {
      r: { name: 'prod', url: 'https://registry.example.mil', environment: 'prod', trustServerId: server.id, repositories: ['team/*'], credentials: { username: 'plimsoll', password: PASSWORD } },
    });
    expect(r.errors).toBeUndefined();
    const registry = r.data!.registerRegistry.registry;
    expect(registry).toMatchObject({ name: 'prod', host: 'registry.example.mil', environment: 'prod', hasCredentials: true, trustServerName: 'notary', repositories: ['team/*'] });

    const read = await gql(ASSESSOR, `query($id: ID!) {
      registries(first: 10) { totalCount edges { node { id name } } }
      trustServers(first: 10) { totalCount }
      node(id: $id) { ... on Registry { name url } }
    }`, { id: registry.id });
    expect(read.data).toMatchObject({ registries: { totalCount: 1, edges: [{ node: { name: 'prod' } }] }, trustServers: { totalCount: 1 }, node: { name: 'prod', url: 'https://registry.example.mil' } });
    expect((await gql(ASSESSOR, '{ registries(first: 1000) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_INPUT');

    const cleared = await gql(ADMIN, `mutation($i: UpdateRegistryInput!) { updateRegistry(input: $i) { registry { hasCredentials credentialsUpdatedAt trustServerName } } }`, { i: { id: registry.id, clearCredentials: true, clearTrustServer: true } });
    expect(cleared.data!.updateRegistry.registry).toMatchObject({ hasCredentials: false, trustServerName: null });
    expect((await gql(ADMIN, `mutation($i: RemoveRegistryInput!) { removeRegistry(input: $i) { removedId } }`, { i: { id: registry.id } })).data).toEqual({ removeRegistry: { removedId: registry.id } });
    expect((await gql(ADMIN, `mutation($i: RemoveTrustServerInput!) { removeTrustServer(input: $i) { removedId } }`, { i: { id: server.id } })).errors).toBeUndefined();

    const everything = JSON.stringify([t, r, read, cleared, services.audit.records, logged.map(String)]);
    expect(everything).not.toContain(PASSWORD);
    expect(services.audit.records.map((a) => a.action).reverse()).toEqual(['registerTrustServer', 'registerRegistry', 'updateRegistry', 'removeRegistry', 'removeTrustServer']);
  });

  it('sets and reads allowed signers; assessors are refused every write, audited', async () => {
    const set = await gql(ADMIN, `mutation($i: SetAllowedSignersInput!) { setAllowedSigners(input: $i) { allowedSigners { environment signers { role keyIds } updatedBy } } }`, {
      i: { environment: 'prod', signers: [{ role: 'targets/releases', keyIds: [KEY_ID] }, { role: 'targets' }] },
    });
    expect(set.data!.setAllowedSigners.allowedSigners).toEqual({ environment: 'prod', signers: [{ role: 'targets/releases', keyIds: [KEY_ID] }, { role: 'targets', keyIds: null }], updatedBy: ADMIN.name });
    expect((await gql(ASSESSOR, `{ allowedSigners(environment: "prod") { signers { role } } }`)).data).toEqual({ allowedSigners: { signers: [{ role: 'targets/releases' }, { role: 'targets' }] } });
    const refused = await gql(ASSESSOR, `mutation($r: RegisterRegistryInput!) { registerRegistry(input: $r) { registry { id } } }`, { r: { name: 'x', url: 'https://x.example.mil', credentials: { username: 'u', password: PASSWORD } } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(ADMIN, `mutation($i: SetAllowedSignersInput!) { setAllowedSigners(input: $i) { allowedSigners { environment } } }`, { i: { environment: 'prod', signers: [{ role: 'releases' }] } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect(services.audit.records.find((a) => a.actor === ASSESSOR.name)).toMatchObject({ action: 'registerRegistry', outcome: 'failure' });
    expect(JSON.stringify([refused, services.audit.records])).not.toContain(PASSWORD);
  });
});
