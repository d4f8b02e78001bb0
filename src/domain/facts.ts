/**
 * Facts: one inventory per node per run, collected once and evaluated by every check in memory.
 * Raw Docker API objects are kept as returned (JSON), so evidence can name the exact field path.
 */

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
  /** Images, networks, volumes, plugins and container processes (engine collector, issue #4). */
  engine?: Collected<EngineInventory>;
  /** daemon.json and the dockerd command line. */
  daemon?: Collected<DaemonConfigFacts>;
  /** Swarm state, when the engine is a swarm manager. */
  swarm?: Collected<SwarmFacts>;
  /** Owner, group, mode and content of the Docker files on the host; FIPS state. */
  host?: Collected<HostFacts>;
  /** What the host says about itself for the asset facts: host name, hosts file, network interfaces. */
  asset?: Collected<HostAssetFacts>;
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
  exists: boolean;
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
}

export interface HostFacts {
  /** How the files were read. */
  via: 'host-root' | 'helper-container';
  /** The host root path or helper container id, for the evidence. */
  source: string;
  files: HostFileFacts[];
  fips: { enabled: boolean | null; evidence: string };
}

/** The host's own identity, read for checklists' asset facts (never used by checks). */
export interface HostAssetFacts {
  /** How the files were read (host root path or helper container), for the provenance. */
  via: 'host-root' | 'helper-container';
  source: string;
  /** `/etc/hostname`, trimmed; null when absent or unreadable. */
  hostname: string | null;
  /** `/etc/hosts` as text; null when absent or unreadable. */
  hosts: string | null;
  /** `/sys/class/net/<name>`: the address, and whether the interface is a device (not a bridge or veth). */
  interfaces: { name: string; mac: string | null; physical: boolean }[];
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
