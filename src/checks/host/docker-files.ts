/**
 * The Docker files of a host that the STIG names, and where they are for a given daemon configuration: the
 * systemd units (the first found in systemd's unit path order is the unit's FragmentPath), /etc/docker, the
 * registry certificates, the TLS material named by --tlscacert/--tlscert/--tlskey or daemon.json, the unix
 * sockets the daemon listens on, daemon.json, /etc/default/docker and the audit rules. One definition shared
 * by the collector (what to read) and the checks (which file is which). Pure.
 */
import type { DaemonConfigFacts, HostFacts, HostFileFacts } from '../../domain/facts.js';
import { boolSetting, daemonHosts, flagValues, jsonSetting } from '../engine/daemon-config.js';

export const DOCKER_DIR = '/etc/docker';
export const CERTS_DIR = '/etc/docker/certs.d';
export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';
export const ETC_DEFAULT_DOCKER = '/etc/default/docker';
export const DEFAULT_SOCKET = '/var/run/docker.sock';
export const AUDIT_RULES = '/etc/audit/audit.rules';
export const AUDIT_RULES_DIR = '/etc/audit/rules.d';
/** Where dockerd looks for TLS material by default: `$DOCKER_CERT_PATH` or `~/.docker` of root. */
export const DEFAULT_CERT_DIR = '/root/.docker';

/** systemd's system unit path, in precedence order. */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'] as const;
export type DockerUnit = 'docker.service' | 'docker.socket';

/** The paths DKER-EE-001090 lists for audit rules (besides the units' FragmentPaths). */
export const AUDITED_PATHS = [
  '/usr/bin/docker',
  '/var/lib/docker',
  '/etc/docker',
  '/etc/default/docker',
  '/etc/docker/daemon.json',
  '/usr/bin/docker-containerd',
  '/usr/bin/docker-runc',
] as const;

/** Every candidate path of a unit file. */
export function unitCandidates(unit: DockerUnit): string[] {
  return UNIT_DIRS.map((d) => `${d}/${unit}`);
}

/**
 * The unit's file as systemd would load it (its FragmentPath): the first candidate that exists; undefined when
 * none exists. A candidate that was not read, or whose stat failed (not ENOENT) before the first existing one,
 * makes the FragmentPath unknown: `notRead` says why.
 */
export function unitFile(host: HostFacts, unit: DockerUnit): HostFileFacts | undefined | { notRead: string } {
  for (const p of unitCandidates(unit)) {
    const f = fileAt(host, p);
    if (f === undefined) return { notRead: `${p} was not read from the host (${host.via} ${host.source})` };
    if (f.error !== undefined) return { notRead: `${p} could not be read on the host (${f.error}; ${host.via} ${host.source}), so which ${unit} systemd loads is unknown` };
    if (f.exists) return f;
  }
  return undefined;
}

/** The collected facts of one path, if the collector read it. */
export function fileAt(host: HostFacts, path: string): HostFileFacts | undefined {
  return host.files.find((f) => f.path === path);
}

/** The daemon.json path the daemon reads: the last --config-file, else the default. */
export function daemonJsonPath(daemon: DaemonConfigFacts | null): string {
  if (daemon === null) return DEFAULT_DAEMON_JSON;
  return daemon.daemonJsonPath;
}

export type TlsRole = 'ca' | 'cert' | 'key';
export interface TlsFile {
  role: TlsRole;
  path: string;
  /** Where the path came from: `cmdline --tlscacert`, `daemon.json#/tlscacert`, or `default (…)`. */
  field: string;
}

const TLS_KEYS: Record<TlsRole, { key: string; file: string }> = {
  ca: { key: 'tlscacert', file: 'ca.pem' },
  cert: { key: 'tlscert', file: 'cert.pem' },
  key: { key: 'tlskey', file: 'key.pem' },
};

/** Whether the daemon serves TLS (`tls` or `tlsverify`), and its TLS files; `invalid` when it can't be known. */
export function tlsFiles(daemon: DaemonConfigFacts): { enabled: false; evidence: string } | { enabled: true; evidence: string; files: TlsFile[] } | { invalid: string } {
  const tls = boolSetting(daemon, 'tls');
  const verify = boolSetting(daemon, 'tlsverify');
  const on = [tls, verify].find((s) => s !== undefined && 'value' in s && s.value);
  if (on === undefined) {
    const invalid = [tls, verify].find((s): s is { invalid: string } => s !== undefined && 'invalid' in s);
    if (invalid !== undefined) return { invalid: invalid.invalid };
    return { enabled: false, evidence: 'neither tls nor tlsverify is set on the dockerd command line or in daemon.json' };
  }
  const files = (Object.keys(TLS_KEYS) as TlsRole[]).map((role): TlsFile => {
    const { key, file } = TLS_KEYS[role];
    const json = jsonSetting(daemon, key);
    if (json !== undefined && typeof json.value === 'string') return { role, path: json.value, field: json.field };
    const flag = daemon.commandLine === null ? undefined : flagValues(daemon.commandLine, { long: key }).at(-1);
    if (flag !== undefined) return { role, path: flag, field: `cmdline --${key}` };
    return { role, path: `${DEFAULT_CERT_DIR}/${file}`, field: `default (--${key} not set)` };
  });
  return { enabled: true, evidence: `TLS is enabled by ${'value' in on ? on.field : ''}`, files };
}

export interface SocketPath {
  path: string;
  /** Why this socket: `cmdline --host unix://…`, `docker.socket ListenStream`, `default`. */
  why: string;
}

/** `ListenStream=` paths of a socket unit's text (`%t` is /run for system units). */
export function listenStreams(unitText: string | undefined): string[] {
  const paths: string[] = [];
  for (const line of (unitText ?? '').split('\n')) {
    const m = /^\s*ListenStream\s*=\s*(\S+)\s*$/.exec(line);
    if (m !== null) paths.push((m[1] as string).replace(/^%t/, '/run'));
  }
  return paths.filter((p) => p.startsWith('/'));
}

/**
 * The unix sockets the daemon listens on: its `unix://` hosts (an empty path is the default socket), the
 * socket unit's ListenStream for `fd://`, the default when no host is given. When the hosts can't be known
 * (no command line), the STIG's own path, /var/run/docker.sock, with `unknownHosts` set.
 */
export function socketPaths(daemon: DaemonConfigFacts | null, socketUnitText: string | undefined): { sockets: SocketPath[]; unknownHosts?: string } {
  const hosts = daemon === null ? { invalid: 'the daemon configuration was not collected' } : daemonHosts(daemon);
  if ('invalid' in hosts) return { sockets: [{ path: DEFAULT_SOCKET, why: 'the STIG check path' }], unknownHosts: hosts.invalid };
  if (hosts.length === 0) return { sockets: [{ path: DEFAULT_SOCKET, why: 'default (no --host given)' }] };
  const sockets: SocketPath[] = [];
  for (const h of hosts) {
    if (h.value.startsWith('unix://')) {
      const p = h.value.slice('unix://'.length);
      sockets.push({ path: p === '' ? DEFAULT_SOCKET : p, why: `${h.field} ${h.value}` });
    } else if (h.value.startsWith('fd://')) {
      const listen = listenStreams(socketUnitText);
      for (const p of listen.length > 0 ? listen : ['/run/docker.sock']) sockets.push({ path: p, why: `${h.field} fd:// (docker.socket ListenStream${listen.length > 0 ? '' : ', default'})` });
    }
  }
  const seen = new Set<string>();
  return { sockets: sockets.filter((s) => !seen.has(s.path) && seen.add(s.path) !== undefined) };
}
