/**
 * Identity: a user is a person (or Plimsoll itself, for start-up work); tokens, OIDC sessions and the CLI are
 * ways a user authenticates. Roles belong to users; a token may carry a lower role as a ceiling.
 */
import { intersectScopes } from './environment-scope.js';

/** Admins manage users, tokens and the audit log; assessors import and assess; auditors only read. */
export type Role = 'admin' | 'assessor' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'assessor', 'auditor'];

const RANK: Record<Role, number> = { auditor: 0, assessor: 1, admin: 2 };

/** True when `held` includes everything `needed` may do (admin ⊇ assessor ⊇ auditor). */
export function roleCovers(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

/** The lower of two roles: a token's ceiling applied to its user's role. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** A person, or the `system` user under which Plimsoll's own start-up work is recorded. */
export type UserKind = 'person' | 'system';

/** How a user came to exist, which explains a missing creator. */
export type UserOrigin = 'admin' | 'bootstrap' | 'migration' | 'oidc' | 'cli' | 'system';

export interface User {
  id: string;
  /** Unique, compared case-insensitively (see userNameKey). */
  name: string;
  role: Role;
  kind: UserKind;
  origin: UserOrigin;
  createdAt: string;
  /** The user who created this one (an admin action); absent for bootstrap, migrated and OIDC users. */
  createdBy?: string;
  /** The OIDC identity linked to this user: `sub` as issued by `issuer`. */
  oidc?: { issuer: string; subject: string };
  /** The environments this user may see and act on (migration 0018); absent: every environment. */
  environments?: string[];
}

/** How a principal authenticated. */
/** How a principal authenticated; `schedule`: a schedule's run, acting as the schedule's owner. */
export type Via = 'token' | 'oidc' | 'cli' | 'system' | 'schedule';

/** The authenticated caller of an operation: a user, with the role in force for this call. */
export interface Principal {
  userId: string;
  name: string;
  /** The user's role, lowered to the token's ceiling when the call came with a token. */
  role: Role;
  kind: UserKind;
  via: Via;
  /** The API token used, when `via` is `token`. */
  tokenId?: string;
  /**
   * The environments this call may see and act on: the user's scope intersected with the token's; absent:
   * every environment; empty: none (a token narrowed to environments its user no longer holds).
   */
  environments?: readonly string[];
}

/** A caller that did not authenticate, with the reason (missing, unknown, revoked or expired credential). */
export interface Anonymous {
  anonymous: true;
  reason: string;
}

export type Caller = Principal | Anonymous;

export function isAnonymous(caller: Caller): caller is Anonymous {
  return 'anonymous' in caller;
}

/** The name audit records carry for callers that did not authenticate. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** The name of the user Plimsoll's own start-up work (reference content, the local engine) is recorded under. */
export const SYSTEM_USER_NAME = 'plimsoll-system';
/** The user the CLI acts as when neither --as nor PLIMSOLL_USER names one. */
export const LOCAL_OPERATOR_NAME = 'local-operator';
/** The user the configured or generated admin token belongs to. */
export const BOOTSTRAP_ADMIN_NAME = 'bootstrap-admin';

/**
 * The comparison key of a user name: NFKC-normalised and case-folded (upper then lower case, so that `ß`
 * and `SS` agree), so `Assessor-Bob` and `assessor-bob` are one name.
 */
export function userNameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase();
}

/** The principal of a user authenticated by `via`. */
export function principalOf(user: User, via: Via, token?: { id: string; role: Role; environments?: readonly string[] }): Principal {
  const environments = intersectScopes(user.environments, token?.environments);
  return {
    userId: user.id,
    name: user.name,
    role: token !== undefined ? lowerRole(user.role, token.role) : user.role,
    kind: user.kind,
    via,
    ...(token !== undefined ? { tokenId: token.id } : {}),
    ...(environments !== undefined ? { environments } : {}),
  };
}

export interface ApiToken {
  id: string;
  /** A label: what the token is for ("ci", "laptop"); tokens created by createApiToken (name, role) carry the user's name. */
  name: string;
  userId: string;
  userName: string;
  /** The token's ceiling: the principal's role is the lower of this and the user's role. */
  role: Role;
  /** The token's environment scope, within its user's (migration 0018); absent: the user's whole scope. */
  environments?: string[];
  createdAt: string;
  revokedAt?: string;
}

/** One audit record: who did what, when, with which outcome, chained to the record before it. */
export interface AuditRecord {
  /** 1, 2, 3…: consecutive, so a deleted record leaves a gap. */
  id: number;
  at: string;
  /** The user's name, or `anonymous`. */
  actor: string;
  actorUserId?: string;
  /** The role in force; absent for anonymous callers. */
  role?: Role;
  via?: Via;
  action: string;
  target?: string;
  outcome: 'success' | 'failure';
  detail?: string;
  /** sha256 (hex) of the previous record (64 zeros for the first). */
  prevHash: string;
  /** sha256 (hex) of this record's canonical content, prevHash included. */
  hash: string;
}

/** What a caller of the audit log supplies; id, time and hashes are assigned when it is written. */
export type AuditEntry = Omit<AuditRecord, 'id' | 'at' | 'prevHash' | 'hash'>;

/** The actor fields of an audit entry for a caller. */
export function auditActor(caller: Caller): Pick<AuditEntry, 'actor' | 'actorUserId' | 'role' | 'via'> {
  if (isAnonymous(caller)) return { actor: ANONYMOUS_ACTOR };
  return { actor: caller.name, actorUserId: caller.userId, role: caller.role, via: caller.via };
}
