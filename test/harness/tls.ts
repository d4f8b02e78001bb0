/**
 * TLS material for tests, made with the openssl CLI: a CA, a server certificate for 127.0.0.1 and
 * localhost, a client certificate, and an unrelated second CA with its own client certificate for
 * wrong-CA tests. Shapes fit startDockerDaemon({ tcpTls: { port, serverTls, clientTls } }).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DaemonTls } from './docker-daemon.js';
import type { NodeTls, NodeTlsInput } from '../../src/domain/node.js';
import { SecretBox } from '../../src/repositories/secret-box.js';

const run = promisify(execFile);

export interface TlsMaterial {
  dir: string;
  /** CA certificate that signed the server and client certificates. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** An unrelated CA: verifying the server with it fails. */
  otherCa: string;
  /** A client certificate signed by the unrelated CA: the daemon rejects it. */
  otherClientCert: string;
  otherClientKey: string;
  /** For startDockerDaemon's tcpTls. */
  serverTls: DaemonTls;
  clientTls: DaemonTls;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=plimsoll test ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ], dir);
  return { cert, key };
}

async function makeLeaf(dir: string, name: string, ca: { cert: string; key: string }, extensions: string[]): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}-cert.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', ...extensions].join('\n') + '\n');
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], dir);
  const serial = '0x' + randomBytes(8).toString('hex');
  await openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial, '-days', '2', '-extfile', ext, '-out', cert], dir);
  fs.chmodSync(key, 0o600);
  return { cert, key };
}

/** Writes CA, server and client certificates (plus an unrelated CA and client) into `dir`. */
export async function makeTlsMaterial(dir: string): Promise<TlsMaterial> {
  fs.mkdirSync(dir, { recursive: true });
  const ca = await makeCa(dir, 'ca');
  const other = await makeCa(dir, 'other-ca');
  const server = await makeLeaf(dir, 'server', ca, ['extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  const client = await makeLeaf(dir, 'client', ca, ['extendedKeyUsage=clientAuth']);
  const otherClient = await makeLeaf(dir, 'other-client', other, ['extendedKeyUsage=clientAuth']);
  return {
    dir,
    ca: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    otherCa: other.cert,
    otherClientCert: otherClient.cert,
    otherClientKey: otherClient.key,
    serverTls: { caPath: ca.cert, certPath: server.cert, keyPath: server.key },
    clientTls: { caPath: ca.cert, certPath: client.cert, keyPath: client.key },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freeTcpPort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** One secret key for a test process: what PLIMSOLL_SECRET_KEY is in production. */
export const TEST_SECRET_BOX = new SecretBox(randomBytes(32));

/** TLS files as the content a registration takes. */
export function tlsContent(paths: DaemonTls): NodeTlsInput {
  const read = (p: string): { name: string; bytes: Buffer } => ({ name: path.basename(p), bytes: fs.readFileSync(p) });
  return { ca: read(paths.caPath), cert: read(paths.certPath), key: read(paths.keyPath) };
}

/** TLS files as a node stores them: PEM content, the key sealed with TEST_SECRET_BOX. */
export function sealedTls(paths: DaemonTls): NodeTls {
  return { kind: 'sealed', caPem: fs.readFileSync(paths.caPath, 'utf8'), certPem: fs.readFileSync(paths.certPath, 'utf8'), keySealed: TEST_SECRET_BOX.seal(fs.readFileSync(paths.keyPath), 'node-tls-key') };
}
