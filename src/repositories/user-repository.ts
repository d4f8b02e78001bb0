/**
 * Users in the database (table app_user). Names are unique case-insensitively through name_key; an OIDC
 * identity (issuer, subject) links to at most one user.
 */
import type { Selectable } from './database/kysely.js';
import { type Role, type User, type UserKind, type UserOrigin, userNameKey } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { isUniqueViolation } from './database/constraint-errors.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { AppUserTable } from './database/tables.js';
import { parseStoredJson } from './database/stored-json.js';

/** A stored scope column: NULL is every environment. */
export function storedScope(json: string | null, what: string): string[] | undefined {
  return json === null ? undefined : parseStoredJson<string[]>(json, what);
}

/** The column value of a scope (undefined: NULL, every environment). */
export function scopeColumn(scope: readonly string[] | undefined): string | null {
  return scope === undefined ? null : JSON.stringify(scope);
}

/** Creator chains longer than this are cut (they can't occur: a user is created after its creator). */
const MAX_CHAIN = 1000;

function toUser(row: Selectable<AppUserTable>): User {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    kind: row.kind as UserKind,
    origin: row.origin as UserOrigin,
    createdAt: row.created_at,
    ...(row.created_by !== null ? { createdBy: row.created_by } : {}),
    ...(row.oidc_issuer !== null && row.oidc_subject !== null ? { oidc: { issuer: row.oidc_issuer, subject: row.oidc_subject } } : {}),
    ...(row.environments_json !== null ? { environments: storedScope(row.environments_json, `environments of user ${row.id}`) } : {}),
  };
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new user; CONFLICT when the name (case-insensitively) or the OIDC identity is taken. */
  async insert(user: User): Promise<User> {
    try {
      await this.db
        .insertInto('app_user')
        .values({
          id: user.id, name: user.name, name_key: userNameKey(user.name), role: user.role, kind: user.kind, origin: user.origin, created_at: user.createdAt,
          created_by: user.createdBy ?? null, oidc_issuer: user.oidc?.issuer ?? null, oidc_subject: user.oidc?.subject ?? null,
          environments_json: scopeColumn(user.environments),
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) {
        const taken = await this.findByName(user.name);
        throw new PlimsollError(ErrorCode.CONFLICT, taken !== undefined ? `The user name ${user.name} is taken (by ${taken.name}; names are compared case-insensitively)` : `That OIDC identity is already linked to a user`);
      }
      throw e;
    }
    return user;
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  /** By name, case-insensitively. */
  async findByName(name: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('app_user').selectAll().where('name_key', '=', userNameKey(name)).executeTakeFirst();
    return row && toUser(row);
  }

  async findByOidc(issuer: string, subject: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('app_user').selectAll().where('oidc_issuer', '=', issuer).where('oidc_subject', '=', subject).executeTakeFirst();
    return row && toUser(row);
  }

  /** Sets a user's environment scope (undefined: every environment); false when there is no such user. */
  async setEnvironments(id: string, environments: readonly string[] | undefined): Promise<boolean> {
    const res = await this.db.updateTable('app_user').set({ environments_json: scopeColumn(environments) }).where('id', '=', id).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async setRole(id: string, role: Role): Promise<void> {
    await this.db.updateTable('app_user').set({ role }).where('id', '=', id).execute();
  }

  /** Users oldest first, a page at a time (keyset on creation time and id). */
  async list(request: PageRequest = {}): Promise<Connection<User>> {
    const base = this.db.selectFrom('app_user').selectAll();
    const key = [
      { ref: 'app_user.created_at', type: 'string' as const, value: (r: Selectable<AppUserTable>) => r.created_at },
      { ref: 'app_user.id', type: 'string' as const, value: (r: Selectable<AppUserTable>) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toUser);
  }

  /** The users who created this one, nearest first: its creator, that user's creator, and so on. */
  async creatorChain(userId: string): Promise<User[]> {
    const chain: User[] = [];
    const seen = new Set<string>([userId]);
    let next = (await this.findById(userId))?.createdBy;
    while (next !== undefined && !seen.has(next) && chain.length < MAX_CHAIN) {
      seen.add(next);
      const creator = await this.findById(next);
      if (creator === undefined) break;
      chain.push(creator);
      next = creator.createdBy;
    }
    return chain;
  }
}
