/**
 * Facts: one inventory per node per run, collected once and evaluated by every check in memory.
 * Raw Docker API objects are kept as returned (JSON), so evidence can name the exact field path.
 */

import type { RegistryInventory, TrustFacts } from './supply-chain-facts.js';
import type { EnvClassification } from './env-redaction.js';
import type { EnvironmentPolicyFacts } from './environment-policy.js';

/** Raw JSON from the Docker Engine API; checks read fields by path. */
export type ApiObject = Record<string, unknown>;

export interface ContainerFacts {
  id: string;
  /** Name without the leading slash. */
  name: string;
  image: string;
  /** `GET /containers/{id}/json` as returned by the engine. */
  inspect: ApiObject;
}

/** Everything collected from one node in one run. */
export interface NodeFacts {
  nodeId: string;
  nodeName: string;
  endpoint: string;
  collectedAt: string;
  /** `GET /version`. */
  version: ApiObject;
  /** `GET /info`. */
  info: ApiObject;
  containers: ContainerFacts[];
  /**
   * The node's own platform container pattern (a case-insensitive regular expression over container names and
   * images), when one is configured for the node; absent, each rule uses the pattern its STIG check text greps
   * (`ucp|kube|dtr`). An empty pattern leaves no container out.
   */
  platformContainerPattern?: string;
  /**
   * What environment value classifiers (a hook for secret detection) said at collection time, by the variable's
   * location; the values themselves are never kept (every `Env` value is a salted hash, see env-redaction.ts).
   */
  envClassifications?: EnvClassification[];
  /**
   * How values were screened for secrets at collection: the classifiers that saw every value (their ids) and the
   * maximum age of a swarm secret in force. Absent: nothing screened them, so no secret rule can pass.
   */
  secretPolicy?: SecretPolicyFacts;
  /** Containers listed by the engine but left out of the inventory: only Plimsoll's own helper containers, by id. */
  leftOut?: { id: string; name: string; reason: string }[];
  /** Images, networks, volumes, plugins and container processes (engine collector, issue #4). */
  engine?: Collected<EngineInventory>;
  /** daemon.json and the dockerd command line. */
  daemon?: Collected<DaemonConfigFacts>;
  /** Swarm state, when the engine is a swarm manager. */
  swarm?: Collected<SwarmFacts>;
  /** Owner, group, mode and content of the Docker files on the host; FIPS state. */
  host?: Collected<HostFacts>;
  /** The environment's registries: repositories, tags and manifest digests (issue #11). */
  registries?: Collected<RegistryInventory>;
  /** TUF trust data of the images the node runs and of the registries' tags (issue #11). */
  trust?: Collected<TrustFacts>;
  /** The node's environment and the policy configured for it: registries, production, collections (issue #11). */
  environmentPolicy?: Collected<EnvironmentPolicyFacts>;
  /** What the host says about itself for the asset facts: host name, hosts file, network interfaces. */
  asset?: Collected<HostAssetFacts>;
}

/** The secret screening in force when the facts were collected (issue #11 item 4). */
export interface SecretPolicyFacts {
  /** Ids of the classifiers that screened every environment value and history line (e.g. `plimsoll-secrets/1`). */
  classifiers: string[];
  /** The oldest a swarm secret may be, in days (PLIMSOLL_SECRET_MAX_AGE_DAYS). */
  maxAgeDays?: number;
}

/**
 * One part of the inventory. A part that could not be collected says why, so that every check needing it
 * reports `error` (never `pass`); `unavailable` is for parts that cannot exist on this node (e.g. host
 * files of a remote engine when no helper container may run), which checks report as `error` too, with the reason.
 */
export type Collected<T> = { status: 'collected'; data: T } | { status: 'failed'; error: string } | { status: 'unavailable'; reason: string };

