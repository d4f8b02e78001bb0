/**
 * Users, tokens and authentication over real repositories in a temp SQLite file: who owns a token, who may
 * mint one for whom, what a token's role ceiling does, how the CLI's and the system's users come to exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainedAuditService } from '../../../src/auth/audit-service.js';
import { Authenticator } from '../../../src/auth/authenticator.js';
import { DefaultUserService, hashTokenSecret } from '../../../src/auth/user-service.js';
import { BOOTSTRAP_ADMIN_NAME, isAnonymous, principalOf, type Caller, type Principal } from '../../../src/domain/auth.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { MAX_PAGE_SIZE } from '../../../src/domain/paging.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

let dir: string;
let db: Db;
let users: DefaultUserService;
let auth: Authenticator;
let audit: ChainedAuditService;
let tick = 0;

function principal(c: Caller): Principal {
  if (isAnonymous(c)) throw new Error(`expected a principal, got anonymous: ${c.reason}`);
  return c;
}

beforeEach(async () => {
  dir = tempDir('plimsoll-users-');
  db = await openDatabase(path.join(dir, 'test.db'));
  tick = 0;
  const now = (): Date => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++));
  const userRepo = new UserRepository(db);
  const tokens = new TokenRepository(db);
  audit = new ChainedAuditService({ audit: new AuditRepository(db), now });
  users = new DefaultUserService({ users: userRepo, tokens, now });
  auth = new Authenticator({ users: userRepo, tokens, audit, now });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ADMIN_SECRET = 'configured-admin-secret-0123456789';

/** The bootstrap admin's principal, through its real token. */
async function bootstrapAdmin(): Promise<Principal> {
  await users.bootstrapAdmin(ADMIN_SECRET);
  return principal(await auth.bearer(ADMIN_SECRET));
}

