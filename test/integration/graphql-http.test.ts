/** The HTTP transport on port 0: health without auth, 401 without a valid token, a query with one. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { openApp } from '../../src/main.js';
import { tempDir } from '../harness/content.js';

let dir: string;
let app: OpenedApp;
let server: RunningHttpServer;
let adminSecret: string;
let auditorSecret: string;

async function post(body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  dir = tempDir();
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  adminSecret = 'http-test-admin-secret-0123456789';
  await app.gateway.servicesFor(await app.gateway.system()).users.bootstrapAdmin(adminSecret);
  const admin = await app.gateway.authenticate(adminSecret);
  auditorSecret = (await app.gateway.servicesFor(admin).users.createToken('auditor-1', 'auditor')).secret;
  server = await startHttpServer({ gateway: app.gateway, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTTP server', () => {
  it('answers /health without a token', async () => {
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(server.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses /graphql without a token or with an unknown one (401), auditing mutation attempts as anonymous', async () => {
    const none = await post({ query: '{ me { name } }' });
    expect(none.status).toBe(401);
    expect(none.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await post({ query: '{ me { name } }' }, 'plm_not-a-real-token');
    expect(wrong.status).toBe(401);
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer plm_forged' }, body: JSON.stringify({ query: 'mutation { revokeApiToken(input: { id: "x" }) { revokedId } }' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as { errors: unknown }).errors).toEqual([{ message: 'Not authenticated: unknown API token', extensions: { code: 'UNAUTHENTICATED' } }]);
    const invalid = await post({ query: 'mutation { revokeApiToken(input: ' });
    expect(invalid.status).toBe(401);
    const log = await post({ query: '{ auditLog(first: 2) { edges { node { actor role action outcome detail } } } }' }, adminSecret);
    expect(log.json.data.auditLog.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { actor: 'anonymous', role: null, action: '(unparsed mutation)', outcome: 'FAILURE', detail: 'UNAUTHENTICATED: no bearer token (send Authorization: Bearer <token>)' },
      { actor: 'anonymous', role: null, action: 'revokeApiToken', outcome: 'FAILURE', detail: 'UNAUTHENTICATED: unknown API token' },
    ]);
  });

  it('answers a query for a valid token and refuses an auditor a mutation, leaving an audit record', async () => {
    const me = await post({ query: '{ me { name role } }' }, auditorSecret);
    expect(me.status).toBe(200);
    expect(me.json.data.me).toEqual({ name: 'auditor-1', role: 'AUDITOR' });

    const refused = await post({ query: 'mutation { createApiToken(input: { name: "x", role: ADMIN }) { secret } }' }, auditorSecret);
    expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(refused.json.errors[0].message).toBe('Only admins create users; auditor-1 has role auditor');
    const log = await post({ query: '{ auditLog(first: 1) { edges { node { actor action outcome } } } }' }, adminSecret);
    expect(log.json.data.auditLog.edges[0].node).toEqual({ actor: 'auditor-1', action: 'createApiToken', outcome: 'FAILURE' });
  });

  it('refuses a hostile query from a read-only token before execution, with a code, and keeps serving', async () => {
    const cycle = '{catalogs(first:100){edges{node{groups(first:100){edges{node{controls(first:100){edges{node{baselines(first:100){edges{node{controls(first:100){edges{node{controlId}}}}}}}}}}}}}}}}';
    const refused = await post({ query: cycle }, auditorSecret);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const aliases = await post({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: assessments(first: 100) { totalCount }`).join(' ')} }` }, auditorSecret);
    expect(aliases.status).toBe(400);
    expect(aliases.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect((await post({ query: '{ me { role } }' }, auditorSecret)).json.data.me).toEqual({ role: 'AUDITOR' });
  });

  it('answers unknown paths with 404', async () => {
    const res = await fetch(server.url.replace('/graphql', '/nope'));
    expect(res.status).toBe(404);
  });
});
