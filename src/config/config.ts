import path from 'node:path';

/**
 * All configuration, read from the environment once and validated together: a bad start lists every
 * bad variable in one message. Explicit overrides (CLI flags) beat the environment.
 */
export interface Config {
  /** SQLite database file. */
  dbPath: string;
  host: string;
  port: number;
  adminToken?: string;
  /** Directories searched (recursively, by file name) for pinned content before downloading. */
  contentMirrors: string[];
  /** Where verified content is cached (git-ignored). */
  contentCacheDir: string;
  /** Never download content; only mirrors and cache. */
  offline: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  docker: {
    /** DOCKER_HOST, when set. */
    host?: string;
    tlsVerify: boolean;
    certPath?: string;
    timeoutMs: number;
  };
  /** Directory of the project (catalogs/, schemas/, reports/). */
  projectRoot: string;
  /** How host files (docker.service, /etc/docker, the socket, FIPS, the dockerd command line) are read. */
  hostFiles: {
    /** Root of the local node's file system for `unix://` nodes (PLIMSOLL_HOST_ROOT, default `/`; `none` disables). */
    root?: string;
    /** Image for a short-lived read-only helper container on other nodes (PLIMSOLL_HOST_HELPER_IMAGE). */
    helperImage?: string;
    /** The busybox binary inside the helper image (PLIMSOLL_HOST_HELPER_BUSYBOX, default /bin/busybox). */
    helperBusybox?: string;
  };
  /**
   * Key (32 bytes) that encrypts node TLS private keys and staged uploads at rest (PLIMSOLL_SECRET_KEY, base64
   * or hex). Required once any node uses mutual TLS.
   */
  secretKey?: Buffer;
  /** Content uploads (`POST /uploads`): the largest accepted body and how long an unused upload is kept. */
  uploads: { maxBytes: number; ttlMinutes: number };
  /**
   * Endpoints nodes may use (PLIMSOLL_NODE_ALLOWLIST, comma-separated CIDRs, IP addresses, host names,
   * `*.domain` wildcards and `unix:///socket` paths); undefined allows every endpoint.
   */
  nodeAllowlist?: string[];
}

export type ConfigOverrides = Partial<Omit<Config, 'docker' | 'hostFiles' | 'uploads'>> & { docker?: Partial<Config['docker']>; hostFiles?: Partial<Config['hostFiles']>; uploads?: Partial<Config['uploads']> };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Thrown with every invalid variable listed. Kept free of domain imports on purpose. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function intVar(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
    return dflt;
  }
  return n;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw.toLowerCase() === 'false') return false;
  if (raw === '1' || raw.toLowerCase() === 'true') return true;
  problems.push(`${name}=${JSON.stringify(raw)} must be 1/true or 0/false`);
  return false;
}

/** PLIMSOLL_SECRET_KEY: 32 bytes as base64 (44 characters) or hex (64 characters); never echoed in problems. */
function secretKeyVar(env: NodeJS.ProcessEnv, problems: string[]): Buffer | undefined {
  const raw = env.PLIMSOLL_SECRET_KEY?.trim();
  if (raw === undefined || raw === '') return undefined;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
  if (key?.length !== 32) {
    problems.push('PLIMSOLL_SECRET_KEY must be 32 random bytes as base64 (e.g. `openssl rand -base64 32`) or as 64 hex digits');
    return undefined;
  }
  return key;
}

/** PLIMSOLL_NODE_ALLOWLIST: comma-separated entries; each is checked when the allow-list is built. */
function listVar(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
}

/** Reads and validates the configuration from `env` (default: process.env), applying overrides last. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const projectRoot = path.resolve(env.PLIMSOLL_PROJECT_ROOT ?? defaultProjectRoot());
  const logLevel = (env.PLIMSOLL_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`PLIMSOLL_LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${LOG_LEVELS.join(', ')}`);
  const adminToken = env.PLIMSOLL_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) problems.push('PLIMSOLL_ADMIN_TOKEN must be at least 16 characters');
  const dockerHost = env.DOCKER_HOST || undefined;
  if (dockerHost !== undefined && !/^(unix|tcp):\/\//.test(dockerHost)) problems.push(`DOCKER_HOST=${JSON.stringify(dockerHost)} must start with unix:// or tcp://`);
  // A mirror path given by the user is relative to the working directory; the default is relative to the project.
  const mirrors =
    env.PLIMSOLL_CONTENT_MIRROR === undefined
      ? [path.resolve(projectRoot, '..', 'shared', 'data')]
      : env.PLIMSOLL_CONTENT_MIRROR.split(path.delimiter)
          .filter((p) => p !== '')
          .map((p) => path.resolve(cwd, p));

  const hostRoot = env.PLIMSOLL_HOST_ROOT || '/';
  if (hostRoot !== 'none' && !path.isAbsolute(hostRoot)) problems.push(`PLIMSOLL_HOST_ROOT=${JSON.stringify(hostRoot)} must be an absolute path or "none"`);

  const config: Config = {
    dbPath: path.resolve(cwd, env.PLIMSOLL_DB ?? path.join('var', 'plimsoll.db')),
    host: env.PLIMSOLL_HOST ?? 'localhost',
    port: intVar(env, 'PLIMSOLL_PORT', 4000, 0, 65535, problems),
    adminToken,
    contentMirrors: mirrors,
    contentCacheDir: path.resolve(cwd, env.PLIMSOLL_CONTENT_CACHE ?? path.join('var', 'content')),
    offline: boolVar(env, 'PLIMSOLL_OFFLINE', problems),
    logLevel,
    docker: {
      host: dockerHost,
      tlsVerify: boolVar(env, 'DOCKER_TLS_VERIFY', problems),
      certPath: env.DOCKER_CERT_PATH || undefined,
      timeoutMs: intVar(env, 'PLIMSOLL_DOCKER_TIMEOUT_MS', 10_000, 100, 600_000, problems),
    },
    projectRoot,
    hostFiles: {
      root: hostRoot === 'none' ? undefined : path.resolve(cwd, hostRoot),
      helperImage: env.PLIMSOLL_HOST_HELPER_IMAGE || undefined,
      helperBusybox: env.PLIMSOLL_HOST_HELPER_BUSYBOX || undefined,
    },
    secretKey: secretKeyVar(env, problems),
    uploads: {
      maxBytes: intVar(env, 'PLIMSOLL_UPLOAD_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
      ttlMinutes: intVar(env, 'PLIMSOLL_UPLOAD_TTL_MINUTES', 60, 1, 7 * 24 * 60, problems),
    },
    nodeAllowlist: listVar(env, 'PLIMSOLL_NODE_ALLOWLIST'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, ...overrides, docker: { ...config.docker, ...overrides.docker }, hostFiles: { ...config.hostFiles, ...overrides.hostFiles }, uploads: { ...config.uploads, ...overrides.uploads } } as Config;
}

/** The package root: two levels above dist/src/config or src/config. */
function defaultProjectRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const parts = here.split(path.sep);
  const idx = parts.lastIndexOf('src');
  const root = parts.slice(0, idx).join(path.sep);
  return path.basename(root) === 'dist' ? path.dirname(root) : root;
}
