/**
 * The host part collectors. `DaemonConfigCollector` reads the node's dockerd command line and daemon.json;
 * `HostFilesCollector` reads owner, group and mode (and the text of small configuration files) of every
 * Docker file the STIG names, the registry certificates, the audit rules and the kernel's FIPS flag. Both read
 * through a HostFiles repository chosen per node by a HostAccess; a node whose host can't be reached gets
 * `unavailable` parts with the reason. Wire the daemon collector before the host one: the TLS material and
 * sockets to read come from the daemon part.
 */
import {
  AUDITED_PATHS,
  AUDIT_RULES,
  AUDIT_RULES_DIR,
  CERTS_DIR,
  DOCKER_DIR,
  ETC_DEFAULT_DOCKER,
  daemonJsonPath,
  socketPaths,
  tlsFiles,
  unitCandidates,
} from '../checks/host/docker-files.js';
import type { Collected, DaemonConfigFacts, HostFacts, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { DockerClient } from '../repositories/docker-client.js';
import { HostFilesUnavailableError, type HostFileRead, type HostFileRequest, type HostFiles, type HostFipsRead, type HostReadResult } from '../repositories/host-files.js';
import type { HostAccess } from '../repositories/host/host-access.js';
import { readDaemonConfig } from './daemon-process.js';
import type { PartCollector } from './part-collector.js';

/** Runs `fn` on the node's host files; `unavailable` when they can't be reached. */
export async function withHost<T>(access: HostAccess, node: DockerNode, client: DockerClient, fn: (files: HostFiles) => Promise<T>): Promise<Collected<T>> {
  const files = access(node, client);
  if ('unavailable' in files) return { status: 'unavailable', reason: files.unavailable };
  try {
    return { status: 'collected', data: await fn(files) };
  } catch (e) {
    if (e instanceof HostFilesUnavailableError) return { status: 'unavailable', reason: e.message };
    throw e;
  }
}

/** The `daemon` part: the dockerd command line and daemon.json. */
export class DaemonConfigCollector implements PartCollector<'daemon'> {
  readonly part = 'daemon' as const;

  constructor(private readonly access: HostAccess) {}

  collect(node: DockerNode, client: DockerClient, base: NodeFacts): Promise<Collected<DaemonConfigFacts>> {
    return withHost(this.access, node, client, (files) => readDaemonConfig(files, node, base.info));
  }
}

/** The `host` part: the Docker files of the host and its FIPS state. */
export class HostFilesCollector implements PartCollector<'host'> {
  readonly part = 'host' as const;

  constructor(private readonly access: HostAccess) {}

  collect(node: DockerNode, client: DockerClient, base: NodeFacts): Promise<Collected<HostFacts>> {
    const daemon = base.daemon?.status === 'collected' ? base.daemon.data : null;
    return withHost(this.access, node, client, (files) => readHostFacts(files, daemon, swarmStateRequests(base)));
  }
}

/**
 * On a swarm manager, the file where dockerd keeps the swarm listen address (the Engine API does not report
 * it): `<DockerRootDir>/swarm/docker-state.json`. It holds addresses only, no keys.
 */
export function swarmStateRequests(base: Pick<NodeFacts, 'info'>): HostFileRequest[] {
  const root = base.info.DockerRootDir;
  const swarm = base.info.Swarm as { ControlAvailable?: unknown } | undefined;
  if (typeof root !== 'string' || root === '' || swarm?.ControlAvailable !== true) return [];
  return [{ path: `${root.replace(/\/+$/, '')}/swarm/docker-state.json`, content: true }];
}

/** The files of the first read: everything whose path does not depend on another file's content, then `extra`. */
export function firstRequests(daemon: DaemonConfigFacts | null, extra: readonly HostFileRequest[] = []): HostFileRequest[] {
  const requests: HostFileRequest[] = [
    ...unitCandidates('docker.service').map((path) => ({ path, content: true })),
    ...unitCandidates('docker.socket').map((path) => ({ path, content: true })),
    { path: DOCKER_DIR },
    { path: ETC_DEFAULT_DOCKER, content: true },
    { path: daemonJsonPath(daemon) },
    { path: AUDIT_RULES, content: true },
    ...AUDITED_PATHS.map((path) => ({ path })),
    ...socketPaths(daemon, undefined).sockets.map((s) => ({ path: s.path })),
  ];
  if (daemon !== null) {
    const tls = tlsFiles(daemon);
    // Never the content: one of them is the server's private key.
    if ('files' in tls) requests.push(...tls.files.map((f) => ({ path: f.path })));
  }
  requests.push(...extra);
  const seen = new Set<string>();
  return requests.filter((r) => !seen.has(r.path) && seen.add(r.path) !== undefined);
}

function fipsFacts(read: HostFipsRead | undefined): HostFacts['fips'] {
  if (read === undefined) return { enabled: null, evidence: 'the FIPS flag was not read' };
  if (read.error !== undefined) return { enabled: null, evidence: `${read.path} could not be read (${read.error})` };
  if (read.value === '1') return { enabled: true, evidence: `${read.path} is 1` };
  if (read.value === '0') return { enabled: false, evidence: `${read.path} is 0` };
  if (read.value !== null) return { enabled: null, evidence: `${read.path} holds ${JSON.stringify(read.value.slice(0, 20))}, neither 0 nor 1` };
  if (read.procPresent) return { enabled: false, evidence: `${read.path} does not exist: the kernel offers no FIPS mode` };
  return { enabled: null, evidence: `no proc file system was found, so ${read.path} could not be read` };
}

/** Reads the host part: one read, and a second for sockets that only the socket unit's text names. */
export async function readHostFacts(files: HostFiles, daemon: DaemonConfigFacts | null, extra: readonly HostFileRequest[] = []): Promise<HostFacts> {
  const first: HostReadResult = await files.read({
    files: firstRequests(daemon, extra),
    trees: [{ path: CERTS_DIR }, { path: AUDIT_RULES_DIR, contentSuffix: '.rules' }],
    fips: true,
  });
  const byPath = new Map<string, HostFileRead>();
  for (const f of first.files) byPath.set(f.path, f);
  for (const entries of Object.values(first.trees)) for (const f of entries) byPath.set(f.path, f);
  const socketUnit = unitCandidates('docker.socket')
    .map((p) => byPath.get(p))
    .find((f) => f?.exists === true && f.error === undefined);
  const more = socketPaths(daemon, socketUnit?.content)
    .sockets.map((s) => s.path)
    .filter((p) => !byPath.has(p));
  if (more.length > 0) for (const f of (await files.read({ files: more.map((path) => ({ path })) })).files) byPath.set(f.path, f);
  // Read errors stay with each file: a rule needing the file names the cause.
  const all = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { via: first.via, source: first.source, files: all, fips: fipsFacts(first.fips) };
}
