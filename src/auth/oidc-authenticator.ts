/**
 * OIDC bearer tokens. The JWT is verified (signature against the provider's JWKS, issuer, audience, expiry)
 * by an OidcVerifier (src/repositories/oidc-verifier.ts, jose); here the verified claims become a principal:
 *
 * - the user is the one linked to (issuer, sub). Unknown identities are created on first sight when
 *   auto-provisioning is on (the default: the identity provider is where people are managed), named by the
 *   username claim; a name held by another user is refused rather than merged (merging would let whoever
 *   controls that claim at the provider take over the account). With auto-provisioning off, an admin links
 *   people ahead of time (`plimsoll user create NAME --role R --oidc-subject SUB`);
 * - the role comes from the configured claim (e.g. `groups`) through the role map, on every request: the
 *   highest mapped role wins; no mapped value means no access. The stored role follows the provider.
 */
import { randomUUID } from 'node:crypto';
import { ROLES, type Anonymous, type Caller, type Role, type User, principalOf } from '../domain/auth.js';
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { AuditLog } from '../domain/services.js';
import type { UserRepository } from '../repositories/user-repository.js';
import { recordProvisioning } from './authenticator.js';
import { validUserName } from './user-service.js';

/** A JWT that failed verification, with a reason safe to show and record (never the token). */
export class OidcTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OidcTokenError';
  }
}

/** Verifies a JWT and returns its claims; throws OidcTokenError when it is not acceptable. */
export interface OidcVerifier {
  verify(jwt: string): Promise<Record<string, unknown>>;
}

export interface OidcSettings {
  issuer: string;
  /** Dotted path of the claim holding groups or roles (`groups`, `realm_access.roles`). */
  rolesClaim: string;
  /** Claim value → Plimsoll role. */
  roleMap: Readonly<Record<string, Role>>;
  /** The claim naming a new user (default `preferred_username`; `sub` when absent). */
  usernameClaim: string;
  autoProvision: boolean;
}

export interface OidcAuthenticatorDeps {
  verifier: OidcVerifier;
  users: UserRepository;
  audit: AuditLog;
  settings: OidcSettings;
  now?: () => Date;
}

const anonymous = (reason: string): Anonymous => ({ anonymous: true, reason });

/** The value at a dotted path of the claims. */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The highest role the claim's values map to, or undefined. */
export function roleFromClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, 'rolesClaim' | 'roleMap'>): Role | undefined {
  const raw = claimAt(claims, settings.rolesClaim);
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const mapped = new Set(values.filter((v): v is string => typeof v === 'string').map((v) => settings.roleMap[v]).filter((r): r is Role => r !== undefined));
  return ROLES.find((r) => mapped.has(r));
}

export class OidcAuthenticator {
  private readonly now: () => Date;

  constructor(private readonly deps: OidcAuthenticatorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async authenticate(jwt: string): Promise<Caller> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.deps.verifier.verify(jwt);
    } catch (e) {
      if (e instanceof OidcTokenError) return anonymous(`OIDC token refused: ${e.reason}`);
      throw e;
    }
    const { settings } = this.deps;
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') return anonymous('OIDC token refused: it has no sub claim');
    const role = roleFromClaims(claims, settings);
    if (role === undefined) return anonymous(`OIDC token of ${subject} refused: its ${settings.rolesClaim} claim maps to no Plimsoll role`);

    let user = await this.deps.users.findByOidc(settings.issuer, subject);
    if (user === undefined) {
      if (!settings.autoProvision) return anonymous(`OIDC subject ${subject} is not provisioned: an admin links it (plimsoll user create NAME --role ROLE --oidc-subject ${subject})`);
      const created = await this.provision(claims, subject, role);
      if ('anonymous' in created) return created;
      user = created;
    } else if (user.role !== role) {
      await this.deps.users.setRole(user.id, role);
      await this.deps.audit.record({
        actor: user.name, actorUserId: user.id, role, via: 'oidc', action: 'syncOidcRole', target: JSON.stringify({ user: user.name, from: user.role, to: role }), outcome: 'success',
      });
      user = { ...user, role };
    }
    if (user.kind !== 'person') return anonymous(`${user.name} is not a person`);
    return principalOf(user, 'oidc');
  }

  private async provision(claims: Record<string, unknown>, subject: string, role: Role): Promise<User | Anonymous> {
    const { settings } = this.deps;
    const wanted = claimAt(claims, settings.usernameClaim);
    let name: string;
    try {
      name = validUserName(typeof wanted === 'string' && wanted.trim() !== '' ? wanted : subject);
    } catch {
      return anonymous(`OIDC subject ${subject} has no usable ${settings.usernameClaim} claim for a user name: an admin provisions it`);
    }
    try {
      const user = await this.deps.users.insert({
        id: randomUUID(), name, role, kind: 'person', origin: 'oidc', createdAt: this.now().toISOString(), oidc: { issuer: settings.issuer, subject },
      });
      await recordProvisioning(this.deps.audit, user, 'oidc');
      return user;
    } catch (e) {
      if (!isPlimsollError(e) || e.code !== ErrorCode.CONFLICT) throw e;
      // A concurrent first request of the same person may have created it.
      const raced = await this.deps.users.findByOidc(settings.issuer, subject);
      if (raced !== undefined) return raced;
      return anonymous(`the user name ${name} of OIDC subject ${subject} is held by another user: an admin provisions this identity under another name`);
    }
  }
}
