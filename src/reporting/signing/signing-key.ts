/**
 * The report signing key: Ed25519 through node:crypto (RFC 8032 signatures are deterministic, so a bundle of one
 * assessment signed twice is the same bytes). Its key id is the RFC 7638 JWK thumbprint (SHA-256, base64url) of
 * the public key, computed by jose, so anyone holding the public key (PEM or JWK) can recompute it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { JWK } from 'jose';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { EnvelopeSigner } from './dsse.js';

/** What is published about the signing key: enough to verify a bundle and to recognise the key. */
export interface SigningKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  /** SubjectPublicKeyInfo, PEM. */
  publicKeyPem: string;
  jwk: JWK;
  /** Where the key comes from: configured (PLIMSOLL_SIGNING_KEY) or generated at first start. */
  origin: 'configured' | 'generated';
}

/** An Ed25519 private key with its published half. */
export class SigningKey implements EnvelopeSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly info: SigningKeyInfo,
  ) {}

  get keyId(): string {
    return this.info.keyId;
  }

  sign(data: Uint8Array): Uint8Array {
    return cryptoSign(null, data, this.privateKey);
  }

  /** The PKCS#8 PEM of the private key, to be sealed before it is stored. */
  privatePem(): string {
    return this.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }

  /** A key from a PKCS#8 PEM; CONFIG_INVALID (naming `source`, never echoing the key) when it is not an Ed25519 private key. */
  static async fromPem(pem: string, origin: SigningKeyInfo['origin'], source: string): Promise<SigningKey> {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch (e) {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, `${source} is not a PEM private key`, [], { cause: e });
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, `${source} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; report signing needs an Ed25519 key (openssl genpkey -algorithm ed25519)`);
    }
    return new SigningKey(key, await publicKeyInfo(createPublicKey(key), origin));
  }

  /** A new random key. */
  static async generate(): Promise<SigningKey> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return new SigningKey(privateKey, await publicKeyInfo(publicKey, 'generated'));
  }
}

/** The published form of an Ed25519 public key. */
export async function publicKeyInfo(publicKey: KeyObject, origin: SigningKeyInfo['origin']): Promise<SigningKeyInfo> {
  // jose loads with the first key: the composition root imports this module, yet most commands sign nothing.
  const { calculateJwkThumbprint, exportJWK } = await import('jose');
  const jwk = await exportJWK(publicKey);
  return { keyId: await calculateJwkThumbprint(jwk, 'sha256'), algorithm: 'Ed25519', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, jwk, origin };
}

/** An Ed25519 public key from a PEM (SPKI, or a private key's public half); undefined when it is not one. */
export function ed25519PublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `signature` is an Ed25519 signature of `data` by `publicKey`. */
export function verifyEd25519(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return cryptoVerify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
