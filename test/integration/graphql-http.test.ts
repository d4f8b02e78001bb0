/**
 * The HTTP transport on port 0: health without auth, 401 without a valid token, a query with one; uploads
 * (POST /uploads → an id that mutations take) and downloads (GET /downloads/...) with their refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { openApp } from '../../src/main.js';
import { REV5_CATALOG_XML, shared, tempDir } from '../harness/content.js';

let dir: string;
let app: OpenedApp;
let server: RunningHttpServer;
let adminSecret: string;
let auditorSecret: string;
let assessorSecret: string;

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
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  process.env.PLIMSOLL_UPLOAD_MAX_BYTES = String(4 * 1024 * 1024);
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  delete process.env.PLIMSOLL_UPLOAD_MAX_BYTES;
  adminSecret = 'http-test-admin-secret-0123456789';
  await app.gateway.servicesFor(await app.gateway.system()).users.bootstrapAdmin(adminSecret);
  const admin = app.gateway.servicesFor(await app.gateway.authenticate(adminSecret));
  auditorSecret = (await admin.users.createToken('auditor-1', 'auditor')).secret;
  assessorSecret = (await admin.users.createToken('assessor-1', 'assessor')).secret;
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

const origin = (): string => server.url.replace(/\/graphql$/, '');

async function upload(file: string | Buffer, token: string | undefined, name = typeof file === 'string' ? path.basename(file) : 'upload.bin', headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${origin()}/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof file === 'string' ? fs.readFileSync(file) : file,
  });
  return { status: res.status, json: await res.json() };
}

describe('uploads and downloads over HTTP', () => {
  const LOW = (): string => shared('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_LOW-baseline_profile.json');
  const CATALOG = (): string => shared(...REV5_CATALOG_XML);

  it('refuses uploads without a valid token (401) and from read-only roles (403), auditing every attempt', async () => {
    const none = await upload(LOW(), undefined);
    expect(none.status).toBe(401);
    expect(none.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await upload(LOW(), 'plm_not-a-real-token')).status).toBe(401);
    const auditor = await upload(LOW(), auditorSecret);
    expect(auditor.status).toBe(403);
    expect(auditor.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const log = await post({ query: '{ auditLog(first: 3) { edges { node { actor action target outcome detail } } } }' }, adminSecret);
    expect(log.json.data.auditLog.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { actor: 'auditor-1', action: 'createUpload', target: '{"name":"NIST_SP-800-53_rev5_LOW-baseline_profile.json"}', outcome: 'FAILURE', detail: expect.stringMatching(/^FORBIDDEN: /) },
      { actor: 'anonymous', action: 'createUpload', target: '{"name":"NIST_SP-800-53_rev5_LOW-baseline_profile.json"}', outcome: 'FAILURE', detail: 'UNAUTHENTICATED: Not authenticated: unknown API token' },
      { actor: 'anonymous', action: 'createUpload', target: '{"name":"NIST_SP-800-53_rev5_LOW-baseline_profile.json"}', outcome: 'FAILURE', detail: 'UNAUTHENTICATED: Not authenticated: no bearer token (send Authorization: Bearer <token>)' },
    ]);
  });

  it('refuses a multipart form (415), an empty body (400) and one over PLIMSOLL_UPLOAD_MAX_BYTES (413)', async () => {
    expect((await upload(LOW(), assessorSecret, 'x.json', { 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(415);
    expect((await upload(Buffer.alloc(0), assessorSecret)).status).toBe(400);
    const big = await upload(Buffer.alloc(5 * 1024 * 1024, 0x20), assessorSecret);
    expect(big.status).toBe(413);
    expect(big.json.errors[0].message).toContain('PLIMSOLL_UPLOAD_MAX_BYTES');
    const log = await post({ query: '{ auditLog(first: 3) { edges { node { actor action outcome detail } } } }' }, adminSecret);
    expect(log.json.data.auditLog.edges.map((e: { node: { actor: string; action: string; outcome: string } }) => `${e.node.actor}:${e.node.action}:${e.node.outcome}`)).toEqual(Array(3).fill('assessor-1:createUpload:FAILURE'));
  });

  it('uploads a profile and its catalog, resolves them by upload id, and downloads the stored result', async () => {
    const profile = await upload(LOW(), assessorSecret, '../../etc/LOW_profile.json');
    expect(profile.status).toBe(201);
    expect(profile.json).toMatchObject({ name: 'LOW_profile.json', size: fs.statSync(LOW()).size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const catalog = await upload(CATALOG(), assessorSecret);
    // Only the uploader can use an upload.
    const stolen = await post({ query: 'mutation($u: [ID!]!) { importDocuments(input: { uploadIds: $u }) { imports { documentId } } }', variables: { u: [profile.json.id] } }, adminSecret);
    expect(stolen.json.errors[0].extensions.code).toBe('NOT_FOUND');

    const resolved = await post(
      { query: 'mutation($p: ID!, $i: [ID!]) { resolveProfile(input: { uploadId: $p, importUploadIds: $i }) { documentId controlCount sourceFile catalogDownloadUrl } }', variables: { p: profile.json.id, i: [catalog.json.id] } },
      assessorSecret,
    );
    expect(resolved.json.errors).toBeUndefined();
    const baseline = resolved.json.data.resolveProfile;
    expect(baseline).toMatchObject({ controlCount: 149, sourceFile: 'LOW_profile.json', catalogDownloadUrl: `/downloads/baselines/${baseline.documentId}/resolved-catalog.json` });

    const url = `${origin()}${baseline.catalogDownloadUrl}`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${auditorSecret}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="resolved-catalog-${baseline.documentId}.json"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const doc = (await res.json()) as { catalog: { uuid: string } };
    expect(doc.catalog.uuid).toMatch(/^[0-9a-f-]{36}$/);

    // Every download authenticates first, as /graphql does: no credential, no answer (not even NOT_FOUND).
    for (const anonymous of ['/downloads/assessments/nope/assessment-results.json', '/downloads/assessments/nope/assessment-plan.json']) {
      expect((await fetch(`${origin()}${anonymous}`)).status, anonymous).toBe(401);
    }
    for (const bad of ['/downloads/baselines/nope/resolved-catalog.json', '/downloads/assessments/nope/assessment-results.json', '/downloads/assessments/nope/assessment-plan.json', '/downloads/baselines/x/other.json', '/downloads/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await fetch(`${origin()}${bad}`, { headers: { authorization: `Bearer ${auditorSecret}` } });
      expect(r.status, bad).toBe(404);
      expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
    }
  });
});
