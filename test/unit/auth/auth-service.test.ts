import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ADMIN_NAME, TokenAuthService, hashTokenSecret } from '../../../src/auth/auth-service.js';
import type { Principal } from '../../../src/domain/auth.js';
import { LOCAL_CLI_PRINCIPAL } from '../../../src/domain/auth.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

let dir: string;
let db: Db;
let auth: TokenAuthService;
let tick = 0;
beforeEach(async () => {
  dir = tempDir('plimsoll-auth-');
  db = await openDatabase(path.join(dir, 'test.db'));
  tick = 0;
  auth = new TokenAuthService({ tokens: new TokenRepository(db), now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)) });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TokenAuthService', () => {
  it('creates a plm_ token, stores only its hash and authenticates it', async () => {
    const { token, secret } = await auth.createToken('ci-bot', 'assessor', LOCAL_CLI_PRINCIPAL);
    expect(secret).toMatch(/^plm_[A-Za-z0-9_-]{43}$/);
    const rows = await db.selectFrom('api_token').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashTokenSecret(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(token).toEqual({ id: rows[0]!.id, name: 'ci-bot', role: 'assessor', createdAt: '2025-01-01T00:00:00.000Z' });
    expect(await auth.authenticate(secret)).toEqual({ tokenId: token.id, name: 'ci-bot', role: 'assessor' });
    expect(await auth.authenticate(`${secret}x`)).toBeUndefined();
    expect(await auth.authenticate('')).toBeUndefined();
  });

  it('gives each token its own secret', async () => {
    const a = await auth.createToken('a', 'auditor', LOCAL_CLI_PRINCIPAL);
    const b = await auth.createToken('a', 'auditor', LOCAL_CLI_PRINCIPAL);
    expect(a.secret).not.toBe(b.secret);
    expect((await auth.listTokens()).map((t) => t.id)).toEqual([a.token.id, b.token.id]);
  });

  it('revokes: the token stops authenticating and shows revokedAt; unknown ids are NOT_FOUND', async () => {
    const { token, secret } = await auth.createToken('temp', 'auditor', LOCAL_CLI_PRINCIPAL);
    await auth.revokeToken(token.id, LOCAL_CLI_PRINCIPAL);
    expect(await auth.authenticate(secret)).toBeUndefined();
    const [listed] = await auth.listTokens();
    expect(listed!.revokedAt).toBe('2025-01-01T00:00:01.000Z');
    await auth.revokeToken(token.id, LOCAL_CLI_PRINCIPAL);
    expect((await auth.listTokens())[0]!.revokedAt).toBe('2025-01-01T00:00:01.000Z');
    expect((await rejection(auth.revokeToken('nope', LOCAL_CLI_PRINCIPAL))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('validates name and role, and lets only admins manage tokens', async () => {
    expect((await rejection(auth.createToken('  ', 'admin', LOCAL_CLI_PRINCIPAL))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(auth.createToken('x', 'root' as never, LOCAL_CLI_PRINCIPAL))).code).toBe(ErrorCode.BAD_INPUT);
    const assessor: Principal = { tokenId: 't', name: 'bob', role: 'assessor' };
    expect((await rejection(auth.createToken('x', 'admin', assessor))).code).toBe(ErrorCode.FORBIDDEN);
    const { token } = await auth.createToken('x', 'auditor', LOCAL_CLI_PRINCIPAL);
    expect((await rejection(auth.revokeToken(token.id, assessor))).code).toBe(ErrorCode.FORBIDDEN);
  });
});

describe('bootstrapAdmin', () => {
  it('creates one admin token when none exists and returns its secret once', async () => {
    const first = await auth.bootstrapAdmin();
    expect(first.createdSecret).toMatch(/^plm_/);
    expect(await auth.authenticate(first.createdSecret!)).toMatchObject({ name: BOOTSTRAP_ADMIN_NAME, role: 'admin' });
    expect(await auth.bootstrapAdmin()).toEqual({});
    expect(await auth.listTokens()).toHaveLength(1);
  });

  it('creates a new one when every admin token was revoked', async () => {
    const { createdSecret } = await auth.bootstrapAdmin();
    const [token] = await auth.listTokens();
    await auth.revokeToken(token!.id, LOCAL_CLI_PRINCIPAL);
    const again = await auth.bootstrapAdmin();
    expect(again.createdSecret).toBeDefined();
    expect(again.createdSecret).not.toBe(createdSecret);
  });

  it('registers a configured secret idempotently and never echoes it', async () => {
    const configured = 'a-configured-admin-secret-0123456789';
    expect(await auth.bootstrapAdmin(configured)).toEqual({});
    expect(await auth.bootstrapAdmin(configured)).toEqual({});
    const tokens = await auth.listTokens();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ name: BOOTSTRAP_ADMIN_NAME, role: 'admin' });
    expect(await auth.authenticate(configured)).toMatchObject({ role: 'admin' });
    const rows = await db.selectFrom('api_token').select('token_hash').execute();
    expect(rows[0]!.token_hash).toBe(hashTokenSecret(configured));
  });

  it('refuses a configured secret that was revoked', async () => {
    const configured = 'a-configured-admin-secret-0123456789';
    await auth.bootstrapAdmin(configured);
    const [token] = await auth.listTokens();
    await auth.revokeToken(token!.id, LOCAL_CLI_PRINCIPAL);
    const err = await rejection(auth.bootstrapAdmin(configured));
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(err.message).toContain('PLIMSOLL_ADMIN_TOKEN');
    expect(await auth.authenticate(configured)).toBeUndefined();
  });
});
