/**
 * Host files on a real private daemon: the helper container reads a temp "host" directory (mounted in place
 * of the host's /) exactly as HostRootFiles reads it, is labelled and removed afterwards; the daemon
 * collector finds the private dockerd's real command line (among the other daemons of the machine) through
 * /proc and through a helper container in the host pid namespace; and the host rules judge the daemon's real
 * TLS files and socket as they are on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_CHECKS } from '../../src/checks/host/index.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { DaemonConfigCollector, HostFilesCollector } from '../../src/collectors/host-collector.js';
import type { NodeFacts } from '../../src/domain/facts.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { HostRootFiles, type HostReadRequest } from '../../src/repositories/host-files.js';
import { HELPER_LABEL, HelperContainerFiles } from '../../src/repositories/host/helper-container-files.js';
import { HelperLedger } from '../../src/repositories/host/helper-ledger.js';
import { checkFor } from '../../src/checks/registry.js';
import { hostAccess, type HostAccess } from '../../src/repositories/host/host-access.js';
import { tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { freeTcpPort, makeTlsMaterial } from '../harness/tls.js';
import { compliantHost, type FakeHost } from '../unit/checks/host/fake-host.js';

const REQUEST: HostReadRequest = {
  files: [
    { path: '/var/run/docker.sock' },
    { path: '/etc/docker', content: true },
    { path: '/etc/docker/daemon.json', content: true },
    { path: '/etc/systemd/system/docker.service', content: true },
    { path: '/etc/docker/tls/key.pem' },
    { path: '/etc/missing', content: true },
  ],
  trees: [{ path: '/etc/docker/certs.d' }, { path: '/etc/audit/rules.d', contentSuffix: '.rules' }],
  fips: true,
};

describe('host files on a private daemon', () => {
  const dir = tempDir('plimsoll-host-files-');
  let daemon: PrivateDaemon;
  let host: FakeHost;
  let argv: string[];
  let tls: Awaited<ReturnType<typeof makeTlsMaterial>>;

  beforeAll(async () => {
    tls = await makeTlsMaterial(path.join(dir, 'tls'));
    const daemonJson = path.join(dir, 'daemon.json');
    fs.writeFileSync(daemonJson, JSON.stringify({ labels: ['plimsoll=host-files-test'] }));
    fs.chmodSync(daemonJson, 0o600);
    daemon = await startDockerDaemon({
      tcpTls: { port: await freeTcpPort(), serverTls: tls.serverTls, clientTls: tls.clientTls },
      extraArgs: ['--config-file', daemonJson],
    });
    await importBusyboxImage(daemon);
    const pid = fs.readFileSync(path.join(daemon.dir, 'docker.pid'), 'utf8').trim();
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    host = await compliantHost();
    fs.mkdirSync(host.at('/etc/systemd/system'), { recursive: true });
    fs.symlinkSync('/lib/systemd/system/docker.service', host.at('/etc/systemd/system/docker.service'));
  });

  afterAll(async () => {
    await daemon?.stop();
    await host?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const helperContainers = async (): Promise<string[]> => (await daemon.docker(['ps', '-aq', '--filter', `label=${HELPER_LABEL}=true`])).split('\n').filter(Boolean);

  it('reports a real read failure inside the helper container (a name too long) as an error, not a missing file', async () => {
    const client = createDockerClient({ endpoint: daemon.endpoint });
    const long = `/etc/${'x'.repeat(300)}`;
    const r = await new HelperContainerFiles(client, { image: BUSYBOX_IMAGE, hostRoot: host.root }).read({ files: [{ path: long }, { path: '/etc/absent' }] });
    expect(r.files[0]).toEqual({ path: long, exists: false, error: expect.stringMatching(/too long/i) });
    expect(r.files[1]).toEqual({ path: '/etc/absent', exists: false });
  });

  it('reads a temp host through a helper container as HostRootFiles reads it, then removes the container', async () => {
    const client = createDockerClient({ endpoint: daemon.endpoint });
    const viaHelper = await new HelperContainerFiles(client, { image: BUSYBOX_IMAGE, hostRoot: host.root }).read(REQUEST);
    const viaRoot = await new HostRootFiles(host.root).read(REQUEST);
    expect(viaHelper.via).toBe('helper-container');
    expect(viaHelper.files).toEqual(viaRoot.files);
    expect(viaHelper.trees).toEqual(viaRoot.trees);
    expect(viaHelper.files[0]).toMatchObject({ type: 'socket', owner: 'root', group: 'docker', mode: '660' });
    expect(viaHelper.files[3]).toMatchObject({ exists: true, type: 'file', content: expect.stringContaining('ExecStart=/usr/bin/dockerd') });
    expect(viaHelper.files[4]?.content).toBeUndefined();
    expect(viaHelper.trees['/etc/audit/rules.d']?.[1]?.content).toContain('-w /etc/docker -k docker');
    // FIPS comes from the kernel the container shares, not from the mounted directory.
    const kernel = fs.existsSync('/proc/sys/crypto/fips_enabled') ? fs.readFileSync('/proc/sys/crypto/fips_enabled', 'utf8').trim() : null;
    expect(viaHelper.fips).toEqual({ path: '/proc/sys/crypto/fips_enabled', value: kernel, procPresent: true });
    expect(await helperContainers()).toEqual([]);
  });

  it("assesses a container labelled like the helper, and leaves out only the helpers recorded by id", async () => {
    const mimic = (await daemon.docker(['create', '--name', 'mimic', '--label', `${HELPER_LABEL}=true`, '--privileged', BUSYBOX_IMAGE])).trim();
    const standIn = (await daemon.docker(['create', '--name', 'concurrent-helper', BUSYBOX_IMAGE])).trim();
    try {
      // A real helper run records its id; a stand-in plays a concurrent collection's helper still on the engine.
      const created: string[] = [];
      const ledger = new (class extends HelperLedger {
        override record(id: string): void {
          created.push(id);
          super.record(id);
        }
      })();
      const client = createDockerClient({ endpoint: daemon.endpoint });
      await new HelperContainerFiles(client, { image: BUSYBOX_IMAGE, hostRoot: host.root, ledger }).read({ files: [{ path: '/etc/docker' }] });
      expect(created).toHaveLength(1);
      expect(ledger.owns(created[0]!)).toBe(true);
      ledger.record(standIn);
      const facts = await new EngineCollector(() => client, { helpers: ledger }).collect({ id: 'n', name: 'private', endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
      expect(facts.containers.map((c) => c.name)).toContain('mimic');
      expect(facts.containers.map((c) => c.id)).not.toContain(standIn);
      expect(facts.leftOut).toEqual([{ id: standIn, name: 'concurrent-helper', reason: expect.stringContaining('helper container') }]);
      const privileged = checkFor('DKER-EE-001960')!.evaluate(facts);
      expect(privileged.status).toBe('fail');
      expect(privileged.observations.find((o) => o.target.id === mimic)).toMatchObject({ verdict: 'fail', value: true });
      // The node's own platform pattern: the matched container is left out, and recorded as excluded.
      const own = await new EngineCollector(() => client, { helpers: ledger }).collect({ id: 'n', name: 'private', endpoint: daemon.endpoint, labels: {}, platformContainerPattern: '^mimic$', createdAt: new Date().toISOString() });
      expect(own.platformContainerPattern).toBe('^mimic$');
      const seccomp = checkFor('DKER-EE-002070')!.evaluate(own);
      expect(seccomp.observations.find((o) => o.target.id === mimic)).toMatchObject({ verdict: 'excluded', field: 'name', value: 'mimic' });
      expect(checkFor('DKER-EE-002070')!.evaluate(facts).observations.find((o) => o.target.id === mimic)).toMatchObject({ verdict: 'fail', field: 'HostConfig.Privileged' });
    } finally {
      await daemon.docker(['rm', '-f', mimic, standIn]);
    }
  });

  it('removes the helper container when its script fails', async () => {
    const client = createDockerClient({ endpoint: daemon.endpoint });
    const broken = new HelperContainerFiles(client, { image: BUSYBOX_IMAGE, hostRoot: host.root, busybox: '/bin/no-such-busybox' });
    await expect(broken.read(REQUEST)).rejects.toThrow();
    expect(await helperContainers()).toEqual([]);
  });

  it('is unavailable when the helper image is not on the node', async () => {
    const access: HostAccess = (_node, client) => new HelperContainerFiles(client, { image: 'plimsoll/not-here:1' });
    const collector = new EngineCollector(() => createDockerClient({ endpoint: daemon.endpoint }), { parts: [new DaemonConfigCollector(access), new HostFilesCollector(access)] });
    const facts = await collector.collect({ id: 'n', name: 'private', endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
    expect(facts.daemon).toEqual({ status: 'unavailable', reason: expect.stringMatching(/helper image plimsoll\/not-here:1 is not on unix:/) });
    expect(facts.host?.status).toBe('unavailable');
  });

  async function collectWith(access: HostAccess): Promise<NodeFacts> {
    const collector = new EngineCollector(() => createDockerClient({ endpoint: daemon.endpoint }), { parts: [new DaemonConfigCollector(access), new HostFilesCollector(access)] });
    return collector.collect({ id: 'n', name: 'private', endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
  }

  for (const [via, access] of [
    ['the host root', hostAccess({ hostRoot: '/' })],
    ['a helper container in the host pid namespace', ((_node, client) => new HelperContainerFiles(client, { image: BUSYBOX_IMAGE })) as HostAccess],
  ] as const) {
    it(`reads the private dockerd's real command line and daemon.json through ${via}, and judges its real files`, async () => {
      const facts = await collectWith(access);
      expect(facts.daemon).toMatchObject({ status: 'collected', data: { commandLine: argv, daemonJsonPath: path.join(dir, 'daemon.json'), daemonJson: { labels: ['plimsoll=host-files-test'] } } });
      expect(facts.daemon?.status === 'collected' && facts.daemon.data.commandLineSource).toMatch(/^\/proc\/\d+\/cmdline/);
      if (facts.host?.status !== 'collected') throw new Error(`host part ${JSON.stringify(facts.host)}`);

      // The daemon's socket and TLS files, as the rules saw them, are the files on disk.
      const checks = new Map(HOST_CHECKS.map((c) => [c.stigId, c.evaluate(facts)]));
      const onDisk = (p: string) => {
        const st = fs.statSync(p);
        return { uid: st.uid, gid: st.gid, mode: (st.mode & 0o7777).toString(8).padStart(3, '0') };
      };
      const expectJudged = (stigId: string, file: string, mask: number) => {
        const real = onDisk(file);
        const collected = facts.host?.status === 'collected' ? facts.host.data.files.find((f) => f.path === file) : undefined;
        expect(collected, file).toMatchObject(real);
        const r = checks.get(stigId);
        expect(r?.observations.map((o) => o.target.name), stigId).toEqual([file]);
        expect(r?.status, `${stigId}: ${r?.message}`).toBe((parseInt(real.mode, 8) & ~mask) === 0 ? 'pass' : 'fail');
      };
      expectJudged('DKER-EE-005260', tls.serverTls.caPath, 0o444);
      expectJudged('DKER-EE-005280', tls.serverTls.certPath, 0o444);
      expectJudged('DKER-EE-005300', tls.serverTls.keyPath, 0o400);
      expectJudged('DKER-EE-005320', daemon.socketPath, 0o660);
      expect(checks.get('DKER-EE-005250')?.status).toBe(onDisk(tls.serverTls.caPath).uid === 0 ? 'pass' : 'fail');
      // The private daemon's --config-file is the daemon.json the rules judge: mode 600, root-owned.
      expect(checks.get('DKER-EE-005330')).toMatchObject({ status: 'pass', observations: [{ target: { name: path.join(dir, 'daemon.json') } }] });
      expect(checks.get('DKER-EE-005340')?.status).toBe('pass');
      for (const [id, outcome] of checks) expect(['pass', 'fail', 'not-applicable'], `${id}: ${outcome.message}`).toContain(outcome.status);
      expect(await helperContainers()).toEqual([]);
    });
  }
});
