/**
 * Encryption at rest of the secrets Plimsoll must keep (node TLS private keys, staged uploads, the report signing key, registry and trust server credentials): AES-256-GCM
 * from node:crypto with the key from configuration (PLIMSOLL_SECRET_KEY). A sealed value is
 * `v1:` + base64url(iv ‖ tag ‖ ciphertext); the purpose ("node-tls-key", "upload", "swarm-unlock-key") is bound as associated
 * data, so a value sealed for one purpose cannot be opened as another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SealPurpose = 'node-tls-key' | 'upload' | 'webhook-secret' | 'swarm-unlock-key' | 'signing-key' | 'registry-credentials' | 'trust-server-credentials';

/** Seals and opens secrets with one 32-byte key. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new PlimsollError(ErrorCode.CONFIG_INVALID, 'the secret key must be 32 bytes');
  }

  seal(plain: Buffer, purpose: SealPurpose): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext; CONFIG_INVALID when the value was sealed with another key (or altered). */
  open(sealed: string, purpose: SealPurpose): Buffer {
    if (!sealed.startsWith(VERSION)) throw new PlimsollError(ErrorCode.INTERNAL, `a sealed ${purpose} has an unknown format`);
    const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new PlimsollError(ErrorCode.INTERNAL, `a sealed ${purpose} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (e) {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, `cannot decrypt a stored ${purpose}: PLIMSOLL_SECRET_KEY is not the key it was encrypted with`, [], { cause: e });
    }
  }
}

/** The error of a secret that must be sealed or opened while no key is configured. */
export function secretKeyMissing(what: string): PlimsollError {
  return new PlimsollError(
    ErrorCode.CONFIG_INVALID,
    `${what} needs PLIMSOLL_SECRET_KEY (32 random bytes, base64: \`openssl rand -base64 32\`), which encrypts TLS private keys at rest`,
  );
}
