/**
 * Prepared statements kept across queries. Kysely's SQLite driver prepares every query it runs, and preparing
 * (parsing and planning the SQL) cost more than running most of Plimsoll's short queries: a scheduled fleet
 * run issues about ninety. The SQL text Kysely compiles for a query shape is the same every time (values are
 * bound), so one statement per text serves every later call. Bounded (least recently used out); a statement
 * still being iterated (a streamed query) is never handed out twice: a fresh one is prepared for the caller.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from './kysely.js';

/** Statements kept by default: more than the distinct query shapes of a run, a few MB at most. */
export const STATEMENT_CACHE_SIZE = 500;

/** `db` as Kysely's SqliteDialect wants it, preparing each SQL text once. */
export function withStatementCache(db: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SQLite.Statement {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        // Map order is insertion order: re-inserting makes it the most recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
