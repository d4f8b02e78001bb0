/**
 * Checks a node's TLS material (a CA certificate, a client certificate and the client's private key, as PEM)
 * and seals the key for storage. Problems name the input and what is wrong, never the content.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { ContentFile } from '../domain/content-input.js';
import type { Problem } from '../domain/errors.js';
import type { NodeTls } from '../domain/node.js';
import { type SecretBox, secretKeyMissing } from '../repositories/secret-box.js';

export interface TlsFiles {
  ca: ContentFile;
  cert: ContentFile;
  key: ContentFile;
}

/** The PEM X.509 certificate of `file`; undefined with a problem naming the file and `pointer` when it is not one. */
export function readPemCertificate(file: ContentFile, what: string, pointer: string, problems: Problem[]): X509Certificate | undefined {
  try {
    if (!file.bytes.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate');
    return new X509Certificate(file.bytes);
  } catch {
    problems.push({ file: file.name, pointer, message: `the ${what} is not a PEM X.509 certificate` });
    return undefined;
  }
}

function privateKey(file: ContentFile, pointer: string, problems: Problem[]): KeyObject | undefined {
  try {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(file.bytes.toString('latin1'))) throw new Error('no PEM key');
    return createPrivateKey({ key: file.bytes, format: 'pem' });
  } catch {
    problems.push({ file: file.name, pointer, message: 'the client key is not an unencrypted PEM private key' });
    return undefined;
  }
}

/**
 * The material checked (two certificates, a private key that belongs to the client certificate) with the key
 * sealed; undefined with problems added when it is not usable. CONFIG_INVALID when no secret key is configured.
 */
export function sealNodeTls(files: TlsFiles, box: SecretBox | undefined, problems: Problem[]): Extract<NodeTls, { kind: 'sealed' }> | undefined {
  const before = problems.length;
  readPemCertificate(files.ca, 'CA certificate', '/tls/ca', problems);
  const cert = readPemCertificate(files.cert, 'client certificate', '/tls/cert', problems);
  const key = privateKey(files.key, '/tls/key', problems);
  if (cert && key && !cert.checkPrivateKey(key)) problems.push({ file: files.key.name, pointer: '/tls/key', message: 'the client key does not belong to the client certificate' });
  if (problems.length > before) return undefined;
  if (box === undefined) throw secretKeyMissing('A node with mutual TLS');
  return { kind: 'sealed', caPem: files.ca.bytes.toString('utf8'), certPem: files.cert.bytes.toString('utf8'), keySealed: box.seal(files.key.bytes, 'node-tls-key') };
}