export interface EngineInventory {
  /** `GET /images/{id}/json` of every image. */
  images: ApiObject[];
  /**
   * `GET /images/{id}/history` of every image, by image id, newest layer first; each `CreatedBy` line with its
   * build-time values replaced by salted hashes (env-redaction.ts). Absent from facts collected before it was added.
   */
  histories?: Record<string, ApiObject[]>;
  /** `GET /networks` (each network as inspected). */
  networks: ApiObject[];
  /** `GET /volumes` → Volumes. */
  volumes: ApiObject[];
  /** `GET /plugins`. */
  plugins: ApiObject[];
  /** `GET /containers/{id}/top` of each running container, by container id. */
  processes: Record<string, ApiObject>;
  /**
   * `GET /exec/{id}/json` of each exec session a container's inspection lists in `ExecIDs`, by container id
   * (an empty list for a container with none). The engine keeps only running and not-yet-started exec
   * sessions. Absent from facts collected before it was added.
   */
  execs?: Record<string, ApiObject[]>;
}

export interface DaemonConfigFacts {
  /** Parsed daemon.json, or null when the file does not exist. */
  daemonJson: ApiObject | null;
  daemonJsonPath: string;
  /** The dockerd command line (argv), or null when it cannot be read (remote engine without a helper). */
  commandLine: string[] | null;
  /** Where the command line came from (e.g. "/proc/1234/cmdline", "docker.service ExecStart"). */
  commandLineSource?: string;
}

export interface SwarmFacts {
  /** Info.Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  localNodeState: string;
  /** Info.Swarm.ControlAvailable. */
  isManager: boolean;
  /** `GET /swarm`, when a manager; else null. */
  swarm: ApiObject | null;
  /** `GET /swarm/unlockkey` presence is not collected (secret); autolock is in swarm.Spec.EncryptionConfig. */
  nodes: ApiObject[];
  services: ApiObject[];
  secrets: ApiObject[];
  configs: ApiObject[];
  tasks: ApiObject[];
  /**
   * `GET /networks?filters={"driver":["overlay"]}`: on a manager every swarm overlay network, on a worker only
   * those with tasks on it; absent from facts collected before it was added.
   */
  networks?: ApiObject[];
}

export interface HostFileFacts {
  path: string;
  /** True when the file exists; false when it does not (ENOENT) or when it could not be read (then `error` says why). */
  exists: boolean;
  /**
   * Why the file could not be stat'ed (anything but "no such file": permission denied, an I/O error, a helper
   * failure): its existence is then unknown, and every rule that needs it reports `error` naming this cause.
   */
  error?: string;
  /** file, directory, socket, symlink, other */
  type?: string;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  /** Permission bits as an octal string, e.g. "644". */
  mode?: string;
  /** Text content of small configuration files (never keys). */
  content?: string;
  /** Why `content` (or, for a directory, its complete list of entries) could not be read, when it was asked for. */
  contentError?: string;
}

export interface HostFacts {
  /** How the files were read. */
  via: 'host-root' | 'helper-container';
  /** The host root path or helper container id, for the evidence. */
  source: string;
  files: HostFileFacts[];
  /** null when the FIPS state is unknown (the flag could not be read): `evidence` says why. */
  fips: { enabled: boolean | null; evidence: string };
}

/** The host's own identity, read for checklists' asset facts (never used by checks). */
export interface HostAssetFacts {
  /** How the files were read (host root path or helper container), for the provenance. */
  via: 'host-root' | 'helper-container';
  source: string;
  /** `/etc/hostname`, trimmed; null when absent or unreadable (then in `errors`). */
  hostname: string | null;
  /** `/etc/hosts` as text; null when absent or unreadable (then in `errors`). */
  hosts: string | null;
  /** `/sys/class/net/<name>`: the address, and whether the interface is a device (not a bridge or veth). */
  interfaces: { name: string; mac: string | null; physical: boolean }[];
  /** Files that exist or may exist but could not be read (anything but ENOENT), with the cause. */
  errors: { path: string; error: string }[];
}

/** A stored facts snapshot: the facts plus their sha256 over canonical JSON. */
export interface FactsSnapshot {
  id: string;
  assessmentId: string;
  nodeId: string;
  collectedAt: string;
  sha256: string;
  facts: NodeFacts;
}
