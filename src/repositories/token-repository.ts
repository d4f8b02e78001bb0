/**
 * API tokens in SQLite. Only the sha256 of a secret is stored; the row's hash never leaves this
 * module (the domain ApiToken has no hash field).
 */
import type { Selectable } from 'kysely';
import type { ApiToken, Role } from '../domain/auth.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { ApiTokenTable } from './database/tables.js';

export interface NewTokenRow {
  id: string;
  name: string;
  role: Role;
  tokenHash: string;
  createdAt: string;
}

/** Maps a row to the domain type, leaving the hash behind. */
function toApiToken(row: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}

export class TokenRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NewTokenRow): Promise<ApiToken> {
    const values = { id: row.id, name: row.name, role: row.role, token_hash: row.tokenHash, created_at: row.createdAt, revoked_at: null };
    await this.db.insertInto('api_token').values(values).execute();
    return toApiToken(values);
  }

  /** The token whose secret hashes to `tokenHash`, revoked or not. */
  async findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toApiToken(row) : undefined;
  }

  async findById(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toApiToken(row) : undefined;
  }

  /** All tokens, oldest first. */
  async list(): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_token').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toApiToken);
  }

  /** A page of tokens, oldest first. */
  async page(request: PageRequest): Promise<Connection<ApiToken>> {
    const base = this.db.selectFrom('api_token').selectAll();
    const key = [
      { ref: 'api_token.created_at', type: 'string' as const, value: (r: Selectable<ApiTokenTable>) => r.created_at },
      { ref: 'api_token.id', type: 'string' as const, value: (r: Selectable<ApiTokenTable>) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'asc', request), toApiToken);
  }

  /** Marks a token revoked; false when it does not exist or was already revoked. */
  async revoke(id: string, at: string): Promise<boolean> {
    const res = await this.db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** How many unrevoked tokens have this role. */
  async countActive(role: Role): Promise<number> {
    const row = await this.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
