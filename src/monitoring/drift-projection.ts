/**
 * The configuration of each target in a node's stored facts, as drift compares it (pure): the Engine API
 * objects keyed by the same stable keys as per-target results, without the fields that change on every
 * redeploy or run and configure nothing (ids, creation and start times, paths under the daemon's root,
 * runtime network addresses, counters, sizes, layer lists). What is left is what an operator set, so a
 * container recreated unchanged under its name shows no evidence change, and one recreated with `--pid host`
 * shows `HostConfig.PidMode`.
 */
import { createHash } from 'node:crypto';
import { containerKey, imageKey } from '../assessment/target-keys.js';
import type { ApiObject, NodeFacts } from '../domain/facts.js';
import type { AssessedTargetKind } from '../domain/target-results.js';

/** One target's configuration in one run. */
export interface ProjectedTarget {
  kind: AssessedTargetKind;
  key: string;
  name: string;
  value: Record<string, unknown>;
}

const isObject = (v: unknown): v is ApiObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function without(o: ApiObject, keys: readonly string[]): ApiObject {
  const out: ApiObject = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function pick(o: unknown, keys: readonly string[]): ApiObject {
  const out: ApiObject = {};
  if (!isObject(o)) return out;
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}

/**
 * Container fields left out: identity and times of this instance (`Id`, `Created`), its runtime state beyond
 * running or not (`State` but `Status`), files under the daemon's root named by the id (`*Path`), counters,
 * exec sessions, storage layers, sizes, and the addresses the network stack handed out (`NetworkSettings`; the
 * configured networking is `HostConfig`).
 */
const CONTAINER_VOLATILE = ['Id', 'Created', 'State', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'RestartCount', 'ExecIDs', 'GraphDriver', 'NetworkSettings', 'SizeRw', 'SizeRootFs'];

/** An anonymous volume's name: 64 hex digits, new for every container created. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

function projectContainer(inspect: ApiObject): ApiObject {
  const out = without(inspect, CONTAINER_VOLATILE);
  if (isObject(inspect.State) && 'Status' in inspect.State) out.State = { Status: inspect.State.Status };
  const id = str(inspect.Id);
  // The default host name is the container id's first 12 digits: it changes with every recreation.
  if (isObject(inspect.Config) && id !== undefined && inspect.Config.Hostname === id.slice(0, 12)) out.Config = without(inspect.Config, ['Hostname']);
  if (Array.isArray(inspect.Mounts)) {
    out.Mounts = inspect.Mounts.map((m: unknown) => (isObject(m) && m.Type === 'volume' && typeof m.Name === 'string' && ANONYMOUS_VOLUME.test(m.Name) ? without(m, ['Name', 'Source']) : m));
  }
  return out;
}

/** Image fields left out: build and storage details that change with every pull or build, not the configuration. */
const IMAGE_VOLATILE = ['Metadata', 'GraphDriver', 'RootFS', 'Size', 'VirtualSize', 'SharedSize', 'Containers', 'Container', 'ContainerConfig', 'Created', 'Parent', 'DockerVersion'];

/** Daemon-wide `/info` fields that configure the engine (the rest are counters and clocks). */
const INFO_FIELDS = [
  'ServerVersion', 'SecurityOptions', 'LoggingDriver', 'CgroupDriver', 'CgroupVersion', 'LiveRestoreEnabled', 'Driver', 'DockerRootDir', 'HttpProxy', 'HttpsProxy',
  'NoProxy', 'Labels', 'ExperimentalBuild', 'RegistryConfig', 'Runtimes', 'DefaultRuntime', 'InitBinary', 'Isolation', 'KernelVersion', 'OperatingSystem', 'OSType',
  'Architecture', 'Plugins', 'IPv4Forwarding', 'BridgeNfIptables', 'BridgeNfIp6tables', 'Debug', 'OomKillDisable', 'MemoryLimit', 'SwapLimit', 'PidsLimit', 'CPUShares',
];
const VERSION_FIELDS = ['Version', 'ApiVersion', 'MinAPIVersion', 'GoVersion', 'Os', 'Arch', 'KernelVersion', 'Experimental'];

function specOf(o: ApiObject): unknown {
  return o.Spec;
}

/** A file's owner, mode and a hash of its content (content is compared, never shown). */
function projectFile(f: { path: string; exists: boolean; error?: string; type?: string; uid?: number; gid?: number; owner?: string; group?: string; mode?: string; content?: string; contentError?: string }): ApiObject {
  const { content, path: _path, ...rest } = f;
  return { ...rest, ...(content !== undefined ? { content: createHash('sha256').update(content).digest('hex') } : {}) };
}

/** Every target's configuration in one node's facts, by `kind\0key`. */
export function projectFacts(facts: NodeFacts): Map<string, ProjectedTarget> {
  const out = new Map<string, ProjectedTarget>();
  const add = (kind: AssessedTargetKind, key: string, name: string, value: ApiObject): void => {
    out.set(`${kind}\u0000${key}`, { kind, key, name, value });
  };
  for (const c of facts.containers) add('container', containerKey(c.name, c.inspect), c.name, projectContainer(c.inspect));

  const daemon = facts.daemon?.status === 'collected' ? facts.daemon.data : undefined;
  add('daemon', 'daemon', 'daemon', {
    info: pick(facts.info, INFO_FIELDS),
    version: pick(facts.version, VERSION_FIELDS),
    ...(daemon !== undefined ? { daemonJson: daemon.daemonJson, commandLine: daemon.commandLine } : {}),
  });
  if (facts.host?.status === 'collected') {
    add('node', 'node', facts.nodeName, { fips: facts.host.data.fips.enabled });
    for (const f of facts.host.data.files) add('file', f.path, f.path, projectFile(f));
  }

  const engine = facts.engine?.status === 'collected' ? facts.engine.data : undefined;
  for (const image of engine?.images ?? []) add('image', imageKey(image), imageKey(image).replace(/^[a-z]+\//, ''), without(image, IMAGE_VOLATILE));
  const networks = [...(engine?.networks ?? []), ...(facts.swarm?.status === 'collected' ? (facts.swarm.data.networks ?? []) : [])];
  for (const n of networks) {
    const name = str(n.Name);
    if (name !== undefined) add('network', `name/${name}`, name, pick(n, ['Driver', 'Scope', 'EnableIPv6', 'Internal', 'Attachable', 'Ingress', 'ConfigOnly', 'Options', 'Labels', 'IPAM']));
  }

  const swarm = facts.swarm?.status === 'collected' ? facts.swarm.data : undefined;
  if (swarm?.swarm !== null && swarm?.swarm !== undefined) add('swarm', 'swarm', 'swarm', { Spec: specOf(swarm.swarm), RootRotationInProgress: swarm.swarm.RootRotationInProgress });
  for (const s of swarm?.services ?? []) {
    const name = str((s.Spec as ApiObject | undefined)?.Name);
    if (name !== undefined) add('service', `name/${name}`, name, { Spec: s.Spec, EndpointSpec: isObject(s.Endpoint) ? s.Endpoint.Spec : undefined });
  }
  for (const s of swarm?.secrets ?? []) {
    const name = str((s.Spec as ApiObject | undefined)?.Name);
    if (name !== undefined) add('secret', `name/${name}`, name, { Spec: isObject(s.Spec) ? without(s.Spec, ['Data']) : s.Spec });
  }
  for (const n of swarm?.nodes ?? []) {
    const description = isObject(n.Description) ? n.Description : {};
    const hostname = str(description.Hostname);
    if (hostname === undefined) continue;
    add('swarm-node', `hostname/${hostname}`, hostname, {
      Spec: n.Spec,
      State: isObject(n.Status) ? n.Status.State : undefined,
      ManagerStatus: pick(n.ManagerStatus, ['Leader', 'Reachability']),
      EngineVersion: isObject(description.Engine) ? description.Engine.EngineVersion : undefined,
    });
  }
  return out;
}

/**
 * The target kinds whose inventory part was collected: the others are unknown in this run (their rules are
 * `error`), not absent. Containers, the node and its daemon are always known when the node was collected.
 */
export function collectedKindsOf(facts: NodeFacts): Set<AssessedTargetKind> {
  const kinds = new Set<AssessedTargetKind>(['node', 'daemon', 'container']);
  if (facts.engine?.status === 'collected') kinds.add('image').add('network');
  const swarm = facts.swarm?.status === 'collected' ? facts.swarm.data : undefined;
  if (swarm !== undefined) {
    kinds.add('swarm');
    // Only a manager lists the swarm's services, secrets and nodes.
    if (swarm.isManager) kinds.add('service').add('secret').add('swarm-node');
  }
  if (facts.host?.status === 'collected') kinds.add('file');
  return kinds;
}
