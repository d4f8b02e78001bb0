/**
 * Secrets an installation generates once and keeps with its data (the `installation_secret` table): the salt
 * environment values are hashed with, when none is configured. A secret, once stored, never changes, so that
 * hashes stay comparable from run to run.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from './database/database.js';

/** The name of the generated environment hash salt. */
export const ENV_HASH_SALT = 'env-hash-salt';

/** A new random secret: 32 bytes, hex. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Stored installation secrets. */
export class InstallationSecretRepository {
  constructor(private readonly db: Db) {}

  /** The secret of this name, created (and stored) first when there is none; concurrent callers get the same one. */
  async getOrCreate(name: string, now: () => Date = () => new Date()): Promise<string> {
    await this.db
      .insertInto('installation_secret')
      .values({ name, value: newSecret(), created_at: now().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('installation_secret').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}
