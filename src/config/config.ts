import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './package-info.js';
import { loadSupplyChainConfig, type SupplyChainEnvironmentConfig } from './supply-chain-config.js';

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
  /**
   * The secret salt (HMAC key) that environment values are hashed with before facts are stored
   * (PLIMSOLL_ENV_HASH_SALT, at least 16 characters); unset: one generated at first use and kept in the database.
   */
  envHashSalt?: string;
  /** The oldest a swarm secret may be before PLM-SEC-005 asks for its rotation, in days (PLIMSOLL_SECRET_MAX_AGE_DAYS, default 90). */
  secretMaxAgeDays: number;
  /** The user the CLI acts as (PLIMSOLL_USER; `--as` beats it); absent: the local operator. */
  cliUser?: string;
  /**
   * The V8 old-generation limit, in MB, of the worker thread `plimsoll assess` runs in (PLIMSOLL_ASSESS_HEAP_MB,
   * default 512; 0: no worker, Node's own sizing): see src/cli/bounded-worker.ts.
   */
  assessHeapMb: number;
  /** OIDC bearer tokens, when PLIMSOLL_OIDC_ISSUER is set. */
  oidc?: OidcConfig;
  /** How host files (docker.service, /etc/docker, the socket, FIPS, the dockerd command line) are read. */
  hostFiles: {
    /** Root of the local node's file system for `unix://` nodes (PLIMSOLL_HOST_ROOT, default `/`; `none` disables). */
    root?: string;
    /** Image for a short-lived read-only helper container on other nodes (PLIMSOLL_HOST_HELPER_IMAGE). */
    helperImage?: string;
    /** The busybox binary inside the helper image (PLIMSOLL_HOST_HELPER_BUSYBOX, default /bin/busybox). */
    helperBusybox?: string;
  };
  /** Schedules and notifications (issue #10). */
  monitoring: MonitoringConfig;
  /** Registries, trust servers (Notary) and allowed signers per environment (issue #11). */
  supplyChain: {
    /** PLIMSOLL_SUPPLY_CHAIN_CONFIG: the YAML or JSON file they were read from. */
    file?: string;
    environments: SupplyChainEnvironmentConfig[];
    /** Per registry or trust server request (PLIMSOLL_REGISTRY_TIMEOUT_MS, default 10 s). */
    timeoutMs: number;
    /** Environments that count as production for PLM-ENV-002 (PLIMSOLL_PROD_ENVIRONMENTS, default prod,production). */
    productionEnvironments: string[];
    /** The container label naming a workload's collection (PLIMSOLL_ACCESS_LABEL_KEY, default com.docker.ucp.access.label). */
    accessLabelKey: string;
  };
  /** Drift (issue #10). */
  drift: {
    /** How many days before its expiry an exemption is reported as expiring (PLIMSOLL_EXPIRY_WARNING_DAYS, default 14). */
    expiryWarningDays: number;
  };
  /**
   * Key (32 bytes) that encrypts node TLS private keys, staged uploads, webhook signing secrets and swarm unlock
   * keys at rest (PLIMSOLL_SECRET_KEY, base64 or hex). Required once any node uses mutual TLS.
   */
  secretKey?: Buffer;
  /** Content uploads (`POST /uploads`): the largest accepted body and how long an unused upload is kept. */
  uploads: { maxBytes: number; ttlMinutes: number };
  /**
   * Endpoints nodes may use (PLIMSOLL_NODE_ALLOWLIST, comma-separated CIDRs, IP addresses, host names,
   * `*.domain` wildcards and `unix:///socket` paths); undefined allows every endpoint.
   */
  nodeAllowlist?: string[];
  /**
   * Days from a finding's first observation to its POA&M milestone, per severity (PLIMSOLL_POAM_DUE_DAYS,
   * e.g. `high=30,medium=90,low=180`; default CAT I 30, CAT II 90, CAT III 180, unknown as CAT II).
   */
  poamDueDays: Record<'high' | 'medium' | 'low' | 'unknown', number>;
  /**
   * The Ed25519 key reports are signed with (PLIMSOLL_SIGNING_KEY: a PKCS#8 PEM, or the path of a file holding
   * one); unset: one generated at first start and kept sealed with PLIMSOLL_SECRET_KEY.
   */
  signingKey?: { pem: string } | { file: string };
}

