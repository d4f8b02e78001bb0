/**
 * OIDC bearer tokens end to end: a JWKS served by this test over real HTTP (port 0), real signed JWTs
 * (jose), the wired application (config from the environment, SQLite file) behind the HTTP server on
 * port 0. Valid tokens map `sub` to a user (created on first sight) with the role from `groups`; expired,
 * wrong-audience, wrong-issuer, unknown-kid, `alg: none`, HMAC and forged tokens are refused with 401 and
 * their mutation attempts audited as anonymous with the reason.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleFromClaims } from '../../src/auth/oidc-authenticator.js';
import type { WiredApp } from '../../src/cli/runtime.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { wireApp } from '../../src/main.js';
import { repoRoot, tempDir } from '../harness/content.js';

const ISSUER = 'https://idp.example.test/realms/plimsoll';
const AUDIENCE = 'plimsoll-api';

let dir: string;
let jwks: http.Server;
let jwksHits = 0;
let app: WiredApp;
let server: RunningHttpServer;
let rsa: { privateKey: CryptoKey; publicJwk: JWK };
let ec: { privateKey: CryptoKey; publicJwk: JWK };
let stranger: CryptoKey;
const saved = { ...process.env };

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

interface TokenOptions {
  sub?: string;
  groups?: unknown;
  name?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  key?: CryptoKey;
  alg?: string;
  kid?: string;
}

async function jwt(o: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { groups: o.groups ?? ['plimsoll-admins'], preferred_username: o.name ?? 'oscar' };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'rsa-1' })
    .setSubject(o.sub ?? 'sub-oscar')
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(o.exp ?? now + 300)
    .sign(o.key ?? rsa.privateKey);
}

async function post(query: string, bearer?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  dir = tempDir('plimsoll-oidc-');
  rsa = await keyPair('RS256', 'rsa-1');
  ec = await keyPair('ES256', 'ec-1');
  stranger = (await generateKeyPair('RS256')).privateKey;
  jwks = http.createServer((req, res) => {
    jwksHits += 1;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end('secret internal body');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    PLIMSOLL_OIDC_ISSUER: ISSUER,
    PLIMSOLL_OIDC_AUDIENCE: AUDIENCE,
    PLIMSOLL_OIDC_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    PLIMSOLL_OIDC_ROLE_MAP: JSON.stringify({ 'plimsoll-admins': 'admin', 'plimsoll-assessors': 'assessor', 'cn=auditors,ou=groups,dc=example': 'auditor' }),
    PLIMSOLL_OIDC_CLOCK_TOLERANCE_S: '5',
    PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'),
  });
  app = await wireApp({ db: path.join(dir, 'oidc.db') });
  server = await startHttpServer({ gateway: app.gateway, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
  process.env = { ...saved };
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('OIDC bearer tokens', () => {
  it('maps sub to a user created on first sight, with the role from the groups claim', async () => {
    const token = await jwt();
    const me = await post('{ me { id name role origin oidcIssuer oidcSubject } }', token);
    expect(me.status).toBe(200);
    expect(me.json.data.me).toMatchObject({ name: 'oscar', role: 'ADMIN', origin: 'OIDC', oidcIssuer: ISSUER, oidcSubject: 'sub-oscar' });
    // Same person, second request: same user, no second creation.
    const again = await post('{ me { id } }', await jwt({ kid: 'ec-1', alg: 'ES256', key: ec.privateKey }));
    expect(again.json.data.me.id).toBe(me.json.data.me.id);
    expect(jwksHits).toBe(1);
  });

  it('follows the provider when the groups change, and records the change', async () => {
    const demoted = await post('{ me { role } }', await jwt({ groups: 'cn=auditors,ou=groups,dc=example' }));
    expect(demoted.json.data.me.role).toBe('AUDITOR');
    const refused = await post('mutation { createUser(input: { name: "x", role: ADMIN }) { user { id } } }', await jwt({ groups: ['cn=auditors,ou=groups,dc=example'] }));
    expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const back = await post('{ me { role } auditLog(first: 5) { edges { node { actor action via target } } } }', await jwt());
    expect(back.json.data.me.role).toBe('ADMIN');
    const actions = back.json.data.auditLog.edges.map((e: { node: { action: string; via: string } }) => `${e.node.action}:${e.node.via}`);
    expect(actions).toEqual(expect.arrayContaining(['syncOidcRole:OIDC', 'createUser:OIDC']));
  });

  it('refuses tokens with no mapped group, and identities whose name another user holds', async () => {
    const none = await post('{ me { id } }', await jwt({ sub: 'sub-nobody', name: 'nobody', groups: ['everyone'] }));
    expect(none.status).toBe(401);
    expect(none.json.errors[0].message).toBe('Not authenticated: OIDC token of sub-nobody refused: its groups claim maps to no Plimsoll role');
    // A second identity calling itself oscar is not oscar.
    const impostor = await post('{ me { id } }', await jwt({ sub: 'sub-other', name: 'OSCAR' }));
    expect(impostor.status).toBe(401);
    expect(impostor.json.errors[0].message).toContain('the user name OSCAR of OIDC subject sub-other is held by another user');
  });

  it('signs in an identity an admin provisioned ahead of time as that user', async () => {
    const admin = await jwt();
    const created = await post('mutation { createUser(input: { name: "Priya", role: AUDITOR, oidcSubject: "sub-priya" }) { user { id createdByUserId } } }', admin);
    expect(created.json.errors).toBeUndefined();
    const me = await post('{ me { id name origin } }', await jwt({ sub: 'sub-priya', name: 'whatever-the-idp-says', groups: ['plimsoll-assessors'] }));
    expect(me.json.data.me).toEqual({ id: created.json.data.createUser.user.id, name: 'Priya', origin: 'ADMIN' });
  });

  const refusals: [string, () => Promise<string>, string][] = [
    ['expired', () => jwt({ exp: Math.floor(Date.now() / 1000) - 3600 }), 'OIDC token refused: the token has expired'],
    ['for another audience', () => jwt({ aud: 'someone-else' }), 'OIDC token refused: the token is for another audience'],
    ['from another issuer', () => jwt({ iss: 'https://evil.example.test' }), 'OIDC token refused: the token was issued by another issuer'],
    ['signed with an unknown kid', () => jwt({ key: stranger, kid: 'rsa-9' }), 'OIDC token refused: no key of the identity provider matches its kid'],
    ['forged under a known kid', () => jwt({ key: stranger, kid: 'rsa-1' }), 'OIDC token refused: its signature does not verify'],
    ['unsigned (alg none)', async () => new UnsecuredJWT({ groups: ['plimsoll-admins'] }).setSubject('sub-oscar').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').encode(), 'OIDC token refused: its signing algorithm is not accepted'],
    ['signed with HMAC', () => jwt({ alg: 'HS256', key: new TextEncoder().encode('a-guessable-shared-secret-0123456789') as unknown as CryptoKey }), 'OIDC token refused: its signing algorithm is not accepted'],
  ];
  for (const [what, make, reason] of refusals) {
    it(`refuses a token ${what} with 401 and audits a mutation attempt as anonymous`, async () => {
      const res = await post('mutation { revokeApiToken(input: { id: "t-1" }) { revokedId } }', await make());
      expect(res.status).toBe(401);
      expect(res.json.errors).toEqual([{ message: `Not authenticated: ${reason}`, extensions: { code: 'UNAUTHENTICATED' } }]);
      const log = await post('{ auditLog(first: 1) { edges { node { actor role action outcome detail } } } }', await jwt());
      expect(log.json.data.auditLog.edges[0].node).toEqual({ actor: 'anonymous', role: null, action: 'revokeApiToken', outcome: 'FAILURE', detail: `UNAUTHENTICATED: ${reason}` });
    });
  }

  it('authenticates uploads and downloads as /graphql does; an upload is its user\'s, whichever credential names it', async () => {
    const origin = server.url.replace(/\/graphql$/, '');
    const send = (bearer: string): Promise<Response> =>
      fetch(`${origin}/uploads?name=small-catalog.xml`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', authorization: `Bearer ${bearer}` },
        body: fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'content', 'small-catalog.xml')),
      });
    const expired = await send(await jwt({ exp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(expired.status).toBe(401);
    const refusedLog = await post('{ auditLog(first: 1) { edges { node { actor action outcome detail } } } }', await jwt());
    expect(refusedLog.json.data.auditLog.edges[0].node).toEqual({ actor: 'anonymous', action: 'createUpload', outcome: 'FAILURE', detail: 'UNAUTHENTICATED: Not authenticated: OIDC token refused: the token has expired' });

    const uploaded = await send(await jwt());
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    // Another person signing in through the same provider cannot name oscar's upload.
    const ava = await post(`mutation { importDocuments(input: { uploadIds: ["${id}"] }) { imports { kind } } }`, await jwt({ sub: 'sub-ava', name: 'ava', groups: ['plimsoll-assessors'] }));
    expect(ava.json.errors[0].extensions.code).toBe('NOT_FOUND');
    // Oscar, through an API token of his, can: the upload belongs to the user, not to the credential.
    const minted = await post('mutation { createMyApiToken(input: { label: "uploads", role: ASSESSOR }) { secret } }', await jwt());
    const imported = await post(`mutation { importDocuments(input: { uploadIds: ["${id}"] }) { imports { kind file } } }`, minted.json.data.createMyApiToken.secret);
    expect(imported.json.errors).toBeUndefined();
    expect(imported.json.data.importDocuments.imports).toEqual([{ kind: 'CATALOG', file: 'small-catalog.xml' }]);

    const download = `${origin}/downloads/baselines/none/resolved-catalog.json`;
    expect((await fetch(download, { headers: { authorization: `Bearer ${await jwt({ aud: 'someone-else' })}` } })).status).toBe(401);
    const found = await fetch(download, { headers: { authorization: `Bearer ${await jwt({ groups: ['cn=auditors,ou=groups,dc=example'] })}` } });
    expect(found.status).toBe(404);
    expect(((await found.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
  });

  it('keeps API tokens working beside OIDC, and the audit chain intact', async () => {
    const minted = await post('mutation { createMyApiToken(input: { label: "ci", role: ASSESSOR }) { secret token { userName role } } }', await jwt());
    expect(minted.json.data.createMyApiToken.token).toEqual({ userName: 'oscar', role: 'ASSESSOR' });
    const me = await post('{ me { name role } }', minted.json.data.createMyApiToken.secret);
    expect(me.json.data.me).toEqual({ name: 'oscar', role: 'ADMIN' });
    const verified = await post('{ verifyAuditLog { ok problems { totalCount } } }', await jwt());
    expect(verified.json.data.verifyAuditLog).toEqual({ ok: true, problems: { totalCount: 0 } });
  });
});

describe('roles from claims', () => {
  const map = { roleMap: { a: 'admin', s: 'assessor', u: 'auditor' } as const };
  it('reads a dotted path, a string or an array, and takes the highest mapped role', () => {
    expect(roleFromClaims({ groups: ['u', 's', 'zzz'] }, { ...map, rolesClaim: 'groups' })).toBe('assessor');
    expect(roleFromClaims({ realm_access: { roles: ['u', 'a'] } }, { ...map, rolesClaim: 'realm_access.roles' })).toBe('admin');
    expect(roleFromClaims({ role: 'u' }, { ...map, rolesClaim: 'role' })).toBe('auditor');
    expect(roleFromClaims({ groups: [{ a: 1 }, 7] }, { ...map, rolesClaim: 'groups' })).toBeUndefined();
    expect(roleFromClaims({}, { ...map, rolesClaim: 'groups' })).toBeUndefined();
  });
});
