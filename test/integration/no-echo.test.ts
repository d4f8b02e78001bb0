/**
 * The class guard of "no error echoes file content", end to end: files led by a canary (the way /etc/shadow
 * starts with its root hash), in every format's broken forms, uploaded and handed to every mutation and query
 * that takes content. No GraphQL error, problem, audit record or stored run may contain the canary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { openApp } from '../../src/main.js';
import { tempDir } from '../harness/content.js';
import { ADMIN, ASSESSOR, AUDITOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';

const CANARY = 'CANARY-b7d1';
const FILES: { name: string; text: string }[] = [
  { name: 'shadow', text: `${CANARY}:$6$saltsalt$hash:19000:0:99999:7:::\nroot:*:19000:0:99999:7:::\n` },
  { name: 'broken.json', text: `{"catalog": ${CANARY}}` },
  { name: 'unknown.json', text: `{"${CANARY}": {"uuid": "x"}}` },
  { name: 'broken.xml', text: `<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.1"><${CANARY}></Benchmark>` },
  { name: 'unknown.xml', text: `<${CANARY} xmlns="urn:${CANARY}">${CANARY}</${CANARY}>` },
  { name: 'broken.yaml', text: `profile: ${CANARY}: [\n` },
  { name: 'unknown.yaml', text: `${CANARY}:\n  uuid: x\n` },
  { name: 'key.pem', text: `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n` },
];

let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;

beforeAll(async () => {
  dir = tempDir();
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app);
}, 120_000);

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('no error echoes what a file holds', () => {
  it.each(FILES.map((f) => [f.name, f.text]))('%s, through every entry point that takes content', async (name, text) => {
    const upload = async (): Promise<string> => (await graphql.upload(ASSESSOR, { name, bytes: Buffer.from(text, 'utf8') }))[0]!;
    const calls: [string, Record<string, unknown>][] = [
      ['mutation($u: [ID!]!) { importDocuments(input: { uploadIds: $u }) { imports { documentId } } }', { u: [await upload()] }],
      ['mutation($u: ID!, $i: [ID!]) { resolveProfile(input: { uploadId: $u, importUploadIds: $i }) { documentId } }', { u: await upload(), i: [await upload()] }],
      ['query($u: ID!) { benchmarkDiff(oldUploadId: $u, new: "nothing-stored") { unchangedCount } }', { u: await upload() }],
      ['query($u: ID!) { benchmarkDiff(old: "nothing-stored", newUploadId: $u) { unchangedCount } }', { u: await upload() }],
      ['mutation($i: RunAssessmentInput!) { runAssessment(input: $i) { assessmentId } }', { i: { nodes: [`unix://${path.join(dir, 'none.sock')}`], benchmarkUploadId: await upload() } }],
      ['mutation($i: RegisterDockerNodeInput!) { registerDockerNode(input: $i) { id } }', { i: { name: `n-${name}`, endpoint: 'tcp://10.0.0.9:2376', tls: { caUploadId: await upload(), certUploadId: await upload(), keyUploadId: await upload() } } }],
    ];
    for (const [query, variables] of calls) {
      const result = await graphql.gql(ASSESSOR, query, variables);
      expect(result.errors, query).toBeDefined();
      expect(JSON.stringify(result), query).not.toContain(CANARY);
    }
    const audit = await graphql.gql(ADMIN, '{ auditLog(first: 50) { edges { node { action target detail } } } }');
    const runs = await graphql.gql(AUDITOR, '{ assessments(first: 50) { edges { node { error } } } }');
    expect([audit.errors, runs.errors]).toEqual([undefined, undefined]);
    expect(audit.data?.auditLog.edges.length).toBeGreaterThan(0);
    expect(JSON.stringify([audit, runs])).not.toContain(CANARY);
  });
});