export interface MonitoringConfig {
  /** Scheduled node runs at once, across every schedule (PLIMSOLL_SCHEDULE_CONCURRENCY, default 4). */
  concurrency: number;
  /** A scheduled node's run is stopped after this long (PLIMSOLL_SCHEDULE_NODE_TIMEOUT_MS, default 10 minutes). */
  nodeTimeoutMs: number;
  /** Where webhooks may point besides public https addresses (PLIMSOLL_WEBHOOK_ALLOWLIST, comma-separated). */
  webhookAllowlist: string[];
  /** One webhook POST, connect to answer (PLIMSOLL_WEBHOOK_TIMEOUT_MS, default 10 s). */
  webhookTimeoutMs: number;
  /** Attempts per delivery, the first included (PLIMSOLL_WEBHOOK_MAX_ATTEMPTS, default 8). */
  webhookMaxAttempts: number;
  /** Delay before the first retry; each further one doubles it, up to an hour (PLIMSOLL_WEBHOOK_RETRY_BASE_MS, default 30 s). */
  webhookRetryBaseMs: number;
  /** Days before an exemption's expiry that it is announced (PLIMSOLL_EXPIRY_WARNING_DAYS, default 14). */
  expiryWarningDays: number;
}

/** The roles an OIDC claim value can map to (the domain's roles; config imports nothing from src). */
export type ConfigRole = 'admin' | 'assessor' | 'auditor';
const CONFIG_ROLES: readonly ConfigRole[] = ['admin', 'assessor', 'auditor'];

export interface OidcConfig {
  /** PLIMSOLL_OIDC_ISSUER: the `iss` tokens must carry. */
  issuer: string;
  /** PLIMSOLL_OIDC_AUDIENCE: the `aud` tokens must include (the client id Plimsoll is registered as). */
  audience: string;
  /** PLIMSOLL_OIDC_JWKS_URL: the provider's key set; https, or http on a loopback address. */
  jwksUrl: string;
  /** PLIMSOLL_OIDC_ROLES_CLAIM (default `groups`): dotted path of the claim holding groups or roles. */
  rolesClaim: string;
  /** PLIMSOLL_OIDC_ROLE_MAP: JSON object from claim value to role, e.g. {"plimsoll-admins":"admin"}. */
  roleMap: Record<string, ConfigRole>;
  /** PLIMSOLL_OIDC_USERNAME_CLAIM (default `preferred_username`): names users created on first sign-in. */
  usernameClaim: string;
  /** PLIMSOLL_OIDC_AUTO_PROVISION (default true): create unknown identities on first sight. */
  autoProvision: boolean;
  /** PLIMSOLL_OIDC_CLOCK_TOLERANCE_S (default 30): tolerated clock skew on exp/nbf. */
  clockToleranceSec: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function readOidc(env: NodeJS.ProcessEnv, problems: string[]): OidcConfig | undefined {
  const issuer = env.PLIMSOLL_OIDC_ISSUER || undefined;
  const others = ['PLIMSOLL_OIDC_AUDIENCE', 'PLIMSOLL_OIDC_JWKS_URL', 'PLIMSOLL_OIDC_ROLE_MAP'].filter((n) => env[n]);
  if (issuer === undefined) {
    if (others.length > 0) problems.push(`${others.join(', ')} set without PLIMSOLL_OIDC_ISSUER`);
    return undefined;
  }
  const audience = env.PLIMSOLL_OIDC_AUDIENCE || '';
  if (audience === '') problems.push('PLIMSOLL_OIDC_AUDIENCE must be set with PLIMSOLL_OIDC_ISSUER');
  const jwksUrl = env.PLIMSOLL_OIDC_JWKS_URL || '';
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    problems.push(`PLIMSOLL_OIDC_JWKS_URL=${JSON.stringify(jwksUrl)} must be a URL`);
  }
  if (url !== undefined && url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problems.push(`PLIMSOLL_OIDC_JWKS_URL=${JSON.stringify(jwksUrl)} must use https (http only on a loopback address)`);
  }
  const roleMap: Record<string, ConfigRole> = {};
  try {
    const parsed = JSON.parse(env.PLIMSOLL_OIDC_ROLE_MAP ?? '') as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    for (const [value, role] of Object.entries(parsed as Record<string, unknown>)) {
      if (!CONFIG_ROLES.includes(role as ConfigRole)) problems.push(`PLIMSOLL_OIDC_ROLE_MAP maps ${JSON.stringify(value)} to ${JSON.stringify(role)}, not one of ${CONFIG_ROLES.join(', ')}`);
      else roleMap[value] = role as ConfigRole;
    }
  } catch {
    problems.push('PLIMSOLL_OIDC_ROLE_MAP must be a JSON object from claim value to role, e.g. {"plimsoll-admins":"admin","plimsoll-auditors":"auditor"}');
  }
  return {
    issuer,
    audience,
    jwksUrl,
    rolesClaim: env.PLIMSOLL_OIDC_ROLES_CLAIM || 'groups',
    roleMap,
    usernameClaim: env.PLIMSOLL_OIDC_USERNAME_CLAIM || 'preferred_username',
    autoProvision: env.PLIMSOLL_OIDC_AUTO_PROVISION === undefined || env.PLIMSOLL_OIDC_AUTO_PROVISION === '' ? true : boolVar(env, 'PLIMSOLL_OIDC_AUTO_PROVISION', problems),
    clockToleranceSec: intVar(env, 'PLIMSOLL_OIDC_CLOCK_TOLERANCE_S', 30, 0, 600, problems),
  };
}

