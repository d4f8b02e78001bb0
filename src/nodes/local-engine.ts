/**
 * Finds the Docker engine of this machine, so that `plimsoll assess` works without registering a
 * node first: DOCKER_HOST when set (never silently another engine), else the default socket.
 */
import path from 'node:path';
import type { NodeTls } from '../domain/node.js';
import { dockerClientFactory, type DockerClientFactory } from '../repositories/docker-client.js';
import type { TlsFilePaths } from '../repositories/docker/contexts.js';

export const DEFAULT_DOCKER_SOCKET_ENDPOINT = 'unix:///var/run/docker.sock';
export const LOCAL_ENGINE_PING_TIMEOUT_MS = 1_500;

export interface LocalEngineEnv {
  /** DOCKER_HOST. */
  dockerHost?: string;
  /** The TLS material of DOCKER_CERT_PATH (sealed), used for a tcp:// DOCKER_HOST. */
  tls?: NodeTls;
}

export interface LocalEngineOptions {
  /** Client factory (tests); default dockerode with a ping timeout of `timeoutMs`. */
  clients?: DockerClientFactory;
  timeoutMs?: number;
  /** Endpoint tried when DOCKER_HOST is unset; default unix:///var/run/docker.sock. */
  defaultEndpoint?: string;
}

/** The TLS files in a DOCKER_CERT_PATH directory, named as the docker CLI expects. */
export function tlsFromCertPath(certPath: string): TlsFilePaths {
  return { caPath: path.join(certPath, 'ca.pem'), certPath: path.join(certPath, 'cert.pem'), keyPath: path.join(certPath, 'key.pem') };
}

/** The local engine's endpoint when it answers a ping within ~1.5 s, else undefined. */
export async function detectLocalEngine(env: LocalEngineEnv, options: LocalEngineOptions = {}): Promise<string | undefined> {
  const clients = options.clients ?? dockerClientFactory({ timeoutMs: options.timeoutMs ?? LOCAL_ENGINE_PING_TIMEOUT_MS });
  const dockerHost = env.dockerHost?.trim() || undefined;
  const endpoint = dockerHost ?? options.defaultEndpoint ?? DEFAULT_DOCKER_SOCKET_ENDPOINT;
  const tls = dockerHost?.startsWith('tcp://') ? env.tls : undefined;
  try {
    await clients(tls ? { endpoint, tls } : { endpoint }).ping();
    return endpoint;
  } catch {
    // Any failure (no socket, refused, TLS, bad endpoint) means there is no usable local engine.
    return undefined;
  }
}
