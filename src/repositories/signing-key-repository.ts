/**
 * Where the report signing key comes from: configured (PLIMSOLL_SIGNING_KEY: a PKCS#8 PEM, or the path of a
 * file holding one), else generated once and kept in `installation_secret`, sealed with PLIMSOLL_SECRET_KEY
 * (the same AES-256-GCM box as node TLS keys, purpose `signing-key`). Never stored in clear: without a secret
 * key there is no generated signing key, and the bundle format is not offered.
 */
import fs from 'node:fs/promises';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { SigningKey } from '../reporting/signing/signing-key.js';
import type { Db } from './database/database.js';

/** The installation secret holding the sealed generated key. */
export const SIGNING_KEY_SECRET = 'report-signing-key';

/** Seals and opens secrets bound to a purpose (SecretBox). */
export interface SigningKeySealer {
  seal(plain: Buffer, purpose: 'signing-key'): string;
  open(sealed: string, purpose: 'signing-key'): Buffer;
}

/** The configured key: its PEM text, or the file holding it. */
export type ConfiguredSigningKey = { pem: string } | { file: string };

export interface SigningKeyRepositoryOptions {
  configured?: ConfiguredSigningKey;
  sealer?: SigningKeySealer;
  now?: () => Date;
}

/** The report signing key of this installation (loaded or generated once per process). */
export class SigningKeyRepository {
  private loaded: Promise<SigningKey> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: SigningKeyRepositoryOptions,
  ) {}

  /** Whether a key can be had: configured, or generated and sealed with the secret key. */
  get available(): boolean {
    return this.options.configured !== undefined || this.options.sealer !== undefined;
  }

  /** The key; CONFIG_INVALID when none is configured and none can be sealed, or when the configured one is not an Ed25519 private key. */
  key(): Promise<SigningKey> {
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  private async load(): Promise<SigningKey> {
    const configured = this.options.configured;
    if (configured !== undefined) {
      if ('pem' in configured) return SigningKey.fromPem(configured.pem, 'configured', 'PLIMSOLL_SIGNING_KEY');
      let pem: string;
      try {
        pem = await fs.readFile(configured.file, 'utf8');
      } catch (e) {
        throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_SIGNING_KEY names ${configured.file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, [], { cause: e });
      }
      return SigningKey.fromPem(pem, 'configured', `PLIMSOLL_SIGNING_KEY file ${configured.file}`);
    }
    const sealer = this.options.sealer;
    if (sealer === undefined) {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, 'signing reports needs a key: set PLIMSOLL_SIGNING_KEY (an Ed25519 PEM), or PLIMSOLL_SECRET_KEY so that one is generated and kept sealed');
    }
    const fresh = await SigningKey.generate();
    // Two processes starting at once: the first insert wins, both use the stored key.
    await this.db
      .insertInto('installation_secret')
      .values({ name: SIGNING_KEY_SECRET, value: sealer.seal(Buffer.from(fresh.privatePem(), 'utf8'), 'signing-key'), created_at: (this.options.now ?? (() => new Date()))().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('installation_secret').select('value').where('name', '=', SIGNING_KEY_SECRET).executeTakeFirstOrThrow();
    const pem = sealer.open(row.value, 'signing-key').toString('utf8');
    return pem === fresh.privatePem() ? fresh : SigningKey.fromPem(pem, 'generated', 'the stored signing key');
  }
}