export type ConfigOverrides = Partial<Omit<Config, 'docker' | 'hostFiles' | 'supplyChain' | 'uploads' | 'monitoring'>> & {
  monitoring?: Partial<MonitoringConfig>;
  docker?: Partial<Config['docker']>;
  hostFiles?: Partial<Config['hostFiles']>;
  supplyChain?: Partial<Config['supplyChain']>;
  uploads?: Partial<Config['uploads']>;
};

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

/** PLIMSOLL_ASSESS_HEAP_MB: 0 (no worker thread) or 256 to 65536 MB. */
function assessHeapVar(env: NodeJS.ProcessEnv, problems: string[]): number {
  const mb = intVar(env, 'PLIMSOLL_ASSESS_HEAP_MB', DEFAULT_ASSESS_HEAP_MB, 0, 65_536, problems);
  if (mb !== 0 && mb < 256) {
    problems.push(`PLIMSOLL_ASSESS_HEAP_MB=${JSON.stringify(env.PLIMSOLL_ASSESS_HEAP_MB)} must be 0 (no limit of Plimsoll's own) or from 256 to 65536`);
    return DEFAULT_ASSESS_HEAP_MB;
  }
  return mb;
}

/**
 * The assess heap limit alone, for the CLI's entry point, which decides before anything else is loaded whether
 * the command runs in a worker; throws ConfigError as loadConfig would.
 */
export function loadAssessHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const problems: string[] = [];
  const mb = assessHeapVar(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return mb;
}

const DEFAULT_ASSESS_HEAP_MB = 512;

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

