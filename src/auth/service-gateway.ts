/**
 * The only way transports (GraphQL, CLI, HTTP, schedules) reach the services: `servicesFor(caller)` binds
 * the services to one caller, and every method then passes the policy table (service-policy.ts): the role
 * check (UNAUTHENTICATED for anonymous callers, with their reason; FORBIDDEN otherwise), the caller put in
 * the method's Principal slot (so no transport can act as someone else), and, for audited methods, one
 * audit record of the attempt, refusals and failures included.
 */
import { auditActor, isAnonymous, type Caller, type Principal } from '../domain/auth.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { ErrorCode, PlimsollError, isPlimsollError } from '../domain/errors.js';
import type { AppServices, AuditLog } from '../domain/services.js';
import { POLICIES, type Allow, type AuditSpec, type CallerServices, type PolicyTable } from './service-policy.js';
import type { Authenticator } from './authenticator.js';
import { applyScopeRule, assessmentNodeIdsFrom, type ScopeGuardDeps } from '../environments/scope-guard.js';
import { SCOPES, type ScopeTable } from '../environments/scope-table.js';

const MAX_TARGET_CHARS = 500;
const SECRET_KEY = /secret|password|passphrase|private|pem|token$|key$/i;

/** A short, secret-free JSON summary of what a call acted on (keys naming secrets are redacted). */
export function summarizeTarget(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const redacted = JSON.parse(JSON.stringify(value, (key, v: unknown) => (key !== '' && SECRET_KEY.test(key) ? '[redacted]' : v)) ?? 'null') as unknown;
  const text = canonicalJson(redacted);
  return text.length > MAX_TARGET_CHARS ? `${text.slice(0, MAX_TARGET_CHARS - 1)}…` : text;
}

/** The audit detail of a failure: the public code and message of our errors, INTERNAL for anything else. */
export function failureDetail(e: unknown): string {
  return isPlimsollError(e) ? `${e.code}: ${e.message}` : 'INTERNAL';
}

/** Why `caller` may not call a method allowed to `allow`, or undefined. */
function refusal(allow: Allow, caller: Caller, method: string): PlimsollError | undefined {
  if (isAnonymous(caller)) return new PlimsollError(ErrorCode.UNAUTHENTICATED, `Not authenticated: ${caller.reason}`);
  if (allow === 'anyone') return undefined;
  if (allow === 'system') return caller.kind === 'system' ? undefined : new PlimsollError(ErrorCode.FORBIDDEN, `${method} is done by Plimsoll itself, not by ${caller.name}`);
  if (allow.includes(caller.role)) return undefined;
  return new PlimsollError(ErrorCode.FORBIDDEN, `${method} needs the role ${allow.join(' or ')}; ${caller.name} is ${caller.role}`);
}

/** Told about every audit record a bound facade writes (the GraphQL audit plugin counts them). */
export type AuditObserver = () => void;

export interface ServiceGatewayDeps {
  services: AppServices;
  audit: AuditLog;
  authenticator: Pick<Authenticator, 'bearer' | 'local' | 'system' | 'scheduleOwner'>;
  /** The table to apply; the real one unless a test narrows it. */
  policies?: PolicyTable;
  /** How each method obeys environment scopes; the real table unless a test narrows it. */
  scopes?: ScopeTable;
  /** The node ids of an assessment (default: read through the assessment service). */
  assessmentNodeIds?: ScopeGuardDeps['assessmentNodeIds'];
}

export class ServiceGateway {
  private readonly policies: PolicyTable;
  private readonly scopes: ScopeTable;
  private readonly scopeDeps: ScopeGuardDeps;

  constructor(private readonly deps: ServiceGatewayDeps) {
    this.policies = deps.policies ?? POLICIES;
    this.scopes = deps.scopes ?? SCOPES;
    this.scopeDeps = { services: deps.services, assessmentNodeIds: deps.assessmentNodeIds ?? ((id) => assessmentNodeIdsFrom(deps.services.assessments, id)) };
  }

  /** Who presents this bearer secret (undefined: none presented). */
  authenticate(secret: string | undefined): Promise<Caller> {
    return this.deps.authenticator.bearer(secret);
  }

  /** The CLI's user: the named one, or the local operator. */
  localCaller(name: string | undefined): Promise<Caller> {
    return this.deps.authenticator.local(name);
  }

