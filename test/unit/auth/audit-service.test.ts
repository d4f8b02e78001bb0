import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAuditService } from '../../../src/auth/audit-service.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
let db: Db;
let audit: LogAuditService;
beforeEach(async () => {
  dir = tempDir('plimsoll-audit-');
  db = await openDatabase(path.join(dir, 'test.db'));
  let tick = 0;
  audit = new LogAuditService({ audit: new AuditRepository(db), now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)) });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('LogAuditService', () => {
  it('lists newest first with the total, a page at a time', async () => {
    for (let i = 0; i < 5; i++) {
      await audit.record({ actor: 'alice', role: 'admin', action: `action-${i}`, outcome: i === 3 ? 'failure' : 'success', ...(i === 0 ? { target: 'node:a', detail: 'first' } : {}) });
    }
    const page = await audit.list({ offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.items.map((r) => r.action)).toEqual(['action-3', 'action-2']);
    expect(page.items[0]).toMatchObject({ outcome: 'failure', at: '2025-01-01T00:00:03.000Z', role: 'admin', actor: 'alice' });
    expect(page.items[0]).not.toHaveProperty('target');
    const all = await audit.list();
    expect(all.items.map((r) => r.action)).toEqual(['action-4', 'action-3', 'action-2', 'action-1', 'action-0']);
    expect(all.items[4]).toMatchObject({ target: 'node:a', detail: 'first' });
  });

  it('rejects bad pages and incomplete records', async () => {
    await expect(audit.list({ limit: 0 })).rejects.toMatchObject({ code: ErrorCode.BAD_INPUT });
    await expect(audit.list({ offset: -1 })).rejects.toMatchObject({ code: ErrorCode.BAD_INPUT });
    await expect(audit.record({ actor: '', role: 'admin', action: 'x', outcome: 'success' })).rejects.toMatchObject({ code: ErrorCode.BAD_INPUT });
    expect((await audit.list()).total).toBe(0);
  });
});
