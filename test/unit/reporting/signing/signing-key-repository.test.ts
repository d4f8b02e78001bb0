import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/domain/errors.js';
import { type Db, openDatabase } from '../../../../src/repositories/database/database.js';
import { SecretBox } from '../../../../src/repositories/secret-box.js';
import { SIGNING_KEY_SECRET, type SigningKeySealer, SigningKeyRepository } from '../../../../src/repositories/signing-key-repository.js';
import { tempDir } from '../../../harness/content.js';
import { rejection } from '../../../harness/errors.js';

/** The secret box node TLS keys are sealed with, under a random key. */
function sealer(key = randomBytes(32)): SigningKeySealer {
  return new SecretBox(key);
}

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = tempDir('plimsoll-keys-');
  db = await openDatabase(path.join(dir, 'p.db'));
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SigningKeyRepository', () => {
  it('generates a key at first use, stores it sealed (never the PEM), and every later process gets the same key', async () => {
    const box = sealer();
    const first = await new SigningKeyRepository(db, { sealer: box }).key();
    expect(first.info).toMatchObject({ algorithm: 'Ed25519', origin: 'generated' });
    expect(first.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await db.selectFrom('installation_secret').select('value').where('name', '=', SIGNING_KEY_SECRET).executeTakeFirstOrThrow();
    expect(stored.value).not.toContain('PRIVATE KEY');
    const [again, concurrent] = await Promise.all([new SigningKeyRepository(db, { sealer: box }).key(), new SigningKeyRepository(db, { sealer: box }).key()]);
    expect(again.keyId).toBe(first.keyId);
    expect(concurrent.keyId).toBe(first.keyId);
    // Another secret key cannot open it.
    await expect(new SigningKeyRepository(db, { sealer: sealer() }).key()).rejects.toThrow();
  });

  it('uses a configured key (PEM text or file) and refuses a key that is not Ed25519, without echoing it', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const fromPem = await new SigningKeyRepository(db, { configured: { pem } }).key();
    expect(fromPem.info.origin).toBe('configured');
    const file = path.join(dir, 'signing.pem');
    fs.writeFileSync(file, pem);
    expect((await new SigningKeyRepository(db, { configured: { file } }).key()).keyId).toBe(fromPem.keyId);
    expect(await db.selectFrom('installation_secret').selectAll().execute()).toEqual([]);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const e = await rejection(new SigningKeyRepository(db, { configured: { pem: rsa } }).key());
    expect(e.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(e.message).toBe('PLIMSOLL_SIGNING_KEY is a rsa key; report signing needs an Ed25519 key (openssl genpkey -algorithm ed25519)');
    const missing = await rejection(new SigningKeyRepository(db, { configured: { file: path.join(dir, 'none.pem') } }).key());
    expect(missing.message).toMatch(/none\.pem, which cannot be read \(ENOENT\)$/);
  });

  it('without a configured key or a secret key to seal one, offers no key and says how to get one', async () => {
    const repo = new SigningKeyRepository(db, {});
    expect(repo.available).toBe(false);
    const e = await rejection(repo.key());
    expect(e.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(e.message).toMatch(/PLIMSOLL_SIGNING_KEY .* or PLIMSOLL_SECRET_KEY/);
  });
});
