/**
 * Users and API tokens. Bearer secrets are `plm_` + 32 random bytes (base64url); only their sha256 is stored,
 * so a token is found by hashing the presented secret, and the secret is shown once, at creation.
 *
 * Who may call what (admin-only user creation, for instance) is the policy table's business
 * (src/auth/service-policy.ts); the rules here are those that depend on the data: whose token it is,
 * whether a name is taken, whether a ceiling exceeds the caller's role.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ANONYMOUS_ACTOR, BOOTSTRAP_ADMIN_NAME, ROLES, SYSTEM_USER_NAME, type ApiToken, type Principal, type Role, type User, roleCovers, userNameKey } from '../domain/auth.js';
import { describeScope, normalizeScope, scopeWithin, type EnvironmentScope } from '../domain/environment-scope.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { CreateUserInput, CreatedToken, UserService } from '../domain/services.js';
import type { TokenRepository } from '../repositories/token-repository.js';
import type { UserRepository } from '../repositories/user-repository.js';

export const TOKEN_PREFIX = 'plm_';
const MAX_NAME_LENGTH = 100;
/** Letters and digits of any script, then also `. _ @ + ' -` and spaces: people's names, logins and e-mail addresses. */
const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@+' -]*$/u;
const RESERVED = new Set([SYSTEM_USER_NAME, ANONYMOUS_ACTOR].map(userNameKey));

/** A new random token secret. */
export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a secret: lower-case hex sha256. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A valid user name (trimmed), or BAD_INPUT saying what is allowed. */
export function validUserName(name: string): string {
  const trimmed = (name ?? '').trim();
  if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH || !USER_NAME.test(trimmed)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `A user name must be 1 to ${MAX_NAME_LENGTH} characters: letters or digits first, then letters, digits, spaces and . _ @ + ' -; got ${JSON.stringify(name)}`);
  }
  return trimmed;
}

function validRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new PlimsollError(ErrorCode.BAD_INPUT, `Unknown role ${JSON.stringify(role)}; roles are ${ROLES.join(', ')}`);
  return role as Role;
}

