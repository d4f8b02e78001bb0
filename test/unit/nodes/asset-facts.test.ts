import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHostAsset } from '../../../src/collectors/asset-collector.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import { collectedAsset, parseHosts } from '../../../src/nodes/asset-facts.js';
import { HostRootFiles } from '../../../src/repositories/host-files.js';
import { tempDir } from '../../harness/content.js';
import { failingFs, type FakeHost } from '../checks/host/fake-host.js';

const AT = '2024-07-24T12:00:00.000Z';
let root: string;

beforeEach(() => {
  root = tempDir();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A host root as Linux lays it out: /sys/class/net entries are links into /sys/devices. */
function hostWithInterfaces(): void {
  write('etc/hostname', 'web-01\n');
  write('etc/hosts', '127.0.0.1 localhost\n127.0.1.1 web-01.example.mil web-01\n10.1.2.3 web-01.example.mil web-01 # primary\n10.9.9.9 other\n');
  write('sys/devices/pci0000:00/0000:00:03.0/net/eth0/address', '52:54:00:12:34:56\n');
  fs.mkdirSync(path.join(root, 'sys/devices/pci0000:00/0000:00:03.0/net/eth0/device'), { recursive: true });
  write('sys/devices/virtual/net/docker0/address', '02:42:8c:1e:aa:bb\n');
  write('sys/devices/virtual/net/br-test/address', '02:42:00:00:00:01\n');
  write('sys/devices/virtual/net/lo/address', '00:00:00:00:00:00\n');
  fs.mkdirSync(path.join(root, 'sys/class/net'), { recursive: true });
  fs.symlinkSync('../../devices/pci0000:00/0000:00:03.0/net/eth0', path.join(root, 'sys/class/net/eth0'));
  fs.symlinkSync('../../devices/virtual/net/docker0', path.join(root, 'sys/class/net/docker0'));
  fs.symlinkSync('../../devices/virtual/net/br-test', path.join(root, 'sys/class/net/br-test'));
  fs.symlinkSync('../../devices/virtual/net/lo', path.join(root, 'sys/class/net/lo'));
}

function facts(info: Record<string, unknown>, asset?: NodeFacts['asset']): NodeFacts {
  return { nodeId: 'n1', nodeName: 'web', endpoint: 'tcp://10.1.2.3:2376', collectedAt: AT, version: {}, info, containers: [], ...(asset ? { asset } : {}) };
}

describe('host asset facts', () => {
  it('reads the host name, hosts file and the devices among the interfaces (bridges, veths and lo left out)', async () => {
    hostWithInterfaces();
    const read = await readHostAsset(new HostRootFiles(root));
    expect(read).toEqual({
      via: 'host-root',
      source: root,
      hostname: 'web-01',
      hosts: expect.stringContaining('10.1.2.3 web-01.example.mil'),
      interfaces: [{ name: 'eth0', mac: '52:54:00:12:34:56', physical: true }],
      errors: [],
    });
  });

  it('takes only "no such file" as absent: other read failures are errors naming the file and the cause', async () => {
    hostWithInterfaces();
    fs.rmSync(path.join(root, 'etc/hosts'));
    const host = { at: (p: string) => path.join(root, p) } as FakeHost;
    const files = new HostRootFiles(root, {
      fs: failingFs(host, {
        '/etc/hostname': { call: 'readFile', code: 'EACCES' },
        '/sys/devices/pci0000:00/0000:00:03.0/net/eth0/address': { call: 'readFile', code: 'EIO' },
      }),
    });
    const read = await readHostAsset(files);
    expect(read).toMatchObject({ hostname: null, hosts: null, interfaces: [{ name: 'eth0', mac: null, physical: true }] });
    // /etc/hosts is absent (ENOENT): no error. The unreadable files are errors with their cause.
    expect(read.errors).toEqual([
      { path: '/sys/class/net/eth0/address', error: 'EIO: i/o error (readFile)' },
      { path: '/etc/hostname', error: 'EACCES: permission denied (readFile)' },
    ]);

    const asset = collectedAsset(facts({}, { status: 'collected', data: read }), 'unix:///var/run/docker.sock');
    expect(asset).not.toHaveProperty('hostName');
    expect(asset).not.toHaveProperty('macAddresses');
    expect(asset.unreadable).toEqual([
      { path: `/sys/class/net/eth0/address (host root ${root})`, error: 'EIO: i/o error (readFile)' },
      { path: `/etc/hostname (host root ${root})`, error: 'EACCES: permission denied (readFile)' },
    ]);
  });

  it('records an interface list that could not be read, and an asset step that failed, as unreadable', async () => {
    hostWithInterfaces();
    const host = { at: (p: string) => path.join(root, p) } as FakeHost;
    const read = await readHostAsset(new HostRootFiles(root, { fs: failingFs(host, { '/sys/class/net': { call: 'readdir', code: 'EACCES' } }) }));
    expect(read.interfaces).toEqual([]);
    expect(read.errors).toEqual([{ path: '/sys/class/net', error: expect.stringContaining('EACCES') }]);
    expect(read.hostname).toBe('web-01');
    const failed = collectedAsset(facts({ Name: 'web-01' }, { status: 'failed', error: 'helper container exited with 125' }), 'unix:///var/run/docker.sock');
    expect(failed.unreadable).toEqual([{ path: '/etc/hostname, /etc/hosts, /sys/class/net', error: 'helper container exited with 125' }]);
    expect(failed.hostName?.value).toBe('web-01');
  });

  it('parses /etc/hosts lines, dropping comments and lines without an address', () => {
    expect(parseHosts('# c\n10.0.0.1 a b # x\nnot-an-ip x\n\n::1 localhost')).toEqual([
      { address: '10.0.0.1', names: ['a', 'b'] },
      { address: '::1', names: ['localhost'] },
    ]);
  });
});

describe('collected asset facts', () => {
  it('derives each value from the engine and the host, with where it came from', async () => {
    hostWithInterfaces();
    const host = await readHostAsset(new HostRootFiles(root));
    const asset = collectedAsset(
      facts({ Name: 'web-01', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', OSType: 'linux', KernelVersion: '6.1.0-18-amd64', Architecture: 'x86_64', Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeAddr: '10.1.2.4' } }, { status: 'collected', data: host }),
      'tcp://10.1.2.3:2376',
    );
    expect(asset).toEqual({
      hostName: { value: 'web-01', source: 'engine', detail: 'GET /info Name', recordedAt: AT },
      fqdn: { value: 'web-01.example.mil', source: 'host', detail: `/etc/hosts (host root ${root})`, recordedAt: AT },
      ipAddresses: {
        value: ['10.1.2.3', '10.1.2.4'],
        source: 'endpoint',
        detail: `10.1.2.3 from the node's endpoint tcp://10.1.2.3:2376; 10.1.2.4 from GET /info Swarm.NodeAddr`,
        recordedAt: AT,
      },
      macAddresses: { value: ['52:54:00:12:34:56'], source: 'host', detail: `52:54:00:12:34:56 from /sys/class/net/eth0/address (host root ${root})`, recordedAt: AT },
      os: { value: 'Debian GNU/Linux 12 (bookworm) (linux, kernel 6.1.0-18-amd64, x86_64)', source: 'engine', detail: 'GET /info OperatingSystem, OSType, KernelVersion, Architecture', recordedAt: AT },
      role: { value: 'swarm manager', source: 'engine', detail: 'GET /info Swarm.LocalNodeState, Swarm.ControlAvailable', recordedAt: AT },
    });
  });

  it('takes a fully qualified engine name as the FQDN, adds the addresses /etc/hosts gives it, and leaves out what no source tells', () => {
    const asset = collectedAsset(facts({ Name: 'db.example.mil', Swarm: { LocalNodeState: 'inactive' } }, { status: 'collected', data: { via: 'helper-container', source: 'c1', hostname: null, hosts: '10.0.0.7 db.example.mil db\n127.0.0.1 db', interfaces: [], errors: [] } }), 'unix:///var/run/docker.sock');
    expect(asset.hostName?.value).toBe('db');
    expect(asset.fqdn).toMatchObject({ value: 'db.example.mil', source: 'engine' });
    expect(asset.ipAddresses).toMatchObject({ value: ['10.0.0.7'], source: 'host', detail: '10.0.0.7 from /etc/hosts (helper container c1)' });
    expect(asset.role?.value).toBe('standalone engine');
    expect(asset).not.toHaveProperty('macAddresses');
    expect(asset).not.toHaveProperty('os');
  });

  it('says nothing it did not see: no /info, no host part', () => {
    expect(collectedAsset(facts({}), 'unix:///var/run/docker.sock')).toEqual({});
  });
});
