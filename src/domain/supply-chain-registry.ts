/**
 * Registries, trust servers and allowed signers registered like nodes (issue #11 item 1). What the service
 * returns never carries credentials: only whether some are stored and when they last changed. The sealed
 * credentials stay between the repository and the settings source that hands them to the collectors.
 */
import type { Principal } from './auth.js';
import type { ContentInput } from './content-input.js';
import type { Connection, PageRequest } from './paging.js';
import type { AllowedSigner } from './supply-chain.js';

/** A user name and password for a registry or trust server, as given; stored sealed, never returned. */
export interface CredentialsInput {
  username: string;
  password: string;
}

/** Fields shared by registered registries and trust servers, as returned. */
interface RegisteredEndpointView {
  id: string;
  name: string;
  url: string;
  /** The CA certificate (PEM) the server's certificate is verified against; absent: the system's CAs. */
  caPem?: string;
  /** Whether credentials are stored (they are never returned). */
  hasCredentials: boolean;
  /** When the credentials were last set or cleared. */
  credentialsUpdatedAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface RegisteredRegistry extends RegisteredEndpointView {
  /** The registry host as image references name it (`registry.example.mil:5000`). */
  host: string;
  /** The environment whose nodes pull from it (`default` when none was given). */
  environment: string;
  /** The name of the registered trust server holding its signatures. */
  trustServer?: string;
  /** Repositories assessed (exact names or `prefix/*`); absent: the whole catalog. */
  repositories?: string[];
}

export interface RegisteredTrustServer extends RegisteredEndpointView {
  /** Pinned root key ids per GUN pattern (Notary trust pinning). */
  pinnedRootKeys: Record<string, string[]>;
}

/** The allowed signers an environment registered (empty: Docker Content Trust's default rule). */
export interface EnvironmentSigners {
  environment: string;
  signers: AllowedSigner[];
  updatedAt?: string;
  updatedBy?: string;
}

interface EndpointInput {
  name: string;
  url: string;
  /** The CA certificate as an upload or bytes (PEM). */
  ca?: ContentInput;
  credentials?: CredentialsInput;
}

export interface RegistryInput extends EndpointInput {
  /** Default: the URL's host and port. */
  host?: string;
  /** Default: `default`. */
  environment?: string;
  /** A registered trust server, by id or name. */
  trustServer?: string;
  repositories?: string[];
}

export interface TrustServerInput extends EndpointInput {
  pinnedRootKeys?: Record<string, string[]>;
}

/** Changes to a registered endpoint: absent fields stay; `null` clears an optional one. */
interface EndpointChanges {
  name?: string;
  url?: string;
  ca?: ContentInput | null;
  credentials?: CredentialsInput | null;
}

export interface RegistryChanges extends EndpointChanges {
  host?: string;
  environment?: string;
  trustServer?: string | null;
  repositories?: string[] | null;
}

export interface TrustServerChanges extends EndpointChanges {
  pinnedRootKeys?: Record<string, string[]> | null;
}

/** The audit summary of credentials in an input: whether they are set, changed or cleared; never their value. */
export function credentialsChange(credentials: CredentialsInput | null | undefined): 'set' | 'cleared' | undefined {
  if (credentials === undefined) return undefined;
  return credentials === null ? 'cleared' : 'set';
}

/**
 * Registration of registries, trust servers and the allowed signers of environments. References (`ref`) are
 * ids or names. Credentials are write-only: set, replaced or cleared, never returned.
 */
export interface SupplyChainService {
  /** BAD_INPUT for invalid input, CONFLICT for a taken name (or one the configuration file defines). */
  registerRegistry(input: RegistryInput, actor: Principal): Promise<RegisteredRegistry>;
  updateRegistry(ref: string, changes: RegistryChanges, actor: Principal): Promise<RegisteredRegistry>;
  removeRegistry(ref: string, actor: Principal): Promise<void>;
  listRegistries(): Promise<RegisteredRegistry[]>;
  pageRegistries(page: PageRequest): Promise<Connection<RegisteredRegistry>>;
  getRegistry(ref: string): Promise<RegisteredRegistry | undefined>;
  registerTrustServer(input: TrustServerInput, actor: Principal): Promise<RegisteredTrustServer>;
  updateTrustServer(ref: string, changes: TrustServerChanges, actor: Principal): Promise<RegisteredTrustServer>;
  /** CONFLICT while a registry uses it. */
  removeTrustServer(ref: string, actor: Principal): Promise<void>;
  listTrustServers(): Promise<RegisteredTrustServer[]>;
  pageTrustServers(page: PageRequest): Promise<Connection<RegisteredTrustServer>>;
  getTrustServer(ref: string): Promise<RegisteredTrustServer | undefined>;
  /** Replaces an environment's allowed signers; an empty list returns it to the default rule. */
  setSigners(environment: string, signers: AllowedSigner[], actor: Principal): Promise<EnvironmentSigners>;
  /** Environments with registered signers. */
  listSigners(): Promise<EnvironmentSigners[]>;
  /** An environment's registered signers (empty when none). */
  getSigners(environment: string): Promise<EnvironmentSigners>;
}
