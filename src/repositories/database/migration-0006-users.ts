/**
 * Migration 0006: users, tokens that belong to them, exemptions that name their requester's user, and the
 * audit log as a hash chain. Existing data is kept:
 *
 * - one user per distinct token name, compared case-insensitively (`Assessor-Bob` and `assessor-bob` were
 *   indistinguishable to a reader, so they become one user: separation of duties then refuses rather than
 *   allows between them). The user's role is the highest of its unrevoked tokens (of all its tokens when
 *   every one is revoked); each token keeps its role as a ceiling, so no token gains a permission;
 * - the CLI's former fixed principal `local-cli` becomes the user `local-operator`;
 * - exemptions get their requester's user through the token they were requested with (or the name);
 * - existing audit records are chained in id order; their content is not rewritten.
 *
 * Portable Kysely only (no SQLite-only SQL): PostgreSQL runs the same steps.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Migration } from './kysely.js';
import { BOOTSTRAP_ADMIN_NAME, LOCAL_OPERATOR_NAME, ROLES, type Role, userNameKey } from '../../domain/auth.js';
import { GENESIS_HASH, auditRecordHash } from '../../domain/audit-chain.js';

/** The principal name and token id the CLI used before users existed. */
const LEGACY_CLI = 'local-cli';
const BATCH = 1000;

function highest(roles: string[]): Role {
  for (const role of ROLES) if (roles.includes(role)) return role;
  return 'auditor';
}

async function createTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('oidc_issuer', 'text')
    .addColumn('oidc_subject', 'text')
    .execute();
  await db.schema.createIndex('app_user_oidc').on('app_user').columns(['oidc_issuer', 'oidc_subject']).unique().execute();
  await db.schema.createIndex('app_user_created_by').on('app_user').columns(['created_by']).execute();
  await db.schema.alterTable('api_token').addColumn('user_id', 'text', (c) => c.references('app_user.id')).execute();
  await db.schema.createIndex('api_token_user').on('api_token').columns(['user_id']).execute();
  await db.schema.alterTable('exemption').addColumn('requested_by_user', 'text').execute();
}

/** One user per distinct token name; returns user ids by name key. */
async function usersFromTokens(db: Kysely<any>): Promise<Map<string, string>> {
  const tokens = (await db.selectFrom('api_token').select(['id', 'name', 'role', 'created_at', 'revoked_at']).orderBy('created_at').orderBy('id').execute()) as {
    id: string; name: string; role: string; created_at: string; revoked_at: string | null;
  }[];
  const groups = new Map<string, typeof tokens>();
  for (const t of tokens) {
    const key = userNameKey(t.name);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const ids = new Map<string, string>();
  for (const [key, group] of groups) {
    const active = group.filter((t) => t.revoked_at === null);
    const first = group[0]!;
    const id = randomUUID();
    await db
      .insertInto('app_user')
      .values({
        id, name: first.name, name_key: key, role: highest((active.length > 0 ? active : group).map((t) => t.role)), kind: 'person',
        origin: first.name === BOOTSTRAP_ADMIN_NAME ? 'bootstrap' : 'migration', created_at: first.created_at, created_by: null, oidc_issuer: null, oidc_subject: null,
      })
      .execute();
    await db.updateTable('api_token').set({ user_id: id }).where('id', 'in', group.map((t) => t.id)).execute();
    ids.set(key, id);
  }
  return ids;
}

/** Fills exemption.requested_by_user from the token used, the legacy CLI principal, or the name. */
async function exemptionRequesters(db: Kysely<any>, users: Map<string, string>): Promise<void> {
  const rows = (await db.selectFrom('exemption').select(['id', 'requested_by', 'requested_by_token', 'requested_at']).execute()) as {
    id: string; requested_by: string; requested_by_token: string; requested_at: string;
  }[];
  for (const row of rows) {
    let userId: string | undefined;
    if (row.requested_by_token === LEGACY_CLI && row.requested_by === LEGACY_CLI) {
      const key = userNameKey(LOCAL_OPERATOR_NAME);
      if (!users.has(key)) {
        const id = randomUUID();
        await db.insertInto('app_user').values({ id, name: LOCAL_OPERATOR_NAME, name_key: key, role: 'admin', kind: 'person', origin: 'cli', created_at: row.requested_at, created_by: null, oidc_issuer: null, oidc_subject: null }).execute();
        users.set(key, id);
      }
      userId = users.get(key);
    } else {
      const token = (await db.selectFrom('api_token').select('user_id').where('id', '=', row.requested_by_token).executeTakeFirst()) as { user_id: string | null } | undefined;
      userId = token?.user_id ?? users.get(userNameKey(row.requested_by));
    }
    if (userId !== undefined) await db.updateTable('exemption').set({ requested_by_user: userId }).where('id', '=', row.id).execute();
  }
}

/** Rebuilds audit_log with the chain columns (and a nullable role, for anonymous callers), chaining old rows. */
async function chainAuditLog(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log_chained')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('role', 'text')
    .addColumn('via', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  let prevHash = GENESIS_HASH;
  let after = -1;
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('id', '>', after).orderBy('id').limit(BATCH).execute()) as {
      id: number; at: string; actor: string; role: string; action: string; target: string | null; outcome: string; detail: string | null;
    }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = {
        id: row.id, at: row.at, actor: row.actor, role: row.role as Role, action: row.action, outcome: row.outcome as 'success' | 'failure',
        ...(row.target !== null ? { target: row.target } : {}), ...(row.detail !== null ? { detail: row.detail } : {}), prevHash,
      };
      const hash = auditRecordHash(record);
      await db
        .insertInto('audit_log_chained')
        .values({ id: row.id, at: row.at, actor: row.actor, actor_user_id: null, role: row.role, via: null, action: row.action, target: row.target, outcome: row.outcome, detail: row.detail, prev_hash: prevHash, hash })
        .execute();
      prevHash = hash;
      after = row.id;
    }
  }
  await db.schema.dropTable('audit_log').execute();
  await db.schema.alterTable('audit_log_chained').renameTo('audit_log').execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
}

export const usersMigration: Migration = {
  async up(db: Kysely<any>) {
    await createTables(db);
    const users = await usersFromTokens(db);
    await exemptionRequesters(db, users);
    await chainAuditLog(db);
  },
};
