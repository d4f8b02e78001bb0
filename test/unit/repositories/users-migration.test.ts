/**
 * Migration 0006 on a database left by the previous release (migrations 0001–0004, real SQLite file):
 * tokens become users (one per name, case-insensitively) without gaining a permission, exemptions name
 * their requester's user, the CLI's former principal becomes the local operator, and existing audit
 * records are chained unchanged, so `audit verify` passes and later records continue the chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainedAuditService } from '../../../src/auth/audit-service.js';
import { Authenticator } from '../../../src/auth/authenticator.js';
import { hashTokenSecret } from '../../../src/auth/user-service.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
let file: string;
let db: Db | undefined;

/** Migrates a fresh file to 0004 (the release before users) and fills it as that release would have. */
async function previousRelease(): Promise<void> {
  const all = await migrationProvider.getMigrations();
  const before: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0005'));
  const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
  if (error) throw error;
  const token = (id: string, name: string, role: string, at: string, revoked: string | null = null) => ({ id, name, role, token_hash: hashTokenSecret(`secret-${id}`), created_at: at, revoked_at: revoked });
  await old.insertInto('api_token').values([
    token('t-boot', 'bootstrap-admin', 'admin', '2025-01-01T00:00:00Z'),
    token('t-bob-1', 'assessor-bob', 'assessor', '2025-01-02T00:00:00Z'),
    token('t-bob-2', 'Assessor-Bob', 'admin', '2025-01-03T00:00:00Z'),
    token('t-dora', 'dora', 'admin', '2025-01-04T00:00:00Z', '2025-01-05T00:00:00Z'),
    token('t-dora-2', 'dora', 'auditor', '2025-01-06T00:00:00Z'),
  ]).execute();
  const exemption = (id: string, by: string, tokenId: string) => ({
    id, name: id, rule: '*', container_pattern: 'web-*', labels_json: '{}', node_ref: null, justification: 'j', requested_by: by, requested_by_token: tokenId,
    requested_at: '2025-02-01T00:00:00Z', expires_at: '2099-01-01', status: 'requested', approved_by: null, approved_at: null, rejected_by: null, rejected_at: null, revoked_by: null, revoked_at: null, reason: null,
  });
  await old.insertInto('exemption').values([exemption('e-bob', 'Assessor-Bob', 't-bob-2'), exemption('e-cli', 'local-cli', 'local-cli'), exemption('e-ghost', 'ghost', 't-gone')]).execute();
  await old.insertInto('audit_log').values([
    { at: '2025-02-01T00:00:00Z', actor: 'assessor-bob', role: 'assessor', action: 'registerNode', target: '{"name":"n1"}', outcome: 'success', detail: null },
    { at: '2025-02-02T00:00:00Z', actor: 'local-cli', role: 'admin', action: 'approveExemption', target: null, outcome: 'failure', detail: 'FORBIDDEN_SEPARATION_OF_DUTIES: x' },
  ]).execute();
  await old.destroy();
}

