/** Recognising database errors by code, for SQLite (better-sqlite3) now and PostgreSQL (pg) next. */

function codeOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/** A unique or primary-key constraint refused the write. */
export function isUniqueViolation(e: unknown): boolean {
  const code = codeOf(e);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Another writer holds the database or moved it under a transaction's snapshot: the transaction may be retried. */
export function isWriteContention(e: unknown): boolean {
  const code = codeOf(e);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED' || code === '40001' || code === '40P01';
}
