/**
 * TUF public keys and signatures as Notary uses them (notary tuf/data/keys.go, tuf/signed/verifiers.go):
 *
 * - key types `ed25519` (32 raw bytes), `ecdsa` and `rsa` (DER SubjectPublicKeyInfo), `ecdsa-x509` and
 *   `rsa-x509` (a PEM certificate, possibly followed by intermediates), each base64 in `keyval.public`;
 * - a key id is the hex sha256 of the key's canonical JSON with `private: null`;
 * - signature methods `eddsa`, `ecdsa` (sha256; Notary writes r‖s, ASN.1 DER is accepted too), `rsapss`
 *   (sha256, salt length 32), `rsapkcs1v15` (sha256), `pycrypto-pkcs#1 pss` (rsapss on an `rsa` key);
 *   RSA keys under 2048 bits are refused, as Notary refuses them.
 *
 * Pure: parsed keys are memoised by their bytes (no I/O, no clock).
 */
import { constants, createHash, createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { notaryCanonicalJson } from './canonical-json.js';

export const KEY_TYPES = ['ed25519', 'ecdsa', 'ecdsa-x509', 'rsa', 'rsa-x509'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** A key as TUF metadata lists it. */
export interface TufPublicKey {
  keytype: string;
  keyval: { public: string };
}

/** Why a key can't be used. */
export class KeyError extends Error {}

const MAX_MEMO = 10_000;
const parsed = new Map<string, KeyObject>();

const MIN_RSA_BITS = 2048;

/** The key id Notary computes: sha256 over `{"keytype":…,"keyval":{"private":null,"public":…}}`. */
export function keyIdOf(key: TufPublicKey): string {
  const canonical = notaryCanonicalJson({ keytype: key.keytype, keyval: { private: null, public: key.keyval.public } });
  return createHash('sha256').update(canonical).digest('hex');
}

export function isX509KeyType(keytype: string): boolean {
  return keytype === 'ecdsa-x509' || keytype === 'rsa-x509';
}

const certificates = new Map<string, X509Certificate[]>();

/** The PEM certificates of an x509 key, leaf first (memoised by the key's bytes). */
export function certificatesOf(key: TufPublicKey): X509Certificate[] {
  if (!isX509KeyType(key.keytype)) throw new KeyError(`a ${key.keytype} key holds no certificate`);
  const cached = certificates.get(key.keyval.public);
  if (cached !== undefined) return cached;
  const parsedCerts = parseCertificates(key);
  if (certificates.size >= MAX_MEMO) certificates.clear();
  certificates.set(key.keyval.public, parsedCerts);
  return parsedCerts;
}

function parseCertificates(key: TufPublicKey): X509Certificate[] {
  const pem = Buffer.from(key.keyval.public, 'base64').toString('utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (blocks === null) throw new KeyError('the key holds no PEM certificate');
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    throw new KeyError('the key holds a certificate that does not parse');
  }
}


function parseKey(key: TufPublicKey): KeyObject {
  const bytes = Buffer.from(key.keyval.public, 'base64');
  switch (key.keytype) {
    case 'ed25519':
      if (bytes.length !== 32) throw new KeyError(`an ed25519 public key has 32 bytes, not ${bytes.length}`);
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') }, format: 'jwk' });
    case 'ecdsa':
    case 'rsa':
      try {
        return createPublicKey({ key: bytes, format: 'der', type: 'spki' });
      } catch {
        throw new KeyError(`the ${key.keytype} public key is not a DER SubjectPublicKeyInfo`);
      }
    case 'ecdsa-x509':
    case 'rsa-x509':
      return (certificatesOf(key)[0] as X509Certificate).publicKey;
    default:
      throw new KeyError(`unsupported key type ${JSON.stringify(key.keytype)}`);
  }
}

/** The key as a Node KeyObject, checked against its declared type (an `ecdsa` key must hold an EC key…). */
export function publicKeyObject(key: TufPublicKey): KeyObject {
  const memoKey = `${key.keytype}\u0000${key.keyval.public}`;
  const cached = parsed.get(memoKey);
  if (cached !== undefined) return cached;
  const object = parseKey(key);
  const family = key.keytype.startsWith('ecdsa') ? 'ec' : key.keytype.startsWith('rsa') ? 'rsa' : 'ed25519';
  if (object.asymmetricKeyType !== family) throw new KeyError(`a ${key.keytype} key holds an ${object.asymmetricKeyType ?? 'unknown'} key`);
  if (family === 'rsa' && (object.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw new KeyError(`RSA keys under ${MIN_RSA_BITS} bits are refused`);
  if (parsed.size >= MAX_MEMO) parsed.clear();
  parsed.set(memoKey, object);
  return object;
}

/** True when `sig` is a DER SEQUENCE whose length matches (Notary tries ASN.1 before r‖s). */
function looksLikeDer(sig: Buffer): boolean {
  if (sig.length < 8 || sig[0] !== 0x30) return false;
  const len = sig[1] as number;
  if (len < 0x80) return len + 2 === sig.length;
  if (len === 0x81) return (sig[2] as number) + 3 === sig.length;
  return false;
}

function ecOctets(key: KeyObject): number {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  switch (curve) {
    case 'prime256v1':
      return 32;
    case 'secp384r1':
      return 48;
    case 'secp521r1':
      return 66;
    default:
      throw new KeyError(`unsupported ECDSA curve ${curve ?? 'unknown'}`);
  }
}

const verified = new Map<string, boolean>();

/**
 * Whether `sig` (raw bytes) is a valid signature by `key` over `message` with the given method. A method that
 * does not fit the key type throws KeyError (Notary's ErrInvalidKeyType); a bad signature returns false.
 * Memoised by key, method, signature and the message's sha256: a repository checked again (the next run,
 * the other signature rule) costs hashes, not public-key operations.
 */
export function verifySignature(key: TufPublicKey, method: string, message: Buffer, sig: Buffer): boolean {
  const memoKey = `${key.keytype}\u0000${key.keyval.public}\u0000${method}\u0000${sig.toString('base64')}\u0000${createHash('sha256').update(message).digest('base64')}`;
  const cached = verified.get(memoKey);
  if (cached !== undefined) return cached;
  const result = verifyUncached(key, method, message, sig);
  if (verified.size >= MAX_MEMO * 5) verified.clear();
  verified.set(memoKey, result);
  return result;
}

function verifyUncached(key: TufPublicKey, method: string, message: Buffer, sig: Buffer): boolean {
  const object = publicKeyObject(key);
  switch (method.toLowerCase()) {
    case 'eddsa':
      if (key.keytype !== 'ed25519') throw new KeyError(`method eddsa needs an ed25519 key, not ${key.keytype}`);
      return sig.length === 64 && verify(null, message, object, sig);
    case 'ecdsa': {
      if (key.keytype !== 'ecdsa' && key.keytype !== 'ecdsa-x509') throw new KeyError(`method ecdsa needs an ecdsa key, not ${key.keytype}`);
      if (looksLikeDer(sig)) return verify('sha256', message, { key: object, dsaEncoding: 'der' }, sig);
      if (sig.length !== 2 * ecOctets(object)) return false;
      return verify('sha256', message, { key: object, dsaEncoding: 'ieee-p1363' }, sig);
    }
    case 'rsapss':
    case 'pycrypto-pkcs#1 pss':
      if (key.keytype !== 'rsa' && (key.keytype !== 'rsa-x509' || method.toLowerCase() !== 'rsapss')) throw new KeyError(`method ${method} does not fit a ${key.keytype} key`);
      return sig.length >= MIN_RSA_BITS / 8 && verify('sha256', message, { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    case 'rsapkcs1v15':
      if (key.keytype !== 'rsa' && key.keytype !== 'rsa-x509') throw new KeyError(`method rsapkcs1v15 needs an RSA key, not ${key.keytype}`);
      return sig.length >= MIN_RSA_BITS / 8 && verify('sha256', message, object, sig);
    default:
      throw new KeyError(`unsupported signature method ${JSON.stringify(method)}`);
  }
}
