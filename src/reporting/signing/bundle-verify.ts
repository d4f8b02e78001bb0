/**
 * Verification of a signed bundle (bundle.ts), offline and pure: the bytes of the bundle, optionally copies of
 * its reports kept elsewhere, optionally the public key to trust (else the one embedded). Every problem found is
 * named — which file changed (with both digests), whether the signature failed (and under which key), what in
 * the bundle is not covered by the signature — and the bundle verifies only when there is none.
 */
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { KeyObject } from 'node:crypto';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { BUNDLE_MEDIA_TYPE, bundleText, type InTotoStatement, PREDICATE_TYPE, type SignedBundle, sha256Hex, STATEMENT_TYPE } from './bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, preAuthEncoding } from './dsse.js';
import { ed25519PublicKey, verifyEd25519 } from './signing-key.js';

/** A copy of a report to check against the bundle, matched to a subject by its file name. */
export interface GivenFile {
  /** As the user named it (a path is fine: its base name is matched). */
  name: string;
  bytes: Uint8Array;
}

export type SubjectState = 'verified' | 'changed' | 'missing';

export interface BundleVerification {
  verified: boolean;
  /** The key the signature was checked with: its id, and whether it was given or taken from the bundle. */
  key?: { keyId: string; source: 'given' | 'embedded' };
  signatureValid: boolean;
  statement?: InTotoStatement;
  subjects: { name: string; sha256: string; embedded: SubjectState; given?: { file: string; state: Exclude<SubjectState, 'missing'> } }[];
  /** Each names what does not verify; empty when verified. */
  problems: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** base64 decoded strictly: undefined when `text` is not exactly the encoding of its bytes. */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** The bundle's structure, or the first thing that makes it no Plimsoll bundle. */
function shapeOf(value: unknown): SignedBundle | string {
  if (!isObject(value)) return 'the bundle is not a JSON object';
  if (value.mediaType !== BUNDLE_MEDIA_TYPE) return `the bundle's mediaType is ${JSON.stringify(value.mediaType)}, not ${BUNDLE_MEDIA_TYPE}`;
  const key = isObject(value.verificationMaterial) ? value.verificationMaterial.publicKey : undefined;
  if (!isObject(key) || typeof key.keyId !== 'string' || typeof key.algorithm !== 'string' || typeof key.pem !== 'string') return 'the bundle has no verificationMaterial.publicKey {keyId, algorithm, pem}';
  const env = value.dsseEnvelope;
  if (!isObject(env) || typeof env.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures)) return 'the bundle has no dsseEnvelope {payloadType, payload, signatures}';
  if (!env.signatures.every((s) => isObject(s) && typeof s.keyid === 'string' && typeof s.sig === 'string')) return 'a signature of the envelope is not {keyid, sig}';
  if (!Array.isArray(value.files) || !value.files.every((f) => isObject(f) && typeof f.name === 'string' && typeof f.mediaType === 'string' && typeof f.content === 'string')) {
    return 'the bundle has no files [{name, mediaType, content}]';
  }
  return value as unknown as SignedBundle;
}

/** The first byte offset where two texts differ. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** The statement of a verified payload, or why it is not one. */
function statementOf(payload: Buffer): InTotoStatement | string {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  if (!isObject(value) || value._type !== STATEMENT_TYPE) return `the signed payload is not an in-toto Statement v1 (_type ${STATEMENT_TYPE})`;
  if (value.predicateType !== PREDICATE_TYPE) return `the statement's predicateType is ${JSON.stringify(value.predicateType)}, not ${PREDICATE_TYPE}`;
  const subjects = value.subject;
  if (!Array.isArray(subjects) || !subjects.every((s) => isObject(s) && typeof s.name === 'string' && isObject(s.digest) && typeof s.digest.sha256 === 'string')) {
    return 'the statement has no subjects [{name, digest: {sha256}}]';
  }
  return value as unknown as InTotoStatement;
}

/** The key to verify with; BAD_INPUT when a given key is not an Ed25519 public key. */
async function keyOf(bundle: SignedBundle, givenPem: string | undefined, problems: string[]): Promise<{ key: KeyObject; keyId: string; source: 'given' | 'embedded' } | undefined> {
  if (givenPem !== undefined) {
    const key = ed25519PublicKey(givenPem);
    if (key === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'the given key is not an Ed25519 public key in PEM');
    return { key, keyId: await calculateJwkThumbprint(await exportJWK(key), 'sha256'), source: 'given' };
  }
  const embedded = bundle.verificationMaterial.publicKey;
  if (embedded.algorithm !== 'Ed25519') problems.push(`the embedded key's algorithm is ${JSON.stringify(embedded.algorithm)}, not Ed25519 (it was changed)`);
  const key = ed25519PublicKey(embedded.pem);
  if (key === undefined) {
    problems.push('the public key embedded in the bundle is not an Ed25519 public key (it was changed)');
    return undefined;
  }
  const keyId = await calculateJwkThumbprint(await exportJWK(key), 'sha256');
  if (keyId !== embedded.keyId) problems.push(`the embedded key id ${embedded.keyId} is not the id of the embedded public key (${keyId}): the key material was changed`);
  return { key, keyId, source: 'embedded' };
}

