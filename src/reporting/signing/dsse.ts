/**
 * DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse, protocol v1): the signature covers the
 * Pre-Authentication Encoding of the payload type and the payload, never the payload alone, so a payload can't be
 * re-read as another type. Written here (a dozen lines) rather than pulled from a Sigstore package: the encoding
 * is fixed by the spec and checked against its test vector in the tests.
 *
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 *
 * where LEN is the byte length as ASCII decimal without leading zeros, and `type` is encoded as UTF-8.
 */

/** The envelope as serialised (JSON): payload and signatures base64 (standard alphabet, padded). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** The in-toto payload type of an envelope carrying an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The bytes a DSSE signature is computed over. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.length} `, 'ascii'), payload]);
}

/** Something that signs bytes under a key id (Ed25519: deterministic). */
export interface EnvelopeSigner {
  readonly keyId: string;
  sign(data: Uint8Array): Uint8Array;
}

/** An envelope of one signature over `payload`. */
export function signEnvelope(payloadType: string, payload: Uint8Array, signer: EnvelopeSigner): DsseEnvelope {
  const sig = signer.sign(preAuthEncoding(payloadType, payload));
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid: signer.keyId, sig: Buffer.from(sig).toString('base64') }] };
}
