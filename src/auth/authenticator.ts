/**
 * Who is calling: a bearer secret (an API token, or an OIDC JWT when OIDC is configured), the CLI's named
 * local user, or Plimsoll itself. The answer is a Caller: a principal, or an anonymous caller with the
 * reason, which the service gateway refuses (and audits) at the first service call.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_OPERATOR_NAME, SYSTEM_USER_NAME, isAnonymous, type Anonymous, type Caller, type Principal, type User, principalOf } from '../domain/auth.js';
import { isPlimsollError, ErrorCode } from '../domain/errors.js';
import type { AuditLog } from '../domain/services.js';
import type { TokenRepository } from '../repositories/token-repository.js';
import type { UserRepository } from '../repositories/user-repository.js';
import type { OidcAuthenticator } from './oidc-authenticator.js';
import { TOKEN_PREFIX, hashTokenSecret } from './user-service.js';

/** Three base64url segments: the compact form of a JWS. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export interface AuthenticatorDeps {
  users: UserRepository;
  tokens: TokenRepository;
  oidc?: OidcAuthenticator;
  /** Records the users created implicitly (the local operator, the system user). */
  audit: AuditLog;
  now?: () => Date;
}

const anonymous = (reason: string): Anonymous => ({ anonymous: true, reason });

export class Authenticator {
  private readonly now: () => Date;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The caller presenting `secret` as a bearer credential (absent: anonymous). */
  async bearer(secret: string | undefined): Promise<Caller> {
    const presented = (secret ?? '').trim();
    if (presented === '') return anonymous('no bearer token (send Authorization: Bearer <token>)');
    // A JWT goes to OIDC when it is configured; everything else (plm_ tokens, a configured admin secret) is an API token.
    if (!presented.startsWith(TOKEN_PREFIX) && JWT.test(presented) && this.deps.oidc !== undefined) return this.deps.oidc.authenticate(presented);
    const caller = await this.apiToken(presented);
    if (isAnonymous(caller) && !presented.startsWith(TOKEN_PREFIX) && JWT.test(presented)) return anonymous('unknown bearer token (a JWT, but OIDC is not configured)');
    return caller;
  }

  /**
   * The CLI's user: `name` (from --as or PLIMSOLL_USER) must exist; without one, the local operator, created
   * on first use as an admin. The CLI is trusted the way its database file is: whoever can write that file
   * can act as anyone, so this names who acts rather than proving it.
   */
  async local(name: string | undefined): Promise<Caller> {
    if (name === undefined || name.trim() === '') return principalOf(await this.ensure(LOCAL_OPERATOR_NAME, 'person', 'cli'), 'cli');
    const user = await this.deps.users.findByName(name.trim());
    if (user === undefined) return anonymous(`no user named ${name.trim()} (an admin creates it: plimsoll user create NAME --role ROLE)`);
    if (user.kind !== 'person') return anonymous(`${user.name} is not a person; the CLI acts as people only`);
    return principalOf(user, 'cli');
  }

  /**
   * The owner of a schedule, for its runs: the user as they are now (a removed user or one who is no longer
   * a person is anonymous, with the reason), so a run is authorised and audited exactly as the owner's own
   * call would be, and refused once the owner lost the right.
   */
  async scheduleOwner(userId: string): Promise<Caller> {
    const user = await this.deps.users.findById(userId);
    if (user === undefined) return anonymous(`the schedule's owner (user ${userId}) no longer exists`);
    if (user.kind !== 'person') return anonymous(`the schedule's owner ${user.name} is not a person`);
    return principalOf(user, 'schedule');
  }

  /** Plimsoll itself, for start-up work (reference content, the local engine). */
  async system(): Promise<Principal> {
    return principalOf(await this.ensure(SYSTEM_USER_NAME, 'system', 'system'), 'system');
  }

  private async apiToken(secret: string): Promise<Caller> {
    const token = await this.deps.tokens.findByHash(hashTokenSecret(secret));
    if (token === undefined) return anonymous('unknown API token');
    if (token.revokedAt !== undefined) return anonymous(`API token ${token.id} was revoked at ${token.revokedAt}`);
    const user = await this.deps.users.findById(token.userId);
    if (user === undefined) return anonymous(`API token ${token.id} belongs to no user`);
    return principalOf(user, 'token', token);
  }

  /** The user of that name, created (admin role, no creator) when missing; a concurrent creation wins. */
  private async ensure(name: string, kind: User['kind'], origin: User['origin']): Promise<User> {
    const existing = await this.deps.users.findByName(name);
    if (existing !== undefined) return existing;
    try {
      const user = await this.deps.users.insert({ id: randomUUID(), name, role: 'admin', kind, origin, createdAt: this.now().toISOString() });
      await recordProvisioning(this.deps.audit, user, origin === 'system' ? 'system' : 'cli');
      return user;
    } catch (e) {
      const raced = isPlimsollError(e) && e.code === ErrorCode.CONFLICT ? await this.deps.users.findByName(name) : undefined;
      if (raced === undefined) throw e;
      return raced;
    }
  }
}

/** The audit record of a user created without an admin (first use of the CLI, start-up, first OIDC sign-in). */
export async function recordProvisioning(audit: AuditLog, user: User, via: Principal['via']): Promise<void> {
  await audit.record({
    actor: user.name, actorUserId: user.id, role: user.role, via, action: 'createUser',
    target: JSON.stringify({ name: user.name, role: user.role, origin: user.origin }), outcome: 'success',
  });
}
