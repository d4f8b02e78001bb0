/**
 * Docker CLI contexts (`docker context create …`): the endpoint and TLS material a named context points at,
 * read from the Docker config directory (DOCKER_CONFIG, default ~/.docker) the way the docker CLI stores
 * them: contexts/meta/<sha256(name)>/meta.json and contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** Where a context's (or DOCKER_CERT_PATH's) TLS material lies on the local disk, as the docker CLI keeps it. */
export interface TlsFilePaths {
  caPath: string;
  certPath: string;
  keyPath: string;
}

export interface ContextEndpoint {
  endpoint: string;
  tls?: TlsFilePaths;
}

/** The Docker config directory: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG !== undefined && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : path.join(os.homedir(), '.docker');
}

/** The endpoint of context `name`; NOT_FOUND naming the file when there is no such context. */
export function readDockerContext(name: string, configDir: string): ContextEndpoint {
  if (name === 'default') {
    throw new PlimsollError(ErrorCode.BAD_INPUT, 'the "default" context is DOCKER_HOST or unix:///var/run/docker.sock: give that endpoint instead');
  }
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let text: string;
  try {
    text = fs.readFileSync(metaFile, 'utf8');
  } catch {
    throw new PlimsollError(ErrorCode.NOT_FOUND, `Docker context "${name}" not found: ${metaFile} does not exist (see docker context ls)`, [{ file: metaFile, message: 'no such context' }]);
  }
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch (e) {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${metaFile}: not valid JSON: ${(e as Error).message}`, [{ file: metaFile, message: 'not valid JSON' }]);
  }
  const docker = meta.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${metaFile}: the context has no docker endpoint`, [{ file: metaFile, pointer: '/Endpoints/docker/Host', message: 'missing' }]);
  }
  if (docker.SkipTLSVerify === true) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `Docker context "${name}" skips TLS verification; Plimsoll always verifies the engine's certificate`, [{ file: metaFile, pointer: '/Endpoints/docker/SkipTLSVerify', message: 'true' }]);
  }
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  const files = { caPath: path.join(tlsDir, 'ca.pem'), certPath: path.join(tlsDir, 'cert.pem'), keyPath: path.join(tlsDir, 'key.pem') };
  const present = Object.values(files).filter((f) => fs.existsSync(f)).length;
  if (present !== 0 && present !== 3) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `Docker context "${name}" has only part of its TLS material in ${tlsDir}: mutual TLS needs ca.pem, cert.pem and key.pem`);
  }
  return { endpoint: docker.Host, ...(present === 3 ? { tls: files } : {}) };
}
