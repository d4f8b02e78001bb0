/**
 * The signed bundle of an assessment: ONE JSON file holding
 *
 * - `dsseEnvelope`: a DSSE envelope (payloadType `application/vnd.in-toto+json`) whose payload is an in-toto
 *   Statement v1: one subject per report (file name + sha256 of its bytes), predicate type
 *   `https://plimsoll.dev/attestation/assessment/v1` describing the assessment (see AssessmentPredicate);
 * - `verificationMaterial.publicKey`: the signer's public key (PEM) and key id (RFC 7638 thumbprint), so the
 *   bundle verifies offline — a verifier still compares the key id with the one the server publishes;
 * - `files`: the reports themselves (base64), so one download carries everything an official signs on.
 *
 * Its text is canonical (fixed member order, two-space indentation, one final newline): a verifier re-serialises
 * what it read and refuses a bundle whose bytes differ, so a change of any byte is detected — in the signed
 * statement by the signature, in a file by its digest, anywhere else by the canonical form.
 */
import { createHash } from 'node:crypto';
import { type DsseEnvelope, type EnvelopeSigner, IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.js';
import type { SigningKeyInfo } from './signing-key.js';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.plimsoll.bundle.v1+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://plimsoll.dev/attestation/assessment/v1';

/** A report inside the bundle. */
export interface BundleFile {
  name: string;
  mediaType: string;
  /** The file's bytes, base64. */
  content: string;
}

export interface SignedBundle {
  mediaType: string;
  verificationMaterial: { publicKey: { keyId: string; algorithm: string; pem: string } };
  dsseEnvelope: DsseEnvelope;
  files: BundleFile[];
}

/** An in-toto v1 subject (a ResourceDescriptor): the file name, its digest and its media type, all signed. */
export interface StatementSubject {
  name: string;
  digest: { sha256: string };
  mediaType: string;
}

/** What the bundle says about the assessment it covers. Deterministic: no signing time, the run's own times. */
export interface AssessmentPredicate {
  assessment: { id: string; status: string; startedAt: string; finishedAt: string; startedBy: string };
  benchmarks: { id: string; title: string; version: string; release?: string; releaseDate?: string; documentSha256?: string }[];
  profile?: { id: string; title?: string };
  nodes: { id: string; name: string; endpoint: string; collection: string }[];
  /** The node the reports are limited to; absent for the whole assessment. */
  scope: { node?: string };
  /** The tool that ran the assessment. */
  tool: { name: string; version: string };
  /** When the assessment finished: the time the attested results hold for. */
  time: string;
  summary?: unknown;
  /** Which report formats are subjects (`format` → file name), and those this server does not offer. */
  reports: { covered: { format: string; name: string }[]; notCovered: { format: string; reason: string }[] };
}

export interface InTotoStatement {
  _type: string;
  subject: StatementSubject[];
  predicateType: string;
  predicate: AssessmentPredicate;
}

/** A report to cover: its name, media type and bytes. */
export interface BundleSubject {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The canonical text of a bundle (what is written, and what a verifier compares the bytes it read with). */
export function bundleText(b: SignedBundle): string {
  const canonical: SignedBundle = {
    mediaType: b.mediaType,
    verificationMaterial: { publicKey: { keyId: b.verificationMaterial.publicKey.keyId, algorithm: b.verificationMaterial.publicKey.algorithm, pem: b.verificationMaterial.publicKey.pem } },
    dsseEnvelope: { payloadType: b.dsseEnvelope.payloadType, payload: b.dsseEnvelope.payload, signatures: b.dsseEnvelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) },
    files: b.files.map((f) => ({ name: f.name, mediaType: f.mediaType, content: f.content })),
  };
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

/** Signs a statement over these reports and bundles them with the public key. */
export function buildBundle(subjects: readonly BundleSubject[], predicate: AssessmentPredicate, signer: EnvelopeSigner, key: Pick<SigningKeyInfo, 'keyId' | 'algorithm' | 'publicKeyPem'>): SignedBundle {
  const statement: InTotoStatement = {
    _type: STATEMENT_TYPE,
    subject: subjects.map((s) => ({ name: s.name, digest: { sha256: sha256Hex(s.bytes) }, mediaType: s.mediaType })),
    predicateType: PREDICATE_TYPE,
    predicate,
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  return {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { keyId: key.keyId, algorithm: key.algorithm, pem: key.publicKeyPem } },
    dsseEnvelope: signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, signer),
    files: subjects.map((s) => ({ name: s.name, mediaType: s.mediaType, content: Buffer.from(s.bytes).toString('base64') })),
  };
}
