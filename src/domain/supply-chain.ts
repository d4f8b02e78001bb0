/**
 * Supply-chain settings of an environment: the registries its nodes pull from, the trust servers (Notary)
 * that hold their images' signatures, and the signers whose signatures count. Today they come from the
 * configuration file (PLIMSOLL_SUPPLY_CHAIN_CONFIG) and from registration (src/supply-chain: registries, trust
 * servers and signers stored with sealed credentials), both in these shapes.
 */
import { createHash } from 'node:crypto';

/** Credentials for a registry or trust server: sent only over TLS, never stored in facts or evidence. */
export interface RemoteCredentials {
  username: string;
  password: string;
}

/** How to reach a registry or trust server over HTTPS. */
export interface RemoteEndpoint {
  /** Base URL, `https://host:port` (plain `http://` only for registries on a loopback address). */
  url: string;
  /** PEM file of the CA that signs the server's certificate (the configuration file); default: the system's CAs. */
  caPath?: string;
  /** The CA certificate as PEM content (registered endpoints); wins over `caPath`. */
  caPem?: string;
  credentials?: RemoteCredentials;
}

export interface RegistrySettings extends RemoteEndpoint {
  /** A name for people and evidence. */
  name: string;
  /** The registry host as image references name it (`registry.example.mil:5000`, `docker.io`); GUNs start with it. */
  host: string;
  /** The trust server holding signatures of this registry's images; none: signatures can't be verified. */
  trustServer?: string;
  /** Repositories to assess (exact names or `prefix/*`); default: every repository of the catalog. */
  repositories?: string[];
}

export interface TrustServerSettings extends RemoteEndpoint {
  name: string;
  /**
   * Pinned root key ids per GUN pattern (`127.0.0.1:5000/app`, `registry.example.mil/team/*`): the root of a
   * matching repository must be signed by one of them (Notary trust pinning); unpinned repositories are
   * trusted on first use with a root certificate naming the GUN.
   */
  pinnedRootKeys?: Record<string, string[]>;
}

/**
 * A signer whose signature makes an image trusted: a targets role (`targets/releases`, `targets/alice`, or
 * `targets` itself) and optionally the only key ids whose signatures on that role count.
 */
export interface AllowedSigner {
  role: string;
  keyIds?: string[];
}

/** Docker Content Trust's own rule when an environment names no signers: `targets/releases`, or `targets`. */
export const DEFAULT_ALLOWED_SIGNERS: readonly AllowedSigner[] = [{ role: 'targets/releases' }, { role: 'targets' }];

export interface EnvironmentSupplyChain {
  environment: string;
  registries: RegistrySettings[];
  trustServers: TrustServerSettings[];
  /** Empty: DEFAULT_ALLOWED_SIGNERS. */
  allowedSigners: AllowedSigner[];
  /** The access-control collections of the environment's workloads (`/prod`, `/Shared/prod/*`); absent: none configured. */
  collections?: string[];
}

/** The supply-chain settings of a node's environment (nodes without one use the `default` environment). */
export interface SupplyChainSettingsSource {
  forEnvironment(environment: string | undefined): EnvironmentSupplyChain | undefined;
  /**
   * Re-reads settings kept outside the process (registered entries in the database); collectors call it
   * before each node's collection so a registration made by another process (the CLI) counts at once.
   */
  refresh?(): Promise<void>;
}

/**
 * A key naming everything a connection to an endpoint depends on (URL, CA, credentials), so a cached client
 * is replaced when any of them changes; a hash, so the key itself holds no password.
 */
export function endpointKey(e: RemoteEndpoint & { name: string }): string {
  const parts = [e.name, e.url, e.caPath ?? '', e.caPem ?? '', e.credentials?.username ?? '', e.credentials?.password ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Settings held in memory, keyed by environment name. */
export function staticSupplyChainSettings(environments: readonly EnvironmentSupplyChain[]): SupplyChainSettingsSource {
  const byName = new Map(environments.map((e) => [e.environment, e]));
  return { forEnvironment: (environment) => byName.get(environment ?? 'default') };
}

/** Whether a repository name is selected by a list of exact names and `prefix/*` patterns (no list: all). */
export function repositorySelected(name: string, patterns: readonly string[] | undefined): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : p === name));
}
