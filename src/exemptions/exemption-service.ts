/**
 * Exemption requests and their review, with separation of duties:
 *
 * - admins and assessors request (auditors only read);
 * - only an admin approves or rejects; approving follows the separation-of-duties rule
 *   (src/domain/separation-of-duties.ts): never the requester's user (compared case-insensitively),
 *   nor a user the requester created, directly or transitively — FORBIDDEN_SEPARATION_OF_DUTIES;
 * - an admin or the requester revokes an approved exemption (taking a deviation back is always safe);
 * - an exemption past its expiry can't be approved, and never applies (see apply-exemptions.ts).
 *
 * A rule must exist in an imported benchmark: a mistyped STIG id would otherwise wait silently for a
 * rule that never comes.
 */
import { randomUUID } from 'node:crypto';
import { connectionOfList, type Connection, type PageRequest } from '../domain/paging.js';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import {
  ALL_RULES,
  EXEMPTION_KINDS,
  EXEMPTION_STATUSES,
  type ExemptionKind,
  type Exemption,
  type ExemptionLifecycle,
  type ExemptionRequest,
  type ExemptionStatus,
  type ExemptionView,
  expiryInstant,
  isExpired,
  statusAt,
} from '../domain/exemption.js';
import { RISK_ACCEPTANCE_KIND } from '../domain/review.js';
import { sameUser } from '../domain/separation-of-duties.js';
import type { ExemptionService, LibraryService } from '../domain/services.js';
import type { SeparationOfDuties } from '../auth/separation-of-duties.js';
import type { ExemptionRepository } from '../repositories/exemption-repository.js';

/** Whether some imported benchmark has a rule with this STIG id. */
export interface RuleCatalog {
  hasRule(stigId: string): Promise<boolean>;
}

/** A RuleCatalog over the content library: every imported benchmark is searched. */
export function ruleCatalogOf(library: Pick<LibraryService, 'listDocuments' | 'getRule'>): RuleCatalog {
  return {
    async hasRule(stigId) {
      for (const d of await library.listDocuments('benchmark')) {
        if ((await library.getRule(d.documentId, stigId)) !== undefined) return true;
      }
      return false;
    },
  };
}

export interface ExemptionServiceDeps {
  repo: ExemptionRepository;
  rules: RuleCatalog;
  separation: SeparationOfDuties;
  /** Clock (default: now). */
  now?: () => Date;
  newId?: () => string;
}

const RISK_ACCEPTED: ExemptionKind = RISK_ACCEPTANCE_KIND;
const MAX_NAME = 100;
const MAX_PATTERN = 255;
const MAX_TEXT = 4000;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const STIG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function badInput(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, message);
}

/** Trimmed single-line text of 1..max characters. */
function line(value: string | undefined, what: string, max: number): string {
  const v = (value ?? '').trim();
  if (v === '' || v.length > max || CONTROL_CHARS.test(v)) throw badInput(`${what} must be 1 to ${max} printable characters, got ${JSON.stringify(value ?? '')}`);
  return v;
}

/** Trimmed prose of 1..max characters (line breaks allowed). */
function prose(value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (v === '' || v.length > MAX_TEXT) throw badInput(`${what} must be 1 to ${MAX_TEXT} characters`);
  return v;
}

/** The kind, `risk-accepted` when not given. */
function validKind(kind: ExemptionKind | undefined): ExemptionKind {
  if (kind === undefined) return RISK_ACCEPTED;
  if (!EXEMPTION_KINDS.includes(kind)) throw badInput(`unknown exemption kind ${JSON.stringify(kind)}; one of ${EXEMPTION_KINDS.join(', ')}`);
  return kind;
}

function requireRole(actor: Principal, roles: readonly Principal['role'][], what: string): void {
  if (!roles.includes(actor.role)) {
    throw new PlimsollError(ErrorCode.FORBIDDEN, `Only ${roles.join(' or ')} may ${what}; ${actor.name} has role ${actor.role}`);
  }
}

