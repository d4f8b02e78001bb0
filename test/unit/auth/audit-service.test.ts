/**
 * The audit log as a hash chain over a real SQLite file: appends link to the head, verification names a
 * changed, deleted or rehashed record, a noted head shows deletions at the end, and concurrent writers
 * (two connections, like two processes) never fork the chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainedAuditService } from '../../../src/auth/audit-service.js';
import { GENESIS_HASH, auditRecordHash } from '../../../src/domain/audit-chain.js';
import type { AuditEntry } from '../../../src/domain/auth.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { MAX_PAGE_SIZE } from '../../../src/domain/paging.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

let dir: string;
let file: string;
let db: Db;
let audit: ChainedAuditService;

const entry = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({ actor: `user-${n}`, actorUserId: `u-${n}`, role: 'admin', via: 'token', action: 'registerNode', target: `{"n":${n}}`, outcome: 'success', ...over });

beforeEach(async () => {
  dir = tempDir('plimsoll-audit-');
  file = path.join(dir, 'audit.db');
  db = await openDatabase(file);
  let tick = 0;
  audit = new ChainedAuditService({ audit: new AuditRepository(db), now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)) });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function appendFive(): Promise<void> {
  for (let n = 1; n <= 5; n++) await audit.record(entry(n));
}

describe('the audit hash chain', () => {
  it('numbers records 1, 2, 3… and links each to the hash of the one before', async () => {
    await appendFive();
    const records = (await audit.list()).edges.map((e) => e.node).reverse();
    expect(records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    for (const r of records) expect(auditRecordHash(r)).toBe(r.hash);
    expect(await audit.verify()).toEqual({ ok: true, count: 5, head: { id: 5, hash: records[4]!.hash }, problems: [] });
  });

  it('names a changed record', async () => {
    await appendFive();
    await db.updateTable('audit_log').set({ outcome: 'failure' }).where('id', '=', 3).execute();
    const v = await audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([{ id: 3, kind: 'changed', message: 'record 3 was changed: its content no longer matches its hash' }]);
  });

  it('names deleted records by id, the first ones included', async () => {
    await appendFive();
    await db.deleteFrom('audit_log').where('id', 'in', [2, 3]).execute();
    expect((await audit.verify()).problems).toEqual([{ id: 4, kind: 'missing', message: 'records 2 to 3 are missing (deleted) before record 4' }]);
    await db.deleteFrom('audit_log').where('id', '=', 1).execute();
    expect((await audit.verify()).problems).toEqual([
      { id: 4, kind: 'missing', message: 'records 1 to 3 are missing (deleted) before record 4' },
    ]);
  });

  it('names a record changed and rehashed through the broken link of the next one', async () => {
    await appendFive();
    const r2 = (await audit.list()).edges.map((e) => e.node).find((r) => r.id === 2)!;
    const forged = { ...r2, actor: 'someone-else' };
    await db.updateTable('audit_log').set({ actor: forged.actor, hash: auditRecordHash(forged) }).where('id', '=', 2).execute();
    expect((await audit.verify()).problems).toEqual([{ id: 3, kind: 'relinked', message: 'record 3 does not link to record 2: record 2 was changed and rehashed' }]);
  });

  it('shows deleted newest records only against a head noted earlier', async () => {
    await appendFive();
    const head = (await audit.verify()).head!;
    await db.deleteFrom('audit_log').where('id', '=', 5).execute();
    expect((await audit.verify()).ok).toBe(true);
    const v = await audit.verify({ head });
    expect(v.problems).toEqual([{ id: 5, kind: 'head-mismatch', message: 'record 5, the head noted earlier, is missing: newer records were deleted' }]);
    expect((await audit.verify({ head: { id: 4, hash: 'f'.repeat(64) } })).problems[0]).toMatchObject({ id: 4, kind: 'head-mismatch' });
  });

  it('caps targets and details, and refuses incomplete records', async () => {
    const r = await audit.record(entry(1, { target: 'x'.repeat(5000), detail: 'y'.repeat(5000) }));
    expect(r.target!.length).toBe(1000);
    expect(r.detail!.length).toBe(1000);
    expect((await rejection(audit.record(entry(2, { actor: ' ' })))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(audit.record(entry(2, { outcome: 'maybe' as 'success' })))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(audit.record(entry(2, { role: 'root' as 'admin' })))).code).toBe(ErrorCode.BAD_INPUT);
    // Anonymous callers have no role and no user.
    const anon = await audit.record({ actor: 'anonymous', action: 'createApiToken', outcome: 'failure', detail: 'UNAUTHENTICATED: unknown API token' });
    expect(anon).toMatchObject({ id: 2, actor: 'anonymous' });
    expect(anon.role).toBeUndefined();
    expect((await audit.verify()).ok).toBe(true);
  });

  it('pages newest first with stable cursors, both ways, capped at MAX_PAGE_SIZE', async () => {
    await appendFive();
    const first = await audit.list({ first: 2 });
    expect(first.edges.map((e) => e.node.id)).toEqual([5, 4]);
    expect(first.totalCount).toBe(5);
    const rest = await audit.list({ first: 10, after: first.pageInfo.endCursor! });
    expect(rest.edges.map((e) => e.node.id)).toEqual([3, 2, 1]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const back = await audit.list({ last: 2, before: rest.pageInfo.startCursor! });
    expect(back.edges.map((e) => e.node.id)).toEqual([5, 4]);
    expect(back.pageInfo.hasPreviousPage).toBe(false);
    expect((await audit.list({ first: MAX_PAGE_SIZE })).edges).toHaveLength(5);
    expect((await rejection(audit.list({ first: MAX_PAGE_SIZE + 1 }))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(audit.list({ after: 'garbage' }))).code).toBe(ErrorCode.BAD_INPUT);
  });

  it('never forks under concurrent writers on two connections', async () => {
    const other = await openDatabase(file);
    try {
      const second = new ChainedAuditService({ audit: new AuditRepository(other) });
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? audit : second).record(entry(i))));
      const v = await audit.verify();
      expect(v).toMatchObject({ ok: true, count: 60, head: { id: 60 } });
    } finally {
      await other.destroy();
    }
  });
});