/** Verifies a bundle's bytes, and the given copies of its reports. */
export async function verifyBundle(bytes: Uint8Array, options: { files?: readonly GivenFile[]; publicKeyPem?: string } = {}): Promise<BundleVerification> {
  const problems: string[] = [];
  const fail = (problem: string): BundleVerification => ({ verified: false, signatureValid: false, subjects: [], problems: [...problems, problem] });
  const text = Buffer.from(bytes).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('the bundle is not valid JSON: it was altered, or it is not a Plimsoll bundle');
  }
  const bundle = shapeOf(parsed);
  if (typeof bundle === 'string') return fail(bundle);
  const canonical = bundleText(bundle);
  if (canonical !== text) problems.push(`the bundle's text differs from its canonical form from character ${firstDifference(canonical, text)}: bytes outside the signed statement and the files were changed`);

  const key = await keyOf(bundle, options.publicKeyPem, problems);
  const env = bundle.dsseEnvelope;
  const payload = strictBase64(env.payload);
  let signatureValid = false;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) problems.push(`the envelope's payloadType is ${JSON.stringify(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  if (payload === undefined) problems.push('the envelope payload is not valid base64: the signed statement was changed');
  else if (key !== undefined) {
    const pae = preAuthEncoding(env.payloadType, payload);
    signatureValid = env.signatures.some((s) => s.keyid === key.keyId && verifyEd25519(key.key, pae, strictBase64(s.sig) ?? Buffer.alloc(0)));
    if (!signatureValid) {
      const by = env.signatures.map((s) => s.keyid).join(', ');
      problems.push(
        env.signatures.some((s) => s.keyid === key.keyId)
          ? `the envelope's signature does not verify with the ${key.source} key ${key.keyId}: the signed statement (payload) or the signature was changed`
          : `the envelope is signed by key ${by || '(none)'}, not by the ${key.source} key ${key.keyId}`,
      );
    }
  }
  const statement = payload !== undefined ? statementOf(payload) : undefined;
  if (typeof statement === 'string') problems.push(statement);
  const subjects: BundleVerification['subjects'] = [];
  if (statement !== undefined && typeof statement !== 'string') checkSubjects(statement, bundle, options.files ?? [], subjects, problems);
  return {
    verified: problems.length === 0 && signatureValid,
    ...(key !== undefined ? { key: { keyId: key.keyId, source: key.source } } : {}),
    signatureValid,
    ...(statement !== undefined && typeof statement !== 'string' ? { statement } : {}),
    subjects,
    problems,
  };
}

/** Each subject against the embedded file of its name and the given copy; files no subject covers are problems. */
function checkSubjects(statement: InTotoStatement, bundle: SignedBundle, given: readonly GivenFile[], out: BundleVerification['subjects'], problems: string[]): void {
  const names = new Set<string>();
  for (const s of statement.subject) {
    if (names.has(s.name)) problems.push(`the statement names ${s.name} twice`);
    names.add(s.name);
    const files = bundle.files.filter((f) => f.name === s.name);
    let embedded: SubjectState = 'missing';
    if (files.length === 0) problems.push(`${s.name}: named by the signed statement but missing from the bundle`);
    else {
      const bytes = strictBase64(files[0]!.content);
      const digest = bytes !== undefined ? sha256Hex(bytes) : undefined;
      embedded = digest === s.digest.sha256 ? 'verified' : 'changed';
      if (bytes === undefined) problems.push(`${s.name}: its content in the bundle is not valid base64 (changed)`);
      else if (embedded === 'changed') problems.push(`${s.name}: changed (sha256 ${digest} in the bundle, ${s.digest.sha256} signed)`);
      if (files.length > 1) problems.push(`${s.name}: the bundle holds it ${files.length} times`);
      if (s.mediaType !== undefined && files[0]!.mediaType !== s.mediaType) problems.push(`${s.name}: its media type in the bundle is ${JSON.stringify(files[0]!.mediaType)}, signed ${JSON.stringify(s.mediaType)}`);
    }
    out.push({ name: s.name, sha256: s.digest.sha256, embedded });
  }
  for (const f of bundle.files) if (!names.has(f.name)) problems.push(`${f.name}: in the bundle but not covered by the signed statement`);
  for (const g of given) {
    const base = path.basename(g.name);
    const entry = out.find((s) => s.name === base);
    if (entry === undefined) {
      problems.push(`${g.name}: not a subject of the bundle (its subjects: ${[...names].join(', ')})`);
      continue;
    }
    const digest = sha256Hex(g.bytes);
    const state = digest === entry.sha256 ? 'verified' : 'changed';
    if (state === 'changed') problems.push(`${g.name}: differs from the signed ${entry.name} (sha256 ${digest}, ${entry.sha256} signed)`);
    entry.given = { file: g.name, state };
  }
}