  /** A schedule's owner as its runs act (anonymous, with the reason, when the owner is gone). */
  scheduleOwner(userId: string): Promise<Caller> {
    return this.deps.authenticator.scheduleOwner(userId);
  }

  /** Plimsoll itself, for start-up work. */
  system(): Promise<Principal> {
    return this.deps.authenticator.system();
  }

  /** The services bound to `caller`; `observer` hears about each audit record written through them. */
  servicesFor(caller: Caller, observer?: AuditObserver): CallerServices {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [serviceName, methods] of Object.entries(this.policies) as [keyof AppServices, Record<string, PolicyEntry>][]) {
      const service = this.deps.services[serviceName] as unknown as Record<string, (...a: unknown[]) => unknown>;
      const bound: Record<string, unknown> = {};
      const scopeRules = (this.scopes as unknown as Record<string, Record<string, ScopeRuleAny>>)[serviceName] ?? {};
      for (const [methodName, policy] of Object.entries(methods)) {
        const name = `${serviceName}.${methodName}`;
        // A method missing from the scope table (a narrowed test table) is refused to scoped callers.
        const scopeRule = scopeRules[methodName] ?? 'unscoped';
        const invoke = (who: Caller, args: unknown[]): unknown => {
          const full = policy.actor === undefined ? args : [...args.slice(0, policy.actor), who, ...args.slice(policy.actor)];
          return service[methodName]!(...full);
        };
        if (policy.sync === true) {
          bound[methodName] = (...args: unknown[]) => {
            const refused = refusal(policy.allow, caller, name) ?? syncScopeRefusal(scopeRule, caller, name);
            if (refused !== undefined) throw refused;
            return invoke(caller, args);
          };
        } else {
          bound[methodName] = async (...args: unknown[]) => {
            const checkedCall = async (): Promise<unknown> => {
              const refused = refusal(policy.allow, caller, name);
              if (refused !== undefined) throw refused;
              // Environment scopes (issue #11 item 3): what the call names is checked, lists narrowed, results hidden.
              if (isAnonymous(caller) || caller.environments === undefined) return invoke(caller, args);
              return applyScopeRule(scopeRule, name, caller, this.scopeDeps, args, async (effective) => invoke(caller, effective));
            };
            return policy.audit === undefined ? checkedCall() : this.audited(caller, policy.audit, args, policy.actor, observer, checkedCall);
          };
        }
      }
      out[serviceName] = bound;
    }
    return out as unknown as CallerServices;
  }

  /** Records an attempt that never reached a service (refused by a transport, or invalid before any call). */
  async recordAttempt(caller: Caller, attempt: { action: string; target?: string; outcome: 'success' | 'failure'; detail?: string }): Promise<void> {
    await this.deps.audit.record({ ...auditActor(caller), ...attempt });
  }

  private async audited(who: Caller, spec: AuditSpec<unknown[]>, args: unknown[], actorSlot: number | undefined, observer: AuditObserver | undefined, call: () => Promise<unknown>): Promise<unknown> {
    // The target summariser sees the full argument list, as the service does.
    const full = actorSlot === undefined ? args : [...args.slice(0, actorSlot), who, ...args.slice(actorSlot)];
    let target: string | undefined;
    try {
      target = summarizeTarget(spec.target?.(...full));
    } catch {
      target = undefined;
    }
    const record = async (outcome: 'success' | 'failure', detail?: string): Promise<void> => {
      await this.recordAttempt(who, { action: spec.action, ...(target !== undefined ? { target } : {}), outcome, ...(detail !== undefined ? { detail } : {}) });
      observer?.();
    };
    let result: unknown;
    try {
      result = await call();
    } catch (e) {
      await record('failure', failureDetail(e));
      throw e;
    }
    await record('success');
    return result;
  }
}

type ScopeRuleAny = Parameters<typeof applyScopeRule>[0];

/** Synchronous methods can't look anything up: only those free of node data serve scoped callers. */
function syncScopeRefusal(rule: ScopeRuleAny, caller: Caller, method: string): PlimsollError | undefined {
  if (isAnonymous(caller) || caller.environments === undefined || rule === 'free') return undefined;
  return new PlimsollError(ErrorCode.FORBIDDEN, `${method} is not available to callers limited to environments`);
}

interface PolicyEntry {
  allow: Allow;
  actor?: number;
  sync?: true;
  audit?: AuditSpec<unknown[]>;
}
