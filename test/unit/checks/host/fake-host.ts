/**
 * A fake Docker host in a temp directory: a compliant layout (systemd units, /etc/docker with daemon.json,
 * registry and TLS certificates, a docker socket owned root:docker, /etc/default/docker, audit rules, FIPS on,
 * a dockerd process in a fake /proc) that tests then break one file at a time with chown/chmod. Tests run as
 * root, so ownership is real.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HostAssetCollector } from '../../../../src/collectors/asset-collector.js';
import { DaemonConfigCollector, HostFilesCollector } from '../../../../src/collectors/host-collector.js';
import { HOST_CHECKS } from '../../../../src/checks/host/index.js';
import type { ApiObject, NodeFacts } from '../../../../src/domain/facts.js';
import type { DockerNode } from '../../../../src/domain/node.js';
import type { CheckOutcome } from '../../../../src/domain/results.js';
import type { DockerClient } from '../../../../src/repositories/docker-client.js';
import { HostRootFiles, type HostFs } from '../../../../src/repositories/host-files.js';
import type { HostAccess } from '../../../../src/repositories/host/host-access.js';

export const DOCKERD_PID = 4242;
export const DOCKERD_ARGS = [
  '/usr/bin/dockerd', '-H', 'fd://', '-H', 'tcp://0.0.0.0:2376', '--containerd=/run/containerd/containerd.sock',
  '--tlsverify', '--tlscacert', '/etc/docker/tls/ca.pem', '--tlscert=/etc/docker/tls/cert.pem', '--tlskey', '/etc/docker/tls/key.pem',
];

export const AUDIT_TEXT = [
  '## Docker',
  '-w /usr/bin/docker -k docker',
  '-w /var/lib/docker -k docker',
  '-w /etc/docker -k docker',
  '-w /lib/systemd/system/docker.service -k docker',
  '-a always,exit -F path=/lib/systemd/system/docker.socket -F perm=wa -k docker',
  '-w /etc/default/docker -k docker',
  '',
].join('\n');

export interface FakeHost {
  root: string;
  /** Absolute path in the fake host of a host path. */
  at(hostPath: string): string;
  write(hostPath: string, content: string, mode: number, uid?: number, gid?: number): void;
  mkdir(hostPath: string, mode: number, uid?: number, gid?: number): void;
  /** A listening unix socket at the host path (closed by cleanup). */
  socket(hostPath: string, mode: number, uid: number, gid: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** An empty fake host with passwd and group tables. */
export function emptyHost(): FakeHost {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-host-'));
  fs.chmodSync(root, 0o755);
  const servers: net.Server[] = [];
  const at = (p: string): string => path.join(root, p);
  const host: FakeHost = {
    root,
    at,
    write(p, content, mode, uid = 0, gid = 0) {
      fs.mkdirSync(path.dirname(at(p)), { recursive: true });
      fs.writeFileSync(at(p), content);
      fs.chmodSync(at(p), mode);
      fs.chownSync(at(p), uid, gid);
    },
    mkdir(p, mode, uid = 0, gid = 0) {
      fs.mkdirSync(at(p), { recursive: true });
      fs.chmodSync(at(p), mode);
      fs.chownSync(at(p), uid, gid);
    },
    async socket(p, mode, uid, gid) {
      fs.mkdirSync(path.dirname(at(p)), { recursive: true });
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(at(p), () => resolve()));
      servers.push(server);
      fs.chmodSync(at(p), mode);
      fs.chownSync(at(p), uid, gid);
    },
    async cleanup() {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  host.write('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n', 0o644);
  host.write('/etc/group', 'root:x:0:\ndocker:x:999:alice\nalice:x:1000:\n', 0o644);
  return host;
}

/** A compliant Docker host. */
export async function compliantHost(): Promise<FakeHost> {
  const h = emptyHost();
  h.write('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n', 0o644);
  h.write('/lib/systemd/system/docker.socket', '[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketGroup=docker\n', 0o644);
  h.mkdir('/etc/docker', 0o755);
  h.write('/etc/docker/daemon.json', '{"log-driver": "json-file", "icc": false}\n', 0o644);
  h.write('/etc/docker/certs.d/registry.example:5000/ca.crt', 'CERT', 0o444);
  h.write('/etc/docker/certs.d/registry.example:5000/client.cert', 'CERT', 0o444);
  h.write('/etc/docker/tls/ca.pem', 'CA', 0o444);
  h.write('/etc/docker/tls/cert.pem', 'CERT', 0o444);
  h.write('/etc/docker/tls/key.pem', 'KEY', 0o400);
  h.write('/etc/default/docker', 'DOCKER_OPTS=""\n', 0o644);
  h.write('/etc/audit/rules.d/docker.rules', AUDIT_TEXT, 0o640);
  h.write('/usr/bin/docker', 'binary', 0o755);
  h.mkdir('/var/lib/docker', 0o710);
  // /var/run is an absolute link, as on Debian: it must resolve inside the fake root.
  fs.symlinkSync('/run', h.at('/var/run'));
  await h.socket('/run/docker.sock', 0o660, 0, 999);
  h.write('/proc/sys/crypto/fips_enabled', '1\n', 0o444);
  h.write(`/proc/${DOCKERD_PID}/comm`, 'dockerd\n', 0o444);
  h.write(`/proc/${DOCKERD_PID}/cmdline`, `${DOCKERD_ARGS.join('\0')}\0`, 0o444);
  h.write('/proc/77/comm', 'containerd\n', 0o444);
  h.write('/proc/77/cmdline', 'containerd\0', 0o444);
  return h;
}

export const NODE: DockerNode = { id: 'node-1', name: 'node one', endpoint: 'unix:///var/run/docker.sock', labels: {}, createdAt: '2024-07-24T12:00:00.000Z' };

/** A client that must not be called: HostRootFiles never talks to the engine. */
export const NO_CLIENT: DockerClient = new Proxy({} as DockerClient, {
  get(_t, prop) {
    if (prop === 'endpoint') return NODE.endpoint;
    throw new Error(`unexpected DockerClient.${String(prop)}`);
  },
});

/** Facts of the fake host, collected through HostRootFiles (over `hostFs`, default the real one) by the host collectors. */
export async function collect(host: FakeHost, info: ApiObject = { DockerRootDir: '/var/lib/docker', OSType: 'linux', SecurityOptions: ['name=seccomp,profile=default'] }, hostFs?: HostFs): Promise<NodeFacts> {
  const access: HostAccess = () => new HostRootFiles(host.root, hostFs !== undefined ? { fs: hostFs } : {});
  const facts: NodeFacts = { nodeId: NODE.id, nodeName: NODE.name, endpoint: NODE.endpoint, collectedAt: '2024-07-24T12:00:00.000Z', version: {}, info, containers: [] };
  // As the EngineCollector does: a part that throws is a failed part.
  const failed = (e: unknown) => ({ status: 'failed' as const, error: e instanceof Error ? e.message : String(e) });
  facts.daemon = await new DaemonConfigCollector(access).collect(NODE, NO_CLIENT, facts).catch(failed);
  facts.host = await new HostFilesCollector(access).collect(NODE, NO_CLIENT, facts).catch(failed);
  facts.asset = await new HostAssetCollector(access).collect(NODE, NO_CLIENT).catch(failed);
  return facts;
}

/** Every host check's outcome, by STIG id. */
export function evaluate(facts: NodeFacts): Map<string, CheckOutcome> {
  return new Map(HOST_CHECKS.map((c) => [c.stigId, c.evaluate(facts)]));
}

/**
 * The real file system, except that the calls named in `fails` (`stat`, `lstat`, `readFile`, `readdir`) on the
 * given fake-host paths reject with the errno given (`EACCES`, `EIO`), shaped as Node's own errors. Tests run
 * as root, which no permission bit stops: this is how a permission-denied or failing disk is seen here.
 */
export function failingFs(host: FakeHost, fails: Record<string, { call: 'stat' | 'lstat' | 'readFile' | 'readdir'; code: string }>): HostFs {
  const real = fs.promises;
  const byPath = new Map(Object.entries(fails).map(([p, f]) => [host.at(p), f]));
  const fail = (call: string, p: unknown): void => {
    const f = byPath.get(String(p));
    if (f === undefined || f.call !== call) return;
    const words: Record<string, string> = { EACCES: 'permission denied', EIO: 'i/o error', EPERM: 'operation not permitted' };
    throw Object.assign(new Error(`${f.code}: ${words[f.code] ?? 'error'}, ${call} '${String(p)}'`), { code: f.code, syscall: call, path: String(p) });
  };
  return {
    stat: (async (p: fs.PathLike, ...rest: unknown[]) => (fail('stat', p), (real.stat as (...a: unknown[]) => unknown)(p, ...rest))) as HostFs['stat'],
    lstat: (async (p: fs.PathLike, ...rest: unknown[]) => (fail('lstat', p), (real.lstat as (...a: unknown[]) => unknown)(p, ...rest))) as HostFs['lstat'],
    readFile: (async (p: fs.PathLike, ...rest: unknown[]) => (fail('readFile', p), (real.readFile as (...a: unknown[]) => unknown)(p, ...rest))) as HostFs['readFile'],
    readdir: (async (p: fs.PathLike, ...rest: unknown[]) => (fail('readdir', p), (real.readdir as (...a: unknown[]) => unknown)(p, ...rest))) as HostFs['readdir'],
    readlink: real.readlink,
  };
}
