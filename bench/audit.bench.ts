/**
 * The hash-chained audit log: appending records (one transaction each, reading the head) and verifying the
 * whole chain (streamed in batches), on a temp SQLite file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChainedAuditService } from '../src/auth/audit-service.js';
import { AuditRepository } from '../src/repositories/audit-repository.js';
import { openDatabase } from '../src/repositories/database/database.js';

export interface AuditMeasure {
  records: number;
  appendMsPerRecord: number;
  verifyMs: number;
}

/** Appends `records` records, then verifies the chain. */
export async function benchAudit(records: number): Promise<AuditMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-audit-bench-'));
  const db = await openDatabase(path.join(dir, 'audit.db'));
  try {
    const audit = new ChainedAuditService({ audit: new AuditRepository(db) });
    const start = performance.now();
    for (let i = 0; i < records; i++) {
      await audit.record({ actor: 'alice', actorUserId: 'u-alice', role: 'admin', via: 'token', action: 'registerNode', target: `{"name":"node-${i}"}`, outcome: 'success' });
    }
    const appendMs = performance.now() - start;
    const verifyStart = performance.now();
    const verified = await audit.verify();
    const verifyMs = performance.now() - verifyStart;
    if (!verified.ok || verified.count !== records) throw new Error(`audit benchmark: the chain did not verify (${JSON.stringify(verified.problems.slice(0, 3))})`);
    return { records, appendMsPerRecord: Math.round((appendMs / records) * 1000) / 1000, verifyMs: Math.round(verifyMs) };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
