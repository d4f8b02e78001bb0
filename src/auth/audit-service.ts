/** The audit log: who did what, when, with which outcome; read newest first, a page at a time. */
import { ROLES, type AuditRecord } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { AuditService, ListOptions, Page } from '../domain/services.js';
import type { AuditRepository } from '../repositories/audit-repository.js';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 500;

export interface AuditServiceDeps {
  audit: AuditRepository;
  now?: () => Date;
}

export class LogAuditService implements AuditService {
  private readonly repo: AuditRepository;
  private readonly now: () => Date;

  constructor(deps: AuditServiceDeps) {
    this.repo = deps.audit;
    this.now = deps.now ?? (() => new Date());
  }

  async record(entry: Omit<AuditRecord, 'id' | 'at'>): Promise<void> {
    if (entry.actor.trim() === '' || entry.action.trim() === '') {
      throw new PlimsollError(ErrorCode.BAD_INPUT, 'An audit record needs an actor and an action');
    }
    if (!ROLES.includes(entry.role)) throw new PlimsollError(ErrorCode.BAD_INPUT, `Unknown role ${JSON.stringify(entry.role)} in audit record`);
    if (entry.outcome !== 'success' && entry.outcome !== 'failure') {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `Audit outcome must be success or failure, got ${JSON.stringify(entry.outcome)}`);
    }
    await this.repo.insert({ ...entry, at: this.now().toISOString() });
  }

  page(page: PageRequest): Promise<Connection<AuditRecord>> {
    return this.repo.page(page);
  }

  async list(page: ListOptions = {}): Promise<Page<AuditRecord>> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? DEFAULT_AUDIT_PAGE_SIZE;
    if (!Number.isInteger(offset) || offset < 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE_SIZE) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `limit must be an integer from 1 to ${MAX_AUDIT_PAGE_SIZE}, got ${limit}`);
    }
    const [items, total] = await Promise.all([this.repo.list(offset, limit), this.repo.count()]);
    return { items, total };
  }
}
