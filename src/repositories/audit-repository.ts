/** The append-only audit log in SQLite, read newest first. */
import type { Selectable } from 'kysely';
import type { AuditRecord, Role } from '../domain/auth.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { AuditLogTable } from './database/tables.js';

function toAuditRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    role: row.role as Role,
    action: row.action,
    outcome: row.outcome as AuditRecord['outcome'],
    ...(row.target !== null ? { target: row.target } : {}),
    ...(row.detail !== null ? { detail: row.detail } : {}),
  };
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: entry.at,
        actor: entry.actor,
        role: entry.role,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        detail: entry.detail ?? null,
      })
      .execute();
  }

  /** A page of records, newest first (by insertion order, which is also time order). */
  async list(offset: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute();
    return rows.map(toAuditRecord);
  }

  /** A page of records, newest first, continuing after a cursor (keyset on the record id). */
  async page(request: PageRequest): Promise<Connection<AuditRecord>> {
    const base = this.db.selectFrom('audit_log').selectAll();
    const page = await keysetPage(base, countOf(base), [{ ref: 'audit_log.id', type: 'number', value: (r) => r.id }], 'desc', request);
    return mapNodes(page, toAuditRecord);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