/** PLIMSOLL_POAM_DUE_DAYS: SEVERITY=DAYS parts over the defaults. */
function readDueDays(env: NodeJS.ProcessEnv, problems: string[]): Config['poamDueDays'] {
  const days: Config['poamDueDays'] = { high: 30, medium: 90, low: 180, unknown: 90 };
  for (const part of (env.PLIMSOLL_POAM_DUE_DAYS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^(high|medium|low|unknown)\s*=\s*(\d{1,4})$/.exec(part);
    if (match === null || Number(match[2]) < 1) {
      problems.push(`PLIMSOLL_POAM_DUE_DAYS part ${JSON.stringify(part)} must be SEVERITY=DAYS (high, medium, low or unknown; 1 to 9999 days)`);
    } else {
      days[match[1] as keyof Config['poamDueDays']] = Number(match[2]);
    }
  }
  return days;
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

  const envHashSalt = env.PLIMSOLL_ENV_HASH_SALT || undefined;
  if (envHashSalt !== undefined && envHashSalt.length < 16) problems.push('PLIMSOLL_ENV_HASH_SALT must be at least 16 characters');

  const hostRoot = env.PLIMSOLL_HOST_ROOT || '/';
  if (hostRoot !== 'none' && !path.isAbsolute(hostRoot)) problems.push(`PLIMSOLL_HOST_ROOT=${JSON.stringify(hostRoot)} must be an absolute path or "none"`);

  const supplyChainFile = env.PLIMSOLL_SUPPLY_CHAIN_CONFIG || undefined;
  const environments = supplyChainFile !== undefined ? loadSupplyChainConfig(supplyChainFile, env, cwd, problems) : [];

  const oidc = readOidc(env, problems);
  // One setting for drift's `expiring` notices and the monitor's EXPIRY events, read once.
  const expiryWarningDays = intVar(env, 'PLIMSOLL_EXPIRY_WARNING_DAYS', 14, 0, 365, problems);
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
    ...(envHashSalt !== undefined ? { envHashSalt } : {}),
    secretMaxAgeDays: intVar(env, 'PLIMSOLL_SECRET_MAX_AGE_DAYS', 90, 1, 3650, problems),
    cliUser: env.PLIMSOLL_USER || undefined,
    assessHeapMb: assessHeapVar(env, problems),
    oidc,
    hostFiles: {
      root: hostRoot === 'none' ? undefined : path.resolve(cwd, hostRoot),
      helperImage: env.PLIMSOLL_HOST_HELPER_IMAGE || undefined,
      helperBusybox: env.PLIMSOLL_HOST_HELPER_BUSYBOX || undefined,
    },
    monitoring: {
      concurrency: intVar(env, 'PLIMSOLL_SCHEDULE_CONCURRENCY', 4, 1, 200, problems),
      nodeTimeoutMs: intVar(env, 'PLIMSOLL_SCHEDULE_NODE_TIMEOUT_MS', 600_000, 1000, 86_400_000, problems),
      webhookAllowlist: (env.PLIMSOLL_WEBHOOK_ALLOWLIST ?? '').split(',').map((e) => e.trim()).filter((e) => e !== ''),
      webhookTimeoutMs: intVar(env, 'PLIMSOLL_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000, problems),
      webhookMaxAttempts: intVar(env, 'PLIMSOLL_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50, problems),
      webhookRetryBaseMs: intVar(env, 'PLIMSOLL_WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000, problems),
      expiryWarningDays,
    },
    supplyChain: {
      ...(supplyChainFile !== undefined ? { file: path.resolve(cwd, supplyChainFile) } : {}),
      environments,
      timeoutMs: intVar(env, 'PLIMSOLL_REGISTRY_TIMEOUT_MS', 10_000, 100, 600_000, problems),
      productionEnvironments: listVar(env, 'PLIMSOLL_PROD_ENVIRONMENTS') ?? ['prod', 'production'],
      accessLabelKey: (env.PLIMSOLL_ACCESS_LABEL_KEY ?? '').trim() || 'com.docker.ucp.access.label',
    },
    secretKey: secretKeyVar(env, problems),
    uploads: {
      maxBytes: intVar(env, 'PLIMSOLL_UPLOAD_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
      ttlMinutes: intVar(env, 'PLIMSOLL_UPLOAD_TTL_MINUTES', 60, 1, 7 * 24 * 60, problems),
    },
    nodeAllowlist: listVar(env, 'PLIMSOLL_NODE_ALLOWLIST'),
    drift: { expiryWarningDays },
    poamDueDays: readDueDays(env, problems),
    ...signingKeyVar(env, cwd),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...config,
    ...overrides,
    docker: { ...config.docker, ...overrides.docker },
    hostFiles: { ...config.hostFiles, ...overrides.hostFiles },
    supplyChain: { ...config.supplyChain, ...overrides.supplyChain },
    monitoring: { ...config.monitoring, ...overrides.monitoring },
    uploads: { ...config.uploads, ...overrides.uploads },
  } as Config;
}

/** The package root: the directory of the package.json above this module (src/…, dist/src/… or the CLI bundle in dist/cli/). */
function defaultProjectRoot(): string {
  return packageRoot(path.dirname(fileURLToPath(import.meta.url)));
}

/** PLIMSOLL_SIGNING_KEY: PEM text (it holds a BEGIN line) or a file path; the key itself is checked when first used. */
function signingKeyVar(env: NodeJS.ProcessEnv, cwd: string): { signingKey?: Config['signingKey'] } {
  const raw = env.PLIMSOLL_SIGNING_KEY?.trim();
  if (raw === undefined || raw === '') return {};
  return { signingKey: raw.includes('-----BEGIN') ? { pem: raw } : { file: path.resolve(cwd, raw) } };
}