describe('tokens belong to users', () => {
  it('stores only the hash of a plm_ secret and authenticates it as its user', async () => {
    const admin = await bootstrapAdmin();
    const { token, secret, user, userCreated } = await users.createToken('ci-bot', 'assessor', admin);
    expect(userCreated).toBe(true);
    expect(secret).toMatch(/^plm_[A-Za-z0-9_-]{43}$/);
    const rows = await db.selectFrom('api_token').selectAll().where('id', '=', token.id).execute();
    expect(rows[0]!.token_hash).toBe(hashTokenSecret(secret));
    expect(JSON.stringify(await db.selectFrom('api_token').selectAll().execute())).not.toContain(secret);
    expect(user).toMatchObject({ name: 'ci-bot', role: 'assessor', origin: 'admin', createdBy: admin.userId });
    expect(await auth.bearer(secret)).toEqual({ userId: user.id, name: 'ci-bot', role: 'assessor', kind: 'person', via: 'token', tokenId: token.id });
    expect(await auth.bearer(`${secret}x`)).toEqual({ anonymous: true, reason: 'unknown API token' });
    expect(await auth.bearer(undefined)).toMatchObject({ anonymous: true, reason: expect.stringContaining('no bearer token') });
    expect(await auth.bearer('eyJhbGciOiJSUzI1NiJ9.e30.c2ln')).toMatchObject({ anonymous: true, reason: 'unknown bearer token (a JWT, but OIDC is not configured)' });
  });

  it("createApiToken(name, role): the caller's own name mints for the caller; a taken name is refused, in any case", async () => {
    const admin = await bootstrapAdmin();
    const bob = await users.createToken('assessor-bob', 'assessor', admin);
    const bobP = principal(await auth.bearer(bob.secret));
    // Bob mints for himself through his own name, in another case; never a role above his.
    const own = await users.createToken('Assessor-Bob', 'auditor', bobP);
    expect(own).toMatchObject({ userCreated: false, user: { id: bob.user.id }, token: { userId: bob.user.id, role: 'auditor' } });
    expect(principal(await auth.bearer(own.secret))).toMatchObject({ userId: bob.user.id, role: 'auditor' });
    expect((await rejection(users.createToken('assessor-bob', 'admin', bobP))).code).toBe(ErrorCode.FORBIDDEN);
    // Nobody mints a token for another existing user: not an admin, not with a case variant.
    for (const name of ['assessor-bob', 'Assessor-Bob', 'ASSESSOR-BOB']) {
      const e = await rejection(users.createToken(name, 'assessor', admin));
      expect(e.code, name).toBe(ErrorCode.CONFLICT);
      expect(e.message).toContain('nobody mints tokens for another user');
    }
    // A non-admin can't create users through it.
    expect((await rejection(users.createToken('someone-new', 'auditor', bobP))).code).toBe(ErrorCode.FORBIDDEN);
    expect(await db.selectFrom('app_user').select('name').orderBy('created_at').execute()).toEqual([{ name: BOOTSTRAP_ADMIN_NAME }, { name: 'assessor-bob' }]);
  });

  it('mints own tokens with a label and a ceiling; the ceiling lowers the role, never raises it', async () => {
    const admin = await bootstrapAdmin();
    const ci = await users.createOwnToken({ label: 'ci', role: 'auditor' }, admin);
    expect(ci.token).toMatchObject({ name: 'ci', role: 'auditor', userName: BOOTSTRAP_ADMIN_NAME });
    const ciP = principal(await auth.bearer(ci.secret));
    expect(ciP.role).toBe('auditor');
    // Acting through the auditor-capped token, the admin can't mint an admin token.
    expect((await rejection(users.createOwnToken({ role: 'admin' }, ciP))).code).toBe(ErrorCode.FORBIDDEN);
    // Lowering the user's role lowers every token: the principal takes the lower of the two.
    await users.createToken('erin', 'admin', admin);
    const erin = (await users.get('erin'))!;
    const erinToken = await users.createOwnToken({}, principalOf(erin, 'cli'));
    await new UserRepository(db).setRole(erin.id, 'auditor');
    expect(principal(await auth.bearer(erinToken.secret)).role).toBe('auditor');
  });

  it('lists tokens: admins all (or one user’s), others only their own; revokes by owner or admin', async () => {
    const admin = await bootstrapAdmin();
    const bob = await users.createToken('bob', 'assessor', admin);
    const carol = await users.createToken('carol', 'assessor', admin);
    const bobP = principal(await auth.bearer(bob.secret));
    const all = await users.listTokens({}, {}, admin);
    expect(all.totalCount).toBe(3);
    expect((await users.listTokens({ user: 'BOB' }, {}, admin)).edges.map((e) => e.node.id)).toEqual([bob.token.id]);
    expect((await users.listTokens({}, {}, bobP)).edges.map((e) => e.node.id)).toEqual([bob.token.id]);
    expect((await rejection(users.listTokens({ user: 'carol' }, {}, bobP))).code).toBe(ErrorCode.FORBIDDEN);
    const firstPage = await users.listTokens({}, { first: 2 }, admin);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = await users.listTokens({}, { first: 2, after: firstPage.pageInfo.endCursor! }, admin);
    expect([...firstPage.edges, ...secondPage.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
    expect((await rejection(users.listTokens({}, { first: MAX_PAGE_SIZE + 1 }, admin))).code).toBe(ErrorCode.BAD_INPUT);
    // Paged in the database both ways: the last page, walked backward, ends where the list ends.
    const lastPage = await users.listTokens({}, { last: 2 }, admin);
    expect(lastPage.edges.map((e) => e.node.id)).toEqual(all.edges.slice(-2).map((e) => e.node.id));
    expect(lastPage.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    // One token by id (a Node over GraphQL): for admins and its owner; anyone else is refused, existing or not.
    expect((await users.getToken(carol.token.id, admin))?.userName).toBe('carol');
    expect((await users.getToken(bob.token.id, bobP))?.id).toBe(bob.token.id);
    expect((await rejection(users.getToken(carol.token.id, bobP))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(users.getToken('nope', bobP))).code).toBe(ErrorCode.FORBIDDEN);
    expect(await users.getToken('nope', admin)).toBeUndefined();
    // Likewise a user by id: admins, or the user themself.
    expect((await users.getUser(bobP.userId, bobP))?.name).toBe('bob');
    expect((await users.getUser(carol.user.id, admin))?.name).toBe('carol');
    expect((await rejection(users.getUser(carol.user.id, bobP))).code).toBe(ErrorCode.FORBIDDEN);

    expect((await rejection(users.revokeToken(carol.token.id, bobP))).code).toBe(ErrorCode.FORBIDDEN);
    await users.revokeToken(bob.token.id, bobP);
    expect(await auth.bearer(bob.secret)).toMatchObject({ anonymous: true, reason: expect.stringMatching(/^API token .* was revoked at /) });
    await users.revokeToken(carol.token.id, admin);
    expect((await rejection(users.revokeToken('nope', admin))).code).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('users', () => {
  it('are created by admins with their creator recorded; names are unique case-insensitively and validated', async () => {
    const admin = await bootstrapAdmin();
    const alice = await users.createUser({ name: 'Alice', role: 'assessor' }, admin);
    expect(alice).toMatchObject({ name: 'Alice', role: 'assessor', kind: 'person', origin: 'admin', createdBy: admin.userId });
    for (const name of ['alice', 'ALICE', 'Alice ']) expect((await rejection(users.createUser({ name, role: 'auditor' }, admin))).code, name).toBe(ErrorCode.CONFLICT);
    for (const name of ['', ' ', 'a\nb', '-lead', 'x'.repeat(101), 'plimsoll-system', 'Anonymous']) expect((await rejection(users.createUser({ name, role: 'auditor' }, admin))).code, name).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(users.createUser({ name: 'zed', role: 'root' as 'admin' }, admin))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(users.createUser({ name: 'oidc-person', role: 'auditor', oidcSubject: 'sub-1' }, admin))).message).toContain('needs OIDC configured');
    expect((await users.get('ALICE'))?.id).toBe(alice.id);
    expect((await users.me(principalOf(alice, 'cli'))).name).toBe('Alice');
    expect((await users.list({ first: 1 })).pageInfo.hasNextPage).toBe(true);
  });

  it('bootstrap: a configured secret becomes the bootstrap admin’s token; revoked ones are refused', async () => {
    expect(await users.bootstrapAdmin(ADMIN_SECRET)).toEqual({});
    expect(await users.bootstrapAdmin(ADMIN_SECRET)).toEqual({});
    const admin = principal(await auth.bearer(ADMIN_SECRET));
    expect(admin).toMatchObject({ name: BOOTSTRAP_ADMIN_NAME, role: 'admin' });
    expect(await users.bootstrapAdmin()).toEqual({});
    const [token] = (await users.listTokens({}, {}, admin)).edges;
    await users.revokeToken(token!.node.id, admin);
    expect((await rejection(users.bootstrapAdmin(ADMIN_SECRET))).code).toBe(ErrorCode.CONFIG_INVALID);
    // No admin token left: one is generated and its secret returned once.
    const { createdSecret } = await users.bootstrapAdmin();
    expect(principal(await auth.bearer(createdSecret!))).toMatchObject({ name: BOOTSTRAP_ADMIN_NAME, role: 'admin' });
    expect(await users.bootstrapAdmin()).toEqual({});
  });

  it('the CLI acts as a named user, or as the local operator created on first use; the system user is no person', async () => {
    const operator = principal(await auth.local(undefined));
    expect(operator).toMatchObject({ name: 'local-operator', role: 'admin', kind: 'person', via: 'cli' });
    expect(principal(await auth.local(undefined)).userId).toBe(operator.userId);
    expect(await auth.local('nobody')).toMatchObject({ anonymous: true, reason: expect.stringContaining('no user named nobody') });
    await users.createUser({ name: 'Dora', role: 'auditor' }, operator);
    expect(principal(await auth.local('dora'))).toMatchObject({ name: 'Dora', role: 'auditor', via: 'cli' });
    const system = await auth.system();
    expect(system).toMatchObject({ name: 'plimsoll-system', kind: 'system', via: 'system' });
    expect(await auth.local('plimsoll-system')).toMatchObject({ anonymous: true });
    expect((await rejection(users.createOwnToken({}, system))).code).toBe(ErrorCode.FORBIDDEN);
    // Users that came to exist without an admin are audited too.
    const records = (await audit.list()).edges.map((e) => e.node);
    expect(records.map((r) => `${r.actor}:${r.action}:${r.via}`).sort()).toEqual(['local-operator:createUser:cli', 'plimsoll-system:createUser:system']);
  });
});
