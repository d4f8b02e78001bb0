/**
 * Debian's docker-registry and notary-server for integration tests, each a private process on 127.0.0.1 with
 * its own temp directory, stopped by pid. The registry serves plain HTTP (dockerd treats 127.0.0.0/8 as an
 * insecure registry, so pushes need no CA) or TLS with basic (htpasswd, bcrypt via apache2-utils) or token
 * auth; several registries may share one storage directory, so images pushed through the plain one can be
 * read through the authenticated ones. notary-server runs with memory storage and its local signer (no
 * notary-signer, no database), TLS from the test CA, optionally with token auth.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeTcpPort } from './tls.js';

const run = promisify(execFile);

export interface ServerProcess {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`. */
  host: string;
  port: number;
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  /** PEM bundle of the certificates that may sign tokens. */
  rootCertBundle: string;
}

export interface RegistryOptions {
  storageDir: string;
  tls?: { cert: string; key: string };
  auth?: { htpasswd: string } | { token: TokenAuth };
}

/** Polls until the URL answers with any HTTP status. */
async function waitForHttp(url: string, child: ChildProcess, logFile: string, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const mod = url.startsWith('https:') ? https : http;
      const req = mod.get(url, { rejectUnauthorized: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what} at ${url}`);
}

async function startProcess(command: string, args: string[], dir: string, probe: (port: number) => string, port: number, what: string): Promise<ServerProcess> {
  const logFile = path.join(dir, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(probe(port), child, logFile, what);
  } catch (e) {
    await stop();
    throw e;
  }
  const scheme = probe(port).startsWith('https:') ? 'https' : 'http';
  return { url: `${scheme}://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port, dir, log: () => fs.readFileSync(logFile, 'utf8'), stop };
}

/** Starts `docker-registry serve` on a free port of 127.0.0.1. */
export async function startRegistry(options: RegistryOptions): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-registry-'));
  const port = await freeTcpPort();
  const lines = [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(options.storageDir)} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...(options.tls ? [`  tls: { certificate: ${JSON.stringify(options.tls.cert)}, key: ${JSON.stringify(options.tls.key)} }`] : []),
  ];
  const auth = options.auth;
  if (auth !== undefined && 'htpasswd' in auth) lines.push('auth:', `  htpasswd: { realm: plimsoll-test, path: ${JSON.stringify(auth.htpasswd)} }`);
  if (auth !== undefined && 'token' in auth) {
    const t = auth.token;
    lines.push('auth:', `  token: { realm: ${JSON.stringify(t.realm)}, service: ${JSON.stringify(t.service)}, issuer: ${JSON.stringify(t.issuer)}, rootcertbundle: ${JSON.stringify(t.rootCertBundle)} }`);
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, lines.join('\n') + '\n');
  const scheme = options.tls ? 'https' : 'http';
  return startProcess('docker-registry', ['serve', config], dir, (p) => `${scheme}://127.0.0.1:${p}/v2/`, port, 'docker-registry');
}

/** Writes an htpasswd file (bcrypt, as the registry requires) with one user. */
export async function writeHtpasswd(file: string, user: string, password: string): Promise<void> {
  const { stdout } = await run('htpasswd', ['-Bbn', user, password]);
  fs.writeFileSync(file, stdout);
}

/** Starts notary-server (memory storage, local signer) with TLS on a free port of 127.0.0.1. */
export async function startNotaryServer(options: { tls: { cert: string; key: string }; auth?: TokenAuth }): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-notary-'));
  const port = await freeTcpPort();
  const config = {
    server: { http_addr: `127.0.0.1:${port}`, tls_cert_file: options.tls.cert, tls_key_file: options.tls.key },
    trust_service: { type: 'local', hostname: '', port: '', key_algorithm: 'ed25519' },
    logging: { level: 'warn' },
    storage: { backend: 'memory' },
    ...(options.auth !== undefined
      ? { auth: { type: 'token', options: { realm: options.auth.realm, service: options.auth.service, issuer: options.auth.issuer, rootcertbundle: options.auth.rootCertBundle, autoredirect: false } } }
      : {}),
  };
  const file = path.join(dir, 'server.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return startProcess('notary-server', ['-config', file], dir, (p) => `https://127.0.0.1:${p}/_notary_server/health`, port, 'notary-server');
}
