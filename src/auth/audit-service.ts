/**
 * The audit log: written by the service gateway and the transports (AuditLog), read and verified by admins
 * (AuditService). Entries are validated before they are chained.
 */
import { ROLES, type AuditEntry, type AuditRecord } from '../domain/auth.js';
import { ChainVerifier, type ChainVerification } from '../domain/audit-chain.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { AuditLog, AuditService } from '../domain/services.js';
import type { AuditRepository } from '../repositories/audit-repository.js';

const MAX_TARGET = 1000;
const MAX_DETAIL = 1000;

export interface AuditServiceDeps {
  audit: AuditRepository;
  now?: () => Date;
}

/** Caps a text field (targets and details are summaries; the full input is not evidence of who acted). */
function cap(text: string | undefined, max: number): string | undefined {
  return text === undefined || text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export class ChainedAuditService implements AuditService, AuditLog {
  private readonly repo: AuditRepository;
  private readonly now: () => Date;

  constructor(deps: AuditServiceDeps) {
    this.repo = deps.audit;
    this.now = deps.now ?? (() => new Date());
  }

  async record(entry: AuditEntry): Promise<AuditRecord> {
    if (entry.actor.trim() === '' || entry.action.trim() === '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'An audit record needs an actor and an action');
    if (entry.role !== undefined && !ROLES.includes(entry.role)) throw new PlimsollError(ErrorCode.BAD_INPUT, `Unknown role ${JSON.stringify(entry.role)} in audit record`);
    if (entry.outcome !== 'success' && entry.outcome !== 'failure') {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `Audit outcome must be success or failure, got ${JSON.stringify(entry.outcome)}`);
    }
    const target = cap(entry.target, MAX_TARGET);
    const detail = cap(entry.detail, MAX_DETAIL);
    const { target: _t, detail: _d, ...rest } = entry;
    return this.repo.append({ ...rest, ...(target !== undefined ? { target } : {}), ...(detail !== undefined ? { detail } : {}) }, this.now().toISOString());
  }

  list(page: PageRequest = {}): Promise<Connection<AuditRecord>> {
    return this.repo.list(page);
  }

  /** Walks the whole chain; with `head` (an id and hash noted earlier), also checks that it is still there. */
  async verify(options: { head?: { id: number; hash: string } } = {}): Promise<ChainVerification> {
    const verifier = new ChainVerifier();
    for await (const record of this.repo.walk()) verifier.step(record);
    const head = options.head;
    if (head === undefined) return verifier.result();
    const found = await this.repo.findById(head.id);
    return verifier.result({ ...head, ...(found !== undefined ? { found } : {}) });
  }
}
