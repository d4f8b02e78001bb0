/**
 * The append-only audit log, a hash chain (src/domain/audit-chain.ts). A record is appended in one
 * transaction that reads the head and inserts id + 1 with the head's hash: two writers that read the same
 * head collide on the primary key (or, in SQLite, on the write lock) and the loser retries on the new head,
 * so concurrent writers can't fork the chain. Portable Kysely (PostgreSQL next).
 */
import type { Selectable } from './database/kysely.js';
import type { AuditEntry, AuditRecord, Role, Via } from '../domain/auth.js';
import { GENESIS_HASH, auditRecordHash } from '../domain/audit-chain.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { isUniqueViolation, isWriteContention } from './database/constraint-errors.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { AuditLogTable } from './database/tables.js';

const MAX_ATTEMPTS = 50;
const WALK_BATCH = 1000;

function toAuditRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    ...(row.actor_user_id !== null ? { actorUserId: row.actor_user_id } : {}),
    ...(row.role !== null ? { role: row.role as Role } : {}),
    ...(row.via !== null ? { via: row.via as Via } : {}),
    action: row.action,
    ...(row.target !== null ? { target: row.target } : {}),
    outcome: row.outcome as AuditRecord['outcome'],
    ...(row.detail !== null ? { detail: row.detail } : {}),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Appends a record at the head of the chain; returns it with its id and hashes. */
  async append(entry: AuditEntry, at: string): Promise<AuditRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const head = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
          const unhashed = { ...entry, id: head === undefined ? 1 : Number(head.id) + 1, at, prevHash: head?.hash ?? GENESIS_HASH };
          const record: AuditRecord = { ...unhashed, hash: auditRecordHash(unhashed) };
          await trx
            .insertInto('audit_log')
            .values({
              id: record.id, at, actor: record.actor, actor_user_id: record.actorUserId ?? null, role: record.role ?? null, via: record.via ?? null, action: record.action,
              target: record.target ?? null, outcome: record.outcome, detail: record.detail ?? null, prev_hash: record.prevHash, hash: record.hash,
            })
            .execute();
          return record;
        });
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !(isUniqueViolation(e) || isWriteContention(e))) throw e;
        // Another writer took the head: back off a little (jittered) and append after its record.
        await sleep(Math.floor(Math.random() * 5 * Math.min(attempt, 10)));
      }
    }
  }

  /** A page of records, newest first, continuing after a cursor (keyset on the record id). */
  async list(request: PageRequest = {}): Promise<Connection<AuditRecord>> {
    const base = this.db.selectFrom('audit_log').selectAll();
    const page = await keysetPage(base, countOf(base), [{ ref: 'audit_log.id', type: 'number', value: (r) => Number(r.id) }], 'desc', request);
    return mapNodes(page, toAuditRecord);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findById(id: number): Promise<AuditRecord | undefined> {
    const row = await this.db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAuditRecord(row);
  }

  /** Every record in id order, a batch at a time (memory stays bounded on a long log). */
  async *walk(): AsyncGenerator<AuditRecord> {
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('id', '>', after).orderBy('id').limit(WALK_BATCH).execute();
      for (const row of rows) yield toAuditRecord(row);
      if (rows.length < WALK_BATCH) return;
      after = Number(rows[rows.length - 1]!.id);
    }
  }
}
