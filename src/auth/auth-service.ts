/**
 * Bearer tokens: `plm_` + 32 random bytes (base64url). Only the sha256 of a secret is stored, so a
 * token is found by hashing the presented secret; the secret is shown once, at creation.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ROLES, type ApiToken, type Principal, type Role } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { AuthService } from '../domain/services.js';
import type { TokenRepository } from '../repositories/token-repository.js';

export const TOKEN_PREFIX = 'plm_';
export const BOOTSTRAP_ADMIN_NAME = 'bootstrap-admin';
const MAX_NAME_LENGTH = 100;

/** A new random token secret. */
export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a secret: lower-case hex sha256. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface AuthServiceDeps {
  tokens: TokenRepository;
  /** Clock, for tests; default `new Date()`. */
  now?: () => Date;
}

export class TokenAuthService implements AuthService {
  private readonly tokens: TokenRepository;
  private readonly now: () => Date;

  constructor(deps: AuthServiceDeps) {
    this.tokens = deps.tokens;
    this.now = deps.now ?? (() => new Date());
  }

  async authenticate(bearer: string): Promise<Principal | undefined> {
    const secret = bearer.trim();
    if (secret === '') return undefined;
    const token = await this.tokens.findByHash(hashTokenSecret(secret));
    if (token === undefined || token.revokedAt !== undefined) return undefined;
    return { tokenId: token.id, name: token.name, role: token.role };
  }

  async createToken(name: string, role: Role, actor: Principal): Promise<{ token: ApiToken; secret: string }> {
    requireAdmin(actor, 'create tokens');
    const trimmed = validateName(name);
    if (!ROLES.includes(role)) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `Unknown role ${JSON.stringify(role)}; roles are ${ROLES.join(', ')}`);
    }
    const secret = generateTokenSecret();
    const token = await this.tokens.insert({ id: randomUUID(), name: trimmed, role, tokenHash: hashTokenSecret(secret), createdAt: this.now().toISOString() });
    return { token, secret };
  }

  pageTokens(page: PageRequest): Promise<Connection<ApiToken>> {
    return this.tokens.page(page);
  }

  async listTokens(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  /** Revokes a token; revoking an already revoked token keeps its first revocation time. */
  async revokeToken(id: string, actor: Principal): Promise<void> {
    requireAdmin(actor, 'revoke tokens');
    const token = await this.tokens.findById(id);
    if (token === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No token with id ${id}`);
    if (token.revokedAt === undefined) await this.tokens.revoke(id, this.now().toISOString());
  }

  async bootstrapAdmin(configured?: string): Promise<{ createdSecret?: string }> {
    if (configured !== undefined && configured !== '') {
      const hash = hashTokenSecret(configured);
      const existing = await this.tokens.findByHash(hash);
      if (existing === undefined) {
        await this.tokens.insert({ id: randomUUID(), name: BOOTSTRAP_ADMIN_NAME, role: 'admin', tokenHash: hash, createdAt: this.now().toISOString() });
        return {};
      }
      // A revoked or downgraded configured secret must not silently come back to life.
      if (existing.revokedAt !== undefined) {
        throw new PlimsollError(
          ErrorCode.CONFIG_INVALID,
          `PLIMSOLL_ADMIN_TOKEN is token ${existing.id} (${existing.name}), revoked at ${existing.revokedAt}: set a new secret or unset it to have one generated`,
        );
      }
      if (existing.role !== 'admin') {
        throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_ADMIN_TOKEN is token ${existing.id} (${existing.name}) with role ${existing.role}, not admin: set another secret`);
      }
      return {};
    }
    if ((await this.tokens.countActive('admin')) > 0) return {};
    const secret = generateTokenSecret();
    await this.tokens.insert({ id: randomUUID(), name: BOOTSTRAP_ADMIN_NAME, role: 'admin', tokenHash: hashTokenSecret(secret), createdAt: this.now().toISOString() });
    return { createdSecret: secret };
  }
}

function requireAdmin(actor: Principal, what: string): void {
  if (actor.role !== 'admin') {
    throw new PlimsollError(ErrorCode.FORBIDDEN, `Only admins may ${what}; ${actor.name} has role ${actor.role}`);
  }
}

function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `A token name must be 1 to ${MAX_NAME_LENGTH} printable characters, got ${JSON.stringify(name)}`);
  }
  return trimmed;
}
