import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pickDaemonProcess } from '../../../src/collectors/daemon-process.js';
import { EngineCollector } from '../../../src/collectors/engine-collector.js';
import { DaemonConfigCollector, HostFilesCollector, firstRequests } from '../../../src/collectors/host-collector.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { DockerClient } from '../../../src/repositories/docker-client.js';
import { HostFilesUnavailableError, HostRootFiles, type HostFiles, type HostReadRequest } from '../../../src/repositories/host-files.js';
import type { HostAccess } from '../../../src/repositories/host/host-access.js';
import { DOCKERD_ARGS, DOCKERD_PID, NODE, NO_CLIENT, collect, compliantHost, type FakeHost } from '../checks/host/fake-host.js';

let host: FakeHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

function baseFacts(info: Record<string, unknown> = { DockerRootDir: '/var/lib/docker' }): NodeFacts {
  return { nodeId: NODE.id, nodeName: NODE.name, endpoint: NODE.endpoint, collectedAt: '2024-07-24T12:00:00.000Z', version: {}, info, containers: [] };
}

/** HostRootFiles that records every read request. */
class RecordingFiles implements HostFiles {
  requests: HostReadRequest[] = [];
  constructor(private readonly inner: HostFiles) {}
  read(request: HostReadRequest) {
    this.requests.push(request);
    return this.inner.read(request);
  }
}

describe('DaemonConfigCollector', () => {
  it('reads the dockerd command line from /proc and daemon.json', async () => {
    host = await compliantHost();
    const facts = await collect(host);
    expect(facts.daemon).toEqual({
      status: 'collected',
      data: {
        commandLine: DOCKERD_ARGS,
        commandLineSource: `/proc/${DOCKERD_PID}/cmdline (${host.root})`,
        daemonJson: { 'log-driver': 'json-file', icc: false },
        daemonJsonPath: '/etc/docker/daemon.json',
      },
    });
  });

  it('follows --config-file, and records a missing daemon.json as null', async () => {
    host = await compliantHost();
    host.write(`/proc/${DOCKERD_PID}/cmdline`, 'dockerd\0--config-file=/srv/dockerd.json\0', 0o444);
    host.write('/srv/dockerd.json', '{"live-restore": true}', 0o600);
    let facts = await collect(host);
    expect(facts.daemon).toMatchObject({ status: 'collected', data: { daemonJsonPath: '/srv/dockerd.json', daemonJson: { 'live-restore': true } } });
    fs.rmSync(host.at('/srv/dockerd.json'));
    facts = await collect(host);
    expect(facts.daemon).toMatchObject({ status: 'collected', data: { daemonJsonPath: '/srv/dockerd.json', daemonJson: null } });
  });

  it('fails the part (through the engine collector) when daemon.json is not valid JSON', async () => {
    host = await compliantHost();
    fs.writeFileSync(host.at('/etc/docker/daemon.json'), '{"icc": false,');
    const files = new HostRootFiles(host.root);
    const client: DockerClient = {
      endpoint: NODE.endpoint,
      ping: async () => undefined,
      version: async () => ({}),
      info: async () => ({ DockerRootDir: '/var/lib/docker' }),
      listContainers: async () => [],
      inspectContainer: async () => ({}),
      request: async () => {
        throw new Error('unexpected');
      },
    };
    const facts = await new EngineCollector(() => client, { parts: [new DaemonConfigCollector(() => files), new HostFilesCollector(() => files)] }).collect(NODE);
    expect(facts.daemon).toEqual({ status: 'failed', error: expect.stringMatching(/^\/etc\/docker\/daemon\.json is not valid JSON/) });
    // The host part still reads the default paths.
    expect(facts.host?.status).toBe('collected');
  });

  it('keeps the command line null, with the reason, when no dockerd runs', async () => {
    host = await compliantHost();
    fs.rmSync(host.at(`/proc/${DOCKERD_PID}`), { recursive: true });
    const facts = await collect(host);
    expect(facts.daemon).toMatchObject({ status: 'collected', data: { commandLine: null, commandLineSource: expect.stringMatching(/^unreadable: no dockerd process was found/) } });
  });

  it('is unavailable when the host cannot be reached', async () => {
    const unreachable: HostAccess = () => ({ unavailable: 'remote node, no helper image' });
    expect(await new DaemonConfigCollector(unreachable).collect(NODE, NO_CLIENT, baseFacts())).toEqual({ status: 'unavailable', reason: 'remote node, no helper image' });
    const noImage: HostAccess = () => ({
      read: async () => {
        throw new HostFilesUnavailableError('the helper image busybox is not on tcp://x');
      },
    });
    expect(await new HostFilesCollector(noImage).collect(NODE, NO_CLIENT, baseFacts())).toEqual({ status: 'unavailable', reason: 'the helper image busybox is not on tcp://x' });
  });
});

