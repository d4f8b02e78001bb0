/**
 * Report downloads and the signing key over HTTP (the real server on port 0, the real report service of a
 * stored assessment behind the gateway): headers, bytes, per-node reports, and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/server.js';
import { verifyBundle } from '../../../src/reporting/signing/bundle-verify.js';
import { SigningKey } from '../../../src/reporting/signing/signing-key.js';
import { AUDITOR, fakeGateway, fakeServices, type FakeServices } from '../graphql/fakes.js';
import { ownFormatsService, type StoredAssessmentFixture, storedAssessment } from '../reporting/stored-assessment.js';

let f: StoredAssessmentFixture;
let services: FakeServices;
let server: RunningHttpServer;
let base: string;
let token: string;
let key: SigningKey;

beforeAll(async () => {
  f = await storedAssessment();
  key = await SigningKey.generate();
  services = fakeServices();
  services.reports = ownFormatsService(f, key);
  token = (await services.users.createOwnToken({}, AUDITOR)).secret;
  server = await startHttpServer({ gateway: fakeGateway(services), host: '127.0.0.1', port: 0 });
  base = server.url.replace(/\/graphql$/, '');
}, 60_000);

afterAll(async () => {
  await server?.close();
  await f.close();
});

/** GET as the auditor by default; `null` sends no token. */
const get = (path: string, secret: string | null = token, method = 'GET') => fetch(`${base}${path}`, { method, headers: secret !== null ? { authorization: `Bearer ${secret}` } : {} });

describe('report downloads over HTTP', () => {
  it('serves each report as an attachment with its type, length and sha256 ETag: the bytes the service renders', async () => {
    for (const format of ['oscal-ap', 'oscal-ar', 'bundle'] as const) {
      const res = await get(`/downloads/assessments/${f.assessment.id}/reports/${format}`);
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      const expected = await services.reports.render(f.assessment.id, format);
      expect(body.equals(Buffer.from(expected.bytes))).toBe(true);
      expect(res.headers.get('content-type')).toBe(expected.contentType);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${expected.fileName}"`);
      expect(res.headers.get('content-length')).toBe(String(body.length));
      expect(res.headers.get('etag')).toBe(`"sha256:${expected.sha256}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      if (format === 'bundle') expect((await verifyBundle(body)).verified).toBe(true);
    }
    const nodeId = f.assessment.nodes[0]!.nodeId;
    const perNode = await get(`/downloads/assessments/${f.assessment.id}/nodes/${nodeId}/reports/oscal-ar`);
    expect(perNode.status).toBe(200);
    expect(Buffer.from(await perNode.arrayBuffer()).equals(Buffer.from((await services.reports.render(f.assessment.id, 'oscal-ar', { node: nodeId })).bytes))).toBe(true);
  });

  it('publishes the signing key', async () => {
    const res = await get('/.well-known/plimsoll-signing-key');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keyId: key.keyId, algorithm: 'Ed25519', origin: 'generated', publicKeyPem: key.info.publicKeyPem, jwk: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: key.keyId, alg: 'EdDSA', use: 'sig' } });
  });

  it('refuses the anonymous and a bad token (401), a format not offered (400), an unknown assessment or node (404), a write (405)', async () => {
    const path = `/downloads/assessments/${f.assessment.id}/reports/oscal-ar`;
    expect((await get(path, null)).status).toBe(401);
    expect((await get(path, 'plm_not_a_token')).status).toBe(401);
    expect((await get('/.well-known/plimsoll-signing-key', null)).status).toBe(401);
    const pdf = await get(`/downloads/assessments/${f.assessment.id}/reports/pdf`);
    expect(pdf.status).toBe(400);
    expect(JSON.stringify(await pdf.json())).toContain('format pdf is not offered by this server');
    expect((await get('/downloads/assessments/nope/reports/oscal-ar')).status).toBe(404);
    expect((await get(`/downloads/assessments/${f.assessment.id}/nodes/elsewhere/reports/oscal-ar`)).status).toBe(404);
    expect((await get(path, token, 'POST')).status).toBe(405);
    const audited = services.audit.records.filter((r) => r.action === 'renderReport');
    expect(audited.filter((r) => r.outcome === 'failure').length).toBeGreaterThanOrEqual(3);
    expect(audited.some((r) => r.outcome === 'success' && r.actor === AUDITOR.name)).toBe(true);
  });
});
