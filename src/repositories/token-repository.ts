/**
 * API tokens in the database. Only the sha256 of a secret is stored; the row's hash never leaves this
 * module (the domain ApiToken has no hash field). Every token belongs to a user.
 */
import type { Selectable } from './database/kysely.js';
import type { ApiToken, Role } from '../domain/auth.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { ApiTokenTable } from './database/tables.js';
import { scopeColumn, storedScope } from './user-repository.js';

export interface NewTokenRow {
  id: string;
  name: string;
  userId: string;
  role: Role;
  /** Narrower than the user's scope (checked by the user service); undefined: the user's scope. */
  environments?: readonly string[];
  tokenHash: string;
  createdAt: string;
}

type TokenRow = Selectable<ApiTokenTable> & { user_name: string | null };

/** Maps a row to the domain type, leaving the hash behind. */
function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id ?? '',
    userName: row.user_name ?? '',
    role: row.role as Role,
    ...(row.environments_json !== null ? { environments: storedScope(row.environments_json, `environments of token ${row.id}`) } : {}),
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}

export class TokenRepository {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db.selectFrom('api_token').leftJoin('app_user', 'app_user.id', 'api_token.user_id').selectAll('api_token').select('app_user.name as user_name');
  }

  async insert(row: NewTokenRow): Promise<ApiToken> {
    await this.db
      .insertInto('api_token')
      .values({ id: row.id, name: row.name, user_id: row.userId, role: row.role, token_hash: row.tokenHash, created_at: row.createdAt, revoked_at: null, environments_json: scopeColumn(row.environments) })
      .execute();
    const stored = await this.findById(row.id);
    if (stored === undefined) throw new Error(`token ${row.id} vanished after insert`);
    return stored;
  }

  /** The token whose secret hashes to `tokenHash`, revoked or not. */
  async findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.select().where('api_token.token_hash', '=', tokenHash).executeTakeFirst();
    return row && toApiToken(row);
  }

  async findById(id: string): Promise<ApiToken | undefined> {
    const row = await this.select().where('api_token.id', '=', id).executeTakeFirst();
    return row && toApiToken(row);
  }

  /** Tokens oldest first, a page at a time (keyset on creation time and id); only one user's with `userId`. */
  async list(filter: { userId?: string }, request: PageRequest = {}): Promise<Connection<ApiToken>> {
    let base = this.select();
    if (filter.userId !== undefined) base = base.where('api_token.user_id', '=', filter.userId);
    const key = [
      { ref: 'api_token.created_at', type: 'string' as const, value: (r: TokenRow) => r.created_at },
      { ref: 'api_token.id', type: 'string' as const, value: (r: TokenRow) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toApiToken);
  }

  /** Marks a token revoked; false when it does not exist or was already revoked. */
  async revoke(id: string, at: string): Promise<boolean> {
    const res = await this.db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** How many unrevoked tokens act as admins: an admin ceiling held by an admin user. */
  async countActiveAdmin(): Promise<number> {
    const row = await this.db
      .selectFrom('api_token')
      .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('api_token.role', '=', 'admin')
      .where('app_user.role', '=', 'admin')
      .where('api_token.revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
