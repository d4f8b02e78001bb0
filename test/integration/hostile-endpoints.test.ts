/**
 * A node endpoint that is not a Docker engine (an internal HTTP service, real, on port 0) answering with a
 * secret body: the failure is classified and the body never reaches a GraphQL error, a stored assessment,
 * the audit log or the facts. And the endpoint allow-list, checked at registration and at every connection.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { ErrorCode, PlimsollError } from '../../src/domain/errors.js';
import { openApp } from '../../src/main.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { endpointAllowList } from '../../src/repositories/docker/endpoint-allowlist.js';
import { CCI_LIST, DOCKER_STIG_V2R2, shared, tempDir } from '../harness/content.js';
import { ADMIN, ASSESSOR, AUDITOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';

const SECRET = 'SECRET-7c1e-internal-payroll-token';

/** How the internal service answers, by path prefix chosen per test. */
type Answer = { status: number; type: string; body: string };
const answers: Record<string, Answer> = {
  'html-500': { status: 500, type: 'text/html', body: `<html><body>${SECRET}</body></html>` },
  'json-500': { status: 500, type: 'application/json', body: JSON.stringify({ message: SECRET }) },
  'json-200': { status: 200, type: 'application/json', body: JSON.stringify({ note: SECRET }) },
  'text-200': { status: 200, type: 'text/plain', body: SECRET },
  'json-401': { status: 401, type: 'application/json', body: JSON.stringify({ error: SECRET }) },
  'html-404': { status: 404, type: 'text/html', body: `<h1>${SECRET}</h1>` },
};

let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
const servers: http.Server[] = [];

/** A real HTTP server on 127.0.0.1, port 0, answering every request the same way. */
async function internalService(answer: Answer): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  return `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

beforeAll(async () => {
  dir = tempDir();
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app);
  const ids = await graphql.upload(ASSESSOR, shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2));
  const imported = await graphql.gql(ASSESSOR, 'mutation($u: [ID!]!) { importDocuments(input: { uploadIds: $u }) { imports { documentId } } }', { u: ids });
  expect(imported.errors).toBeUndefined();
}, 180_000);

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await graphql?.stop();
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('an endpoint that is not a Docker engine', () => {
  it.each(Object.keys(answers))('%s: a classified error, never the body, in GraphQL, stored runs, the audit log and facts', async (kind) => {
    const endpoint = await internalService(answers[kind]!);
    const reg = await graphql.gql(ASSESSOR, 'mutation($i: RegisterDockerNodeInput!) { registerDockerNode(input: $i) { id } }', { i: { name: `internal-${kind}`, endpoint } });
    expect(reg.errors).toBeUndefined();
    const run = await graphql.gql(ASSESSOR, 'mutation($i: RunAssessmentInput!) { runAssessment(input: $i) { assessmentId status } }', { i: { nodes: [`internal-${kind}`], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' } });
    const error = run.errors?.[0];
    expect(error?.extensions?.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(error?.message).toContain(endpoint);
    expect(error?.message).toMatch(/not a Docker Engine API|not as a Docker Engine API does|refused|answered HTTP 500/);

    const runs = await graphql.gql(AUDITOR, '{ assessments(first: 1) { edges { node { status error } } } }');
    expect(runs.data?.assessments.edges[0].node).toMatchObject({ status: 'FAILED', error: expect.stringContaining(endpoint) });
    const audit = await graphql.gql(ADMIN, '{ auditLog(first: 5) { edges { node { action detail target } } } }');
    expect(audit.data?.auditLog.edges.length).toBeGreaterThan(0);
    const facts = await app.services.assessments.list({ limit: 1 });
    const everything = JSON.stringify([run, runs, audit, facts]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('SECRET-7c1e');
  });

  it('ping says what the endpoint is not, without its body', async () => {
    const endpoint = await internalService(answers['json-200']!);
    await app.gateway.servicesFor(await graphql.principal(ASSESSOR)).nodes.register({ name: 'pinged', endpoint });
    const e = await app.services.nodes.ping('pinged').catch((x: unknown) => x as PlimsollError);
    expect(e).toBeInstanceOf(PlimsollError);
    expect((e as PlimsollError).message).toBe(`Docker engine ${endpoint} answered GET /version, but not as a Docker Engine API does (not an engine, or a proxy in front of one)`);
  });
});

describe('the endpoint allow-list', () => {
  it('refuses a name at connection time when it resolves outside the ranges, even though registration saw another address', async () => {
    const endpoint = await internalService(answers['json-200']!);
    const port = endpoint.split(':').pop();
    // Registration-time resolution said 10.1.1.1 (allowed); the connection's own lookup finds 127.0.0.1.
    const rebinding = endpointAllowList(['10.0.0.0/8'], async () => [{ address: '10.1.1.1', family: 4 }]);
    await rebinding.check(`tcp://localhost:${port}`);
    const e = await createDockerClient({ endpoint: `tcp://localhost:${port}` }, { endpoints: rebinding }).version().catch((x: unknown) => x as PlimsollError);
    expect(e).toMatchObject({ code: ErrorCode.NODE_NOT_ALLOWED });
    expect((e as PlimsollError).message).toContain('PLIMSOLL_NODE_ALLOWLIST');
  });

  it('checks again before every connection: a node left outside a narrowed list is refused', async () => {
    const endpoint = await internalService(answers['json-200']!);
    const narrowed = endpointAllowList(['192.0.2.0/24']);
    const e = await createDockerClient({ endpoint }, { endpoints: narrowed }).info().catch((x: unknown) => x as PlimsollError);
    expect(e).toMatchObject({ code: ErrorCode.NODE_NOT_ALLOWED });
    // Within the list the same call reaches the service (which then is not a Docker engine).
    const allowed = await createDockerClient({ endpoint }, { endpoints: endpointAllowList(['127.0.0.0/8']) }).version().catch((x: unknown) => x as PlimsollError);
    expect(allowed).toMatchObject({ code: ErrorCode.NODE_UNREACHABLE });
  });
});