/** A scope as given (undefined or empty: every environment), or BAD_INPUT naming the bad entry at `pointer`. */
function validScope(names: readonly string[] | undefined, pointer: string): EnvironmentScope {
  const scope = normalizeScope(names);
  if ('invalid' in scope) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid environment scope: ${scope.invalid}`, [{ pointer, message: scope.invalid }]);
  return scope.scope;
}

function validLabel(label: string | undefined, fallback: string): string {
  const trimmed = (label ?? '').trim();
  if (trimmed === '') return fallback;
  if (trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `A token label must be 1 to ${MAX_NAME_LENGTH} printable characters, got ${JSON.stringify(label)}`);
  }
  return trimmed;
}

export interface UserServiceDeps {
  users: UserRepository;
  tokens: TokenRepository;
  /** The configured OIDC issuer, when OIDC is on: users can then be linked to a `sub` ahead of sign-in. */
  oidcIssuer?: string;
  now?: () => Date;
  newId?: () => string;
}

export class DefaultUserService implements UserService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: UserServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  async me(actor: Principal): Promise<User> {
    const user = await this.deps.users.findById(actor.userId);
    if (user === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No user with id ${actor.userId}`);
    return user;
  }

  list(page: PageRequest = {}): Promise<Connection<User>> {
    return this.deps.users.list(page);
  }

  async get(ref: string): Promise<User | undefined> {
    return (await this.deps.users.findById(ref)) ?? (await this.deps.users.findByName(ref));
  }

  async getUser(id: string, actor: Principal): Promise<User | undefined> {
    if (actor.role === 'admin' || id === actor.userId) return this.deps.users.findById(id);
    throw new PlimsollError(ErrorCode.FORBIDDEN, `Only an admin or the user themself reads user ${id}; ${actor.name} has role ${actor.role}`);
  }

  async createUser(input: CreateUserInput, actor: Principal): Promise<User> {
    const name = validUserName(input.name);
    const role = validRole(input.role);
    if (RESERVED.has(userNameKey(name))) throw new PlimsollError(ErrorCode.BAD_INPUT, `The user name ${name} is reserved`);
    let oidc: User['oidc'];
    if (input.oidcSubject !== undefined && input.oidcSubject !== '') {
      if (this.deps.oidcIssuer === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'An OIDC subject needs OIDC configured (PLIMSOLL_OIDC_ISSUER)');
      oidc = { issuer: this.deps.oidcIssuer, subject: input.oidcSubject };
    }
    const environments = validScope(input.environments, '/environments');
    this.assertGrantable(environments, actor);
    return this.deps.users.insert({
      id: this.newId(), name, role, kind: 'person', origin: 'admin', createdAt: this.now().toISOString(), createdBy: actor.userId, ...(oidc !== undefined ? { oidc } : {}),
      ...(environments !== undefined ? { environments: [...environments] } : {}),
    });
  }

  async setEnvironments(ref: string, environments: string[], actor: Principal): Promise<User> {
    const scope = validScope(environments, '/environments');
    this.assertGrantable(scope, actor);
    const user = await this.get(ref);
    if (user === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No user ${ref}`);
    if (user.kind !== 'person') throw new PlimsollError(ErrorCode.BAD_INPUT, `${user.name} is not a person; only people are limited to environments`);
    await this.deps.users.setEnvironments(user.id, scope);
    const { environments: _old, ...rest } = user;
    return { ...rest, ...(scope !== undefined ? { environments: [...scope] } : {}) };
  }

  /** Only callers who see every environment hand out scopes, so nobody grants what they can't see themselves. */
  private assertGrantable(scope: EnvironmentScope, actor: Principal): void {
    if (actor.environments !== undefined) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `${actor.name} is limited to ${describeScope(actor.environments)} and can't set environment scopes (${describeScope(scope)} asked)`);
    }
  }

  async createOwnToken(input: { label?: string; role?: Role; environments?: string[] }, actor: Principal): Promise<CreatedToken> {
    if (actor.kind !== 'person') throw new PlimsollError(ErrorCode.FORBIDDEN, `${actor.name} is not a person and holds no tokens`);
    const role = input.role === undefined ? actor.role : validRole(input.role);
    if (!roleCovers(actor.role, role)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `${actor.name} acts as ${actor.role} and can't mint a token with the higher role ${role}`);
    }
    // A token only narrows: its scope lies within the scope this call has (the user's, or the presenting token's).
    const asked = validScope(input.environments, '/environments');
    if (asked !== undefined && !scopeWithin(asked, actor.environments)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `${actor.name} acts in ${describeScope(actor.environments)} and can't mint a token for ${describeScope(asked)}`);
    }
    const environments = asked ?? actor.environments;
    return this.mint(actor.userId, validLabel(input.label, actor.name), role, environments);
  }

  async createToken(name: string, role: Role, actor: Principal, options: { environments?: string[] } = {}): Promise<CreatedToken & { user: User; userCreated: boolean }> {
    const wanted = validUserName(name);
    const ceiling = validRole(role);
    const existing = await this.deps.users.findByName(wanted);
    const scoped = options.environments !== undefined && options.environments.length > 0 ? { environments: options.environments } : {};
    if (existing !== undefined && existing.id === actor.userId) {
      return { ...(await this.createOwnToken({ label: existing.name, role: ceiling, ...scoped }, actor)), user: existing, userCreated: false };
    }
    if (existing !== undefined) {
      throw new PlimsollError(ErrorCode.CONFLICT, `The user ${existing.name} exists; nobody mints tokens for another user (${existing.name} mints their own)`);
    }
    if (actor.role !== 'admin') throw new PlimsollError(ErrorCode.FORBIDDEN, `Only admins create users; ${actor.name} has role ${actor.role}`);
    // A new user's scope is the one asked for the token: the token then holds the user's whole scope.
    const user = await this.createUser({ name: wanted, role: ceiling, ...scoped }, actor);
    return { ...(await this.mint(user.id, user.name, ceiling)), user, userCreated: true };
  }

  async listTokens(filter: { user?: string }, page: PageRequest, actor: Principal): Promise<Connection<ApiToken>> {
    if (actor.role !== 'admin') {
      // Non-admins see their own tokens only, whatever they ask for.
      if (filter.user !== undefined && (await this.get(filter.user))?.id !== actor.userId) {
        throw new PlimsollError(ErrorCode.FORBIDDEN, `Only admins list other users' tokens; ${actor.name} has role ${actor.role}`);
      }
      return this.deps.tokens.list({ userId: actor.userId }, page);
    }
    if (filter.user === undefined) return this.deps.tokens.list({}, page);
    const user = await this.get(filter.user);
    if (user === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No user ${filter.user}`);
    return this.deps.tokens.list({ userId: user.id }, page);
  }

  async getToken(id: string, actor: Principal): Promise<ApiToken | undefined> {
    const token = await this.deps.tokens.findById(id);
    if (actor.role === 'admin' || (token !== undefined && token.userId === actor.userId)) return token;
    // Missing and foreign tokens are refused alike, so non-admins can't probe which token ids exist.
    throw new PlimsollError(ErrorCode.FORBIDDEN, `Only an admin or its owner reads token ${id}; ${actor.name} has role ${actor.role}`);
  }

  async revokeToken(id: string, actor: Principal): Promise<void> {
    const token = await this.deps.tokens.findById(id);
    if (token === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No token with id ${id}`);
    if (actor.role !== 'admin' && token.userId !== actor.userId) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `Only an admin or its owner revokes token ${id}; ${actor.name} has role ${actor.role}`);
    }
    if (token.revokedAt === undefined) await this.deps.tokens.revoke(id, this.now().toISOString());
  }

  async bootstrapAdmin(configured?: string): Promise<{ createdSecret?: string }> {
    if (configured !== undefined && configured !== '') {
      const hash = hashTokenSecret(configured);
      const existing = await this.deps.tokens.findByHash(hash);
      if (existing === undefined) {
        await this.insertToken((await this.bootstrapUser()).id, BOOTSTRAP_ADMIN_NAME, 'admin', hash);
        return {};
      }
      // A revoked or downgraded configured secret must not silently come back to life.
      if (existing.revokedAt !== undefined) {
        throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_ADMIN_TOKEN is token ${existing.id} (${existing.name}), revoked at ${existing.revokedAt}: set a new secret or unset it to have one generated`);
      }
      const owner = await this.deps.users.findById(existing.userId);
      if (existing.role !== 'admin' || owner?.role !== 'admin') {
        throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_ADMIN_TOKEN is token ${existing.id} of ${existing.userName}, which does not act as admin: set another secret`);
      }
      return {};
    }
    if ((await this.deps.tokens.countActiveAdmin()) > 0) return {};
    const secret = generateTokenSecret();
    await this.insertToken((await this.bootstrapUser()).id, BOOTSTRAP_ADMIN_NAME, 'admin', hashTokenSecret(secret));
    return { createdSecret: secret };
  }

  /** The bootstrap admin user, created on first need. */
  private async bootstrapUser(): Promise<User> {
    const existing = await this.deps.users.findByName(BOOTSTRAP_ADMIN_NAME);
    if (existing !== undefined) {
      if (existing.role !== 'admin') throw new PlimsollError(ErrorCode.CONFIG_INVALID, `The user ${existing.name} has role ${existing.role}, not admin: the bootstrap admin token can't belong to it`);
      return existing;
    }
    return this.deps.users.insert({ id: this.newId(), name: BOOTSTRAP_ADMIN_NAME, role: 'admin', kind: 'person', origin: 'bootstrap', createdAt: this.now().toISOString() });
  }

  private async mint(userId: string, label: string, role: Role, environments?: EnvironmentScope): Promise<CreatedToken> {
    const secret = generateTokenSecret();
    return { token: await this.insertToken(userId, label, role, hashTokenSecret(secret), environments), secret };
  }

  private insertToken(userId: string, name: string, role: Role, tokenHash: string, environments?: EnvironmentScope): Promise<ApiToken> {
    return this.deps.tokens.insert({ id: this.newId(), name, userId, role, tokenHash, createdAt: this.now().toISOString(), ...(environments !== undefined ? { environments } : {}) });
  }
}