describe('pickDaemonProcess', () => {
  const proc = (pid: number, ...args: string[]) => ({ pid, comm: 'dockerd', cmdline: ['dockerd', ...args] });
  const system = proc(10);
  const testA = proc(20, '--data-root', '/tmp/a/data', '-H', 'unix:///tmp/a/docker.sock');
  const testB = proc(30, '--data-root=/tmp/b/data');

  it('picks the daemon whose data root is the engine root, or that listens on the node socket', () => {
    expect(pickDaemonProcess([system, testA, testB], { endpoint: 'unix:///tmp/b/docker.sock' }, { DockerRootDir: '/tmp/b/data' })).toEqual({ process: testB });
    expect(pickDaemonProcess([system, testA], { endpoint: 'unix:///tmp/a/docker.sock' }, {})).toEqual({ process: testA });
    expect(pickDaemonProcess([system, testA, testB], { endpoint: 'unix:///var/run/docker.sock' }, { DockerRootDir: '/var/lib/docker' })).toEqual({ process: system });
  });

  it('gives a reason instead of guessing', () => {
    expect(pickDaemonProcess([], NODE, {})).toEqual({ reason: 'no dockerd process was found on the host' });
    expect(pickDaemonProcess([system, proc(11)], NODE, { DockerRootDir: '/var/lib/docker' })).toEqual({ reason: expect.stringMatching(/several dockerd processes \(pids 10, 11\) could be/) });
    expect(pickDaemonProcess([testA], { endpoint: 'tcp://h:2376' }, { DockerRootDir: '/srv/docker' })).toEqual({ reason: expect.stringMatching(/no dockerd process keeps its data in \/srv\/docker/) });
  });
});

describe('HostFilesCollector', () => {
  it('reads the files the STIG names, the TLS material the daemon names, the trees and FIPS in one read', async () => {
    host = await compliantHost();
    const files = new RecordingFiles(new HostRootFiles(host.root));
    const facts = baseFacts();
    facts.daemon = await new DaemonConfigCollector(() => files).collect(NODE, NO_CLIENT, facts);
    files.requests = [];
    const part = await new HostFilesCollector(() => files).collect(NODE, NO_CLIENT, facts);
    expect(files.requests).toHaveLength(1);
    if (part.status !== 'collected') throw new Error(part.status);
    const paths = part.data.files.map((f) => f.path);
    for (const p of ['/etc/docker/tls/ca.pem', '/etc/docker/tls/cert.pem', '/etc/docker/tls/key.pem', '/run/docker.sock', '/etc/docker/certs.d/registry.example:5000/ca.crt']) expect(paths).toContain(p);
    expect(part.data.files.find((f) => f.path === '/etc/docker/tls/key.pem')?.content).toBeUndefined();
    expect(part.data.fips).toEqual({ enabled: true, evidence: `${host.at('/proc/sys/crypto/fips_enabled')} is 1` });
    expect(part.data).toMatchObject({ via: 'host-root', source: host.root });
    expect(part.data.files.some((f) => 'contentError' in f)).toBe(false);
  });

  it('reads a socket that only the docker.socket unit names in a second read', async () => {
    host = await compliantHost();
    fs.writeFileSync(host.at('/lib/systemd/system/docker.socket'), '[Socket]\nListenStream=%t/docker-alt.sock\n');
    const files = new RecordingFiles(new HostRootFiles(host.root));
    const facts = baseFacts();
    facts.daemon = await new DaemonConfigCollector(() => files).collect(NODE, NO_CLIENT, facts);
    files.requests = [];
    const part = await new HostFilesCollector(() => files).collect(NODE, NO_CLIENT, facts);
    expect(files.requests.map((r) => r.files?.map((f) => f.path)).at(-1)).toEqual(['/run/docker-alt.sock']);
    expect(part.status === 'collected' && part.data.files.find((f) => f.path === '/run/docker-alt.sock')).toMatchObject({ exists: false });
  });

  it('asks for the content of configuration files only, never of TLS material', () => {
    const requests = firstRequests({ daemonJson: { tlsverify: true, tlskey: '/k.pem' }, daemonJsonPath: '/etc/docker/daemon.json', commandLine: ['dockerd'] });
    expect(requests.find((r) => r.path === '/k.pem')).toEqual({ path: '/k.pem' });
    expect(requests.find((r) => r.path === '/root/.docker/ca.pem')).toEqual({ path: '/root/.docker/ca.pem' });
    expect(requests.filter((r) => r.content === true).map((r) => r.path)).toEqual([
      '/etc/systemd/system/docker.service', '/run/systemd/system/docker.service', '/lib/systemd/system/docker.service', '/usr/lib/systemd/system/docker.service',
      '/etc/systemd/system/docker.socket', '/run/systemd/system/docker.socket', '/lib/systemd/system/docker.socket', '/usr/lib/systemd/system/docker.socket',
      '/etc/default/docker', '/etc/audit/audit.rules',
    ]);
  });
});