beforeEach(async () => {
  dir = tempDir('plimsoll-migration-');
  file = path.join(dir, 'old.db');
  await previousRelease();
  db = await openDatabase(file);
});
afterEach(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 0006 (users)', () => {
  it('makes one user per token name, case-insensitively, with the highest active role; tokens keep theirs as a ceiling', async () => {
    const users = await db!.selectFrom('app_user').select(['name', 'role', 'origin', 'created_by']).orderBy('created_at').execute();
    expect(users).toEqual([
      { name: 'bootstrap-admin', role: 'admin', origin: 'bootstrap', created_by: null },
      { name: 'assessor-bob', role: 'admin', origin: 'migration', created_by: null },
      { name: 'dora', role: 'auditor', origin: 'migration', created_by: null },
      { name: 'local-operator', role: 'admin', origin: 'cli', created_by: null },
    ]);
    const auth = new Authenticator({ users: new UserRepository(db!), tokens: new TokenRepository(db!), audit: new ChainedAuditService({ audit: new AuditRepository(db!) }) });
    // Both of Bob's old tokens are now Bob, each with exactly the permissions it had.
    const bob1 = await auth.bearer('secret-t-bob-1');
    const bob2 = await auth.bearer('secret-t-bob-2');
    expect(bob1).toMatchObject({ name: 'assessor-bob', role: 'assessor', tokenId: 't-bob-1' });
    expect(bob2).toMatchObject({ name: 'assessor-bob', role: 'admin', tokenId: 't-bob-2' });
    expect('userId' in bob1 && 'userId' in bob2 && bob1.userId === bob2.userId).toBe(true);
    // Dora's admin token was revoked: her remaining token does not make her an admin.
    expect(await auth.bearer('secret-t-dora')).toMatchObject({ anonymous: true });
    expect(await auth.bearer('secret-t-dora-2')).toMatchObject({ name: 'dora', role: 'auditor' });
  });

  it("names each exemption's requester user: through its token, the legacy CLI principal, or not at all", async () => {
    const rows = await db!.selectFrom('exemption').innerJoin('app_user', 'app_user.id', 'exemption.requested_by_user').select(['exemption.id', 'app_user.name']).orderBy('exemption.id').execute();
    expect(rows).toEqual([{ id: 'e-bob', name: 'assessor-bob' }, { id: 'e-cli', name: 'local-operator' }]);
    expect((await db!.selectFrom('exemption').select('requested_by_user').where('id', '=', 'e-ghost').executeTakeFirst())?.requested_by_user).toBeNull();
  });

  it('chains the existing audit records unchanged; new records continue the chain', async () => {
    const audit = new ChainedAuditService({ audit: new AuditRepository(db!) });
    const old = (await audit.list()).edges.map((e) => e.node).reverse();
    expect(old.map((r) => [r.id, r.actor, r.role, r.action, r.outcome, r.detail])).toEqual([
      [1, 'assessor-bob', 'assessor', 'registerNode', 'success', undefined],
      [2, 'local-cli', 'admin', 'approveExemption', 'failure', 'FORBIDDEN_SEPARATION_OF_DUTIES: x'],
    ]);
    expect((await audit.verify()).ok).toBe(true);
    await audit.record({ actor: 'anonymous', action: 'createApiToken', outcome: 'failure', detail: 'UNAUTHENTICATED: unknown API token' });
    const v = await audit.verify();
    expect(v).toMatchObject({ ok: true, count: 3, head: { id: 3 } });
    await db!.updateTable('audit_log').set({ actor: 'someone' }).where('id', '=', 1).execute();
    expect((await audit.verify()).problems.map((p) => p.id)).toEqual([1]);
  });
});

describe('migration 0006 landing after a later one', () => {
  it('runs on a database that already ran 0008 (numbers land in any order), keeping its data', async () => {
    const laterFile = path.join(dir, 'later.db');
    const all = await migrationProvider.getMigrations();
    // 0018 (environment scopes) extends the tables 0006 creates, so it can only follow it.
    const without0006: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name !== '0006_users' && name !== '0018_environment_scopes'));
    expect(Object.keys(without0006)).toContain('0008_whole_documents');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(laterFile) }) });
    const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => without0006 } }).migrateToLatest();
    if (error) throw error;
    await old.insertInto('api_token').values({ id: 't-eve', name: 'eve', role: 'assessor', token_hash: hashTokenSecret('secret-t-eve'), created_at: '2025-03-01T00:00:00Z', revoked_at: null }).execute();
    await old.destroy();

    const later = await openDatabase(laterFile);
    try {
      const ran = (await later.selectFrom('kysely_migration' as any).select('name').execute()) as { name: string }[];
      expect(ran.map((r) => r.name)).toEqual(expect.arrayContaining(['0006_users', '0008_whole_documents']));
      const auth = new Authenticator({ users: new UserRepository(later), tokens: new TokenRepository(later), audit: new ChainedAuditService({ audit: new AuditRepository(later) }) });
      expect(await auth.bearer('secret-t-eve')).toMatchObject({ name: 'eve', role: 'assessor', tokenId: 't-eve' });
    } finally {
      await later.destroy();
    }
  });
});