/** Who requested an exemption, as separation of duties compares it. */
function requesterOf(e: Exemption): { userId?: string; name: string } {
  return { ...(e.requestedByUserId !== undefined ? { userId: e.requestedByUserId } : {}), name: e.requestedBy };
}

/** ExemptionService over a repository. */
export class DefaultExemptionService implements ExemptionService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ExemptionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  async request(input: ExemptionRequest, actor: Principal): Promise<ExemptionView> {
    requireRole(actor, ['admin', 'assessor'], 'request exemptions');
    const now = this.now();
    const exemption: Exemption = {
      id: this.newId(),
      name: line(input.name, 'An exemption name', MAX_NAME),
      kind: validKind(input.kind),
      rule: await this.validRule(input.rule),
      target: this.validTarget(input),
      justification: prose(input.justification, 'A justification'),
      requestedBy: actor.name,
      requestedByUserId: actor.userId,
      requestedByTokenId: actor.tokenId ?? actor.via,
      requestedAt: now.toISOString(),
      expiresAt: this.validExpiry(input.expiresAt, now),
      lifecycle: { status: 'requested' },
    };
    await this.deps.repo.insert(exemption);
    return this.view(exemption, now);
  }

  async approve(id: string, actor: Principal): Promise<ExemptionView> {
    requireRole(actor, ['admin'], 'approve exemptions');
    const e = await this.find(id);
    await this.deps.separation.assertIndependent(requesterOf(e), actor, `exemption ${e.id} (${e.name})`);
    const now = this.now();
    this.requireStatus(e, 'requested', 'approve');
    if (isExpired(e, now)) throw new PlimsollError(ErrorCode.CONFLICT, `Exemption ${e.id} (${e.name}) expired at ${e.expiresAt} and can't be approved; request a new one`);
    return this.move(e, { status: 'approved', approvedBy: actor.name, approvedAt: now.toISOString() }, now);
  }

  async reject(id: string, reason: string, actor: Principal): Promise<ExemptionView> {
    requireRole(actor, ['admin'], 'reject exemptions');
    const why = prose(reason, 'A rejection reason');
    const e = await this.find(id);
    this.requireStatus(e, 'requested', 'reject');
    const now = this.now();
    return this.move(e, { status: 'rejected', rejectedBy: actor.name, rejectedAt: now.toISOString(), reason: why }, now);
  }

  async revoke(id: string, actor: Principal, reason?: string): Promise<ExemptionView> {
    const e = await this.find(id);
    if (actor.role !== 'admin' && !sameUser(requesterOf(e), actor)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `Only an admin or the requester may revoke exemption ${e.id}; ${actor.name} has role ${actor.role}`);
    }
    const why = reason === undefined || reason.trim() === '' ? undefined : prose(reason, 'A revocation reason');
    if (e.lifecycle.status !== 'approved') throw this.wrongStatus(e, 'revoke');
    const now = this.now();
    const { approvedBy, approvedAt } = e.lifecycle;
    return this.move(e, { status: 'revoked', approvedBy, approvedAt, revokedBy: actor.name, revokedAt: now.toISOString(), ...(why !== undefined ? { reason: why } : {}) }, now);
  }

  async list(filter: { status?: ExemptionStatus } = {}): Promise<ExemptionView[]> {
    const status = filter.status;
    if (status !== undefined && !EXEMPTION_STATUSES.includes(status)) throw badInput(`unknown exemption status "${String(status)}"; one of ${EXEMPTION_STATUSES.join(', ')}`);
    const now = this.now();
    const views = (await this.deps.repo.list()).map((e) => this.view(e, now));
    return status === undefined ? views : views.filter((v) => v.status === status);
  }

  async page(filter: { status?: ExemptionStatus }, page: PageRequest): Promise<Connection<ExemptionView>> {
    return connectionOfList(await this.list(filter), page);
  }

  async get(id: string): Promise<ExemptionView | undefined> {
    const e = await this.deps.repo.get(id);
    return e && this.view(e, this.now());
  }

  listApproved(): Promise<Exemption[]> {
    return this.deps.repo.list({ statuses: ['approved'] });
  }

  private view(e: Exemption, now: Date): ExemptionView {
    return { ...e, status: statusAt(e, now) };
  }

  private async find(id: string): Promise<Exemption> {
    const e = await this.deps.repo.get(id);
    if (e === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No exemption with id ${id}`);
    return e;
  }

  private requireStatus(e: Exemption, status: ExemptionLifecycle['status'], action: string): void {
    if (e.lifecycle.status !== status) throw this.wrongStatus(e, action);
  }

  private wrongStatus(e: Exemption, action: string): PlimsollError {
    return new PlimsollError(ErrorCode.CONFLICT, `Exemption ${e.id} (${e.name}) is ${e.lifecycle.status}; can't ${action} it`);
  }

  /** Stores the transition unless someone moved the exemption first (then CONFLICT, with its new status). */
  private async move(e: Exemption, next: ExemptionLifecycle, now: Date): Promise<ExemptionView> {
    if (!(await this.deps.repo.transition(e.id, e.lifecycle.status, next))) {
      const current = await this.deps.repo.get(e.id);
      throw new PlimsollError(ErrorCode.CONFLICT, `Exemption ${e.id} changed meanwhile (now ${current?.lifecycle.status ?? 'gone'}); reload and retry`);
    }
    return this.view({ ...e, lifecycle: next }, now);
  }

  private async validRule(rule: string): Promise<string> {
    const r = (rule ?? '').trim();
    if (r === ALL_RULES) return r;
    if (!STIG_ID.test(r)) throw badInput(`A rule must be a STIG id (e.g. DKER-EE-001960) or "*", got ${JSON.stringify(rule)}`);
    if (!(await this.deps.rules.hasRule(r))) throw new PlimsollError(ErrorCode.NOT_FOUND, `No imported benchmark has a rule with STIG id ${r}`);
    return r;
  }

  private validTarget(input: ExemptionRequest): Exemption['target'] {
    if (input.allTargets === true) {
      if (input.container !== undefined || Object.keys(input.labels ?? {}).length > 0) {
        throw badInput('An exemption of the whole rule (allTargets) takes no container pattern or labels; give a node to narrow it');
      }
      if ((input.rule ?? '').trim() === ALL_RULES) throw badInput('An exemption of the whole rule (allTargets) needs one STIG id, not "*"');
      const node = input.node === undefined ? undefined : line(input.node, 'A node reference', MAX_PATTERN);
      return { allTargets: true, labels: {}, ...(node !== undefined ? { node } : {}) };
    }
    const container = input.container === undefined ? undefined : line(input.container, 'A container pattern', MAX_PATTERN);
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(input.labels ?? {})) {
      const k = line(key, 'A label key', MAX_PATTERN);
      if (typeof value !== 'string' || value.length > MAX_PATTERN || CONTROL_CHARS.test(value)) throw badInput(`The value of label ${k} must be at most ${MAX_PATTERN} printable characters`);
      labels[k] = value;
    }
    if (container === undefined && Object.keys(labels).length === 0) {
      throw badInput('An exemption needs a target: a container name pattern, a label (key=value), both, or the whole rule (allTargets)');
    }
    const node = input.node === undefined ? undefined : line(input.node, 'A node reference', MAX_PATTERN);
    return { ...(container !== undefined ? { container } : {}), labels, ...(node !== undefined ? { node } : {}) };
  }

  private validExpiry(expiresAt: string, now: Date): string {
    const v = (expiresAt ?? '').trim();
    const end = expiryInstant(v);
    if (end === undefined) throw badInput(`An expiry must be an ISO date (2027-06-30) or date-time with a zone, got ${JSON.stringify(expiresAt)}`);
    if (end.getTime() <= now.getTime()) throw badInput(`The expiry ${v} is not in the future`);
    return v;
  }
}
