/**
 * The audit log as a hash chain. Each record's hash covers its canonical content (id, time, actor, action,
 * target, outcome, detail) and the previous record's hash, so changing a record breaks its own hash, and
 * deleting or rewriting one breaks the link of the record after it. Ids are consecutive, so the gap a
 * deletion leaves names the missing ids. Deleting the newest records leaves an intact shorter chain: only a
 * head (id and hash) kept elsewhere shows that, which is why verification reports the head.
 */
import type { AuditRecord } from './auth.js';
import { canonicalSha256 } from './canonical-json.js';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a record: sha256 of the canonical JSON of every field but `hash` (absent fields left out). */
export function auditRecordHash(record: Omit<AuditRecord, 'hash'>): string {
  return canonicalSha256({
    id: record.id,
    at: record.at,
    actor: record.actor,
    actorUserId: record.actorUserId,
    role: record.role,
    via: record.via,
    action: record.action,
    target: record.target,
    outcome: record.outcome,
    detail: record.detail,
    prevHash: record.prevHash,
  });
}

/** One break in the chain, naming the record where it shows. */
export interface ChainProblem {
  /** The record whose check failed (for missing records: the first one after the gap). */
  id: number;
  kind: 'changed' | 'missing' | 'relinked' | 'head-mismatch';
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  count: number;
  head?: { id: number; hash: string };
  problems: ChainProblem[];
}

/**
 * Walks records in id order and names every break. Feed records through `step` (memory stays bounded on a
 * long log) and call `result` at the end.
 */
export class ChainVerifier {
  private previous: { id: number; hash: string } | undefined;
  private count = 0;
  private readonly problems: ChainProblem[] = [];

  step(record: AuditRecord): void {
    this.count += 1;
    const recomputed = auditRecordHash(record);
    if (recomputed !== record.hash) {
      this.problems.push({ id: record.id, kind: 'changed', message: `record ${record.id} was changed: its content no longer matches its hash` });
    }
    const prev = this.previous;
    const expected = prev?.hash ?? GENESIS_HASH;
    if (record.prevHash !== expected) {
      const firstMissing = prev === undefined ? 1 : prev.id + 1;
      if (record.id > firstMissing) {
        const range = record.id - 1 === firstMissing ? `record ${firstMissing} is` : `records ${firstMissing} to ${record.id - 1} are`;
        this.problems.push({ id: record.id, kind: 'missing', message: `${range} missing (deleted) before record ${record.id}` });
      } else {
        const what = prev === undefined ? 'the start of the chain' : `record ${prev.id}`;
        this.problems.push({ id: record.id, kind: 'relinked', message: `record ${record.id} does not link to ${what}: ${prev === undefined ? 'earlier records were removed' : `record ${prev.id} was changed and rehashed`}` });
      }
    }
    this.previous = { id: record.id, hash: record.hash };
  }

  /** The verdict; with `expectedHead`, also checks that a head noted earlier is still in the chain with its hash. */
  result(expectedHead?: { id: number; hash: string; found?: AuditRecord }): ChainVerification {
    const problems = [...this.problems];
    if (expectedHead !== undefined) {
      const found = expectedHead.found;
      if (found === undefined) {
        problems.push({ id: expectedHead.id, kind: 'head-mismatch', message: `record ${expectedHead.id}, the head noted earlier, is missing: newer records were deleted` });
      } else if (found.hash !== expectedHead.hash) {
        problems.push({ id: expectedHead.id, kind: 'head-mismatch', message: `record ${expectedHead.id} has hash ${found.hash}, not the noted ${expectedHead.hash}` });
      }
    }
    return { ok: problems.length === 0, count: this.count, ...(this.previous !== undefined ? { head: this.previous } : {}), problems };
  }
}
