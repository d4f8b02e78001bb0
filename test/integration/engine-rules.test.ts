/**
 * The engine and daemon rules against real daemons: three private dockerd processes started with
 * different flags (and one with a daemon.json), their facts read through the engine collector from the
 * real /info and /version, and every engine rule must give each daemon the expected status.
 *
 * The `daemon` and `engine` parts come from stand-in part collectors defined here (the dockerd command
 * line from /proc/<pid>/cmdline of the private daemon, its --config-file; the images through the Engine
 * API) until the real part collectors exist; they read only what those collectors are specified to read.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_CHECKS } from '../../src/checks/engine/index.js';
import { flagValues } from '../../src/checks/engine/daemon-config.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import type { PartCollector } from '../../src/collectors/part-collector.js';
import type { ApiObject, NodeFacts } from '../../src/domain/facts.js';
import type { CheckOutcome, RuleStatus } from '../../src/domain/results.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { freeTcpPort, makeTlsMaterial } from '../harness/tls.js';

const run = promisify(execFile);

/** Stand-in daemon part: the private dockerd's argv from /proc, and the daemon.json it reads. */
function daemonPartOf(daemon: PrivateDaemon): PartCollector<'daemon'> {
  return {
    part: 'daemon',
    collect: async () => {
      const pid = fs.readFileSync(path.join(daemon.dir, 'docker.pid'), 'utf8').trim();
      const source = `/proc/${pid}/cmdline`;
      const commandLine = fs.readFileSync(source, 'utf8').split('\0').filter((a, i, all) => !(a === '' && i === all.length - 1));
      const daemonJsonPath = flagValues(commandLine, { long: 'config-file' }).at(-1) ?? '/etc/docker/daemon.json';
      const daemonJson = fs.existsSync(daemonJsonPath) ? (JSON.parse(fs.readFileSync(daemonJsonPath, 'utf8')) as ApiObject) : null;
      return { status: 'collected', data: { daemonJson, daemonJsonPath, commandLine, commandLineSource: source } };
    },
  };
}

/** Stand-in engine part: every image inspected, with networks, volumes and plugins as listed. */
const enginePart: PartCollector<'engine'> = {
  part: 'engine',
  collect: async (_node, client) => {
    const listed = (await client.request('GET', '/images/json')) as ApiObject[];
    const images = await Promise.all(listed.map(async (i) => (await client.request('GET', `/images/${String(i.Id)}/json`)) as ApiObject));
    const networks = (await client.request('GET', '/networks')) as ApiObject[];
    const volumes = (((await client.request('GET', '/volumes')) as ApiObject).Volumes ?? []) as ApiObject[];
    const plugins = (await client.request('GET', '/plugins')) as ApiObject[];
    return { status: 'collected', data: { images, networks, volumes, plugins, processes: {} } };
  },
};

async function factsOf(daemon: PrivateDaemon, name: string): Promise<NodeFacts> {
  const collector = new EngineCollector(() => createDockerClient({ endpoint: daemon.endpoint }), {
    parts: [daemonPartOf(daemon), enginePart],
  });
  return collector.collect({ id: name, name, endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
}

function outcomes(facts: NodeFacts): Record<string, CheckOutcome> {
  return Object.fromEntries(ENGINE_CHECKS.map((c) => [c.stigId, c.evaluate(facts)]));
}

function statuses(all: Record<string, CheckOutcome>): Record<string, RuleStatus> {
  return Object.fromEntries(Object.entries(all).map(([id, o]) => [id, o.status]));
}

/** `docker export` of a container as bytes (the harness's docker() returns text). */
async function exportFilesystem(daemon: PrivateDaemon, container: string): Promise<Buffer> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: daemon.endpoint };
  delete env.DOCKER_CONTEXT;
  const { stdout } = await run('docker', ['export', container], { env, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe('engine rules on private daemons', () => {
  const dir = tempDir('plimsoll-engine-rules-');
  let plain: PrivateDaemon | undefined;
  let flagged: PrivateDaemon | undefined;
  let configured: PrivateDaemon | undefined;
  let results: { plain: Record<string, CheckOutcome>; flagged: Record<string, CheckOutcome>; configured: Record<string, CheckOutcome> };

  beforeAll(async () => {
    const tls = await makeTlsMaterial(path.join(dir, 'tls'));
    const daemonJson = path.join(dir, 'daemon.json');
    fs.writeFileSync(
      daemonJson,
      JSON.stringify({ 'log-driver': 'syslog', 'log-opts': { 'syslog-address': 'udp://10.1.2.3:514' }, 'userland-proxy': false, 'insecure-registries': ['10.0.0.0/8'] }),
    );
    const [tlsPort, plainPort] = [await freeTcpPort(), await freeTcpPort()];
    [plain, flagged, configured] = await Promise.all([
      // Defaults, plus a TCP socket with TLS verification.
      startDockerDaemon({ tcpTls: { port: tlsPort, serverTls: tls.serverTls, clientTls: tls.clientTls } }),
      startDockerDaemon({
        extraArgs: ['--userland-proxy=false', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3', '--insecure-registry', '10.1.2.3:5000', '--experimental'],
      }),
      // A daemon.json for logging, the proxy and registries, and a TCP socket without TLS.
      startDockerDaemon({ extraArgs: ['--config-file', daemonJson, '--host', `tcp://127.0.0.1:${plainPort}`] }),
    ]);

    // plain: the root busybox image, one committed with USER 1000, and two UCP agent releases.
    await importBusyboxImage(plain);
    await plain.docker(['create', '--name', 'base', BUSYBOX_IMAGE]);
    await plain.docker(['commit', '--change', 'USER 1000', 'base', 'plimsoll/nonroot:test']);
    await plain.docker(['commit', '--change', 'LABEL com.docker.ucp.version=3.2.5', 'base', 'docker/ucp-agent:3.2.5']);
    await plain.docker(['commit', '--change', 'LABEL com.docker.ucp.version=3.2.6', 'base', 'docker/ucp-agent:3.2.6']);
    // flagged: only an image with a non-root USER, imported from the busybox filesystem.
    const rootfs = await exportFilesystem(plain, 'base');
    await flagged.docker(['import', '--change', 'USER 1000', '--change', 'CMD ["/bin/sleep","3600"]', '-', 'plimsoll/nonroot:test'], rootfs);
    // DKER-EE-003200 reads each container's Config.User: the image's USER unless --user overrides it.
    await plain.docker(['create', '--name', 'nonroot', 'plimsoll/nonroot:test']);
    await plain.docker(['create', '--name', 'root-override', '--user', '0', 'plimsoll/nonroot:test']);
    await plain.docker(['create', '--name', 'user-override', '--user', '1000:1000', BUSYBOX_IMAGE]);
    await flagged.docker(['create', '--name', 'nonroot', 'plimsoll/nonroot:test']);

    results = { plain: outcomes(await factsOf(plain, 'plain')), flagged: outcomes(await factsOf(flagged, 'flagged')), configured: outcomes(await factsOf(configured, 'configured')) };
  });

  afterAll(async () => {
    await Promise.all([plain?.stop(), flagged?.stop(), configured?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('decides every engine rule on each daemon as its flags and configuration say', () => {
    expect(statuses(results.plain)).toEqual({
      'DKER-EE-001050': 'pass',
      'DKER-EE-001800': 'pass',
      'DKER-EE-001810': 'pass',
      'DKER-EE-001830': 'fail',
      'DKER-EE-001840': 'pass',
      'DKER-EE-001370': 'fail',
      'DKER-EE-003230': 'fail',
      'DKER-EE-003310': 'fail',
      'DKER-EE-003320': 'fail',
      'DKER-EE-003200': 'fail',
      'DKER-EE-004130': 'fail',
      'DKER-EE-999999': 'pass',
    });
    expect(statuses(results.flagged)).toEqual({
      'DKER-EE-001050': 'pass',
      'DKER-EE-001800': 'fail',
      'DKER-EE-001810': 'pass',
      'DKER-EE-001830': 'pass',
      'DKER-EE-001840': 'fail',
      'DKER-EE-001370': 'pass',
      'DKER-EE-003230': 'fail',
      'DKER-EE-003310': 'pass',
      'DKER-EE-003320': 'fail',
      'DKER-EE-003200': 'pass',
      'DKER-EE-004130': 'not-applicable',
      'DKER-EE-999999': 'pass',
    });
    expect(statuses(results.configured)).toEqual({
      'DKER-EE-001050': 'fail',
      'DKER-EE-001800': 'fail',
      'DKER-EE-001810': 'pass',
      'DKER-EE-001830': 'pass',
      'DKER-EE-001840': 'pass',
      'DKER-EE-001370': 'not-applicable',
      'DKER-EE-003230': 'pass',
      'DKER-EE-003310': 'not-applicable',
      'DKER-EE-003320': 'pass',
      'DKER-EE-003200': 'not-applicable',
      'DKER-EE-004130': 'not-applicable',
      'DKER-EE-999999': 'pass',
    });
  });

  it('names the TCP socket and TLS setting read from the real command line', () => {
    const withTls = results.plain['DKER-EE-001050'];
    expect(withTls?.observations.find((o) => o.field === 'cmdline --host' && typeof o.value === 'string')).toMatchObject({ value: expect.stringMatching(/^tcp:\/\/127\.0\.0\.1:\d+$/), verdict: 'pass' });
    expect(withTls?.observations.find((o) => o.field === 'cmdline --tlsverify')).toMatchObject({ value: true, verdict: 'pass' });
    const withoutTls = results.configured['DKER-EE-001050'];
    expect(withoutTls?.observations.filter((o) => o.verdict === 'fail').map((o) => o.field)).toEqual(['cmdline --host', 'cmdline --tlsverify']);
  });

  it('reads insecure registries and experimental mode from the real /info and /version', () => {
    expect(results.flagged['DKER-EE-001800']?.observations).toMatchObject([{ field: 'info.RegistryConfig.IndexConfigs["10.1.2.3:5000"].Secure', value: false, verdict: 'fail' }]);
    expect(results.configured['DKER-EE-001800']?.observations).toMatchObject([{ field: 'info.RegistryConfig.InsecureRegistryCIDRs', value: '10.0.0.0/8', verdict: 'fail' }]);
    const experimental = results.flagged['DKER-EE-001840'];
    expect(experimental?.observations.filter((o) => o.verdict === 'fail').map((o) => o.field)).toContain('info.ExperimentalBuild');
  });

  it('takes logging settings from --log-opt and from daemon.json', () => {
    expect(results.flagged['DKER-EE-001370']?.observations.map((o) => [o.field, o.value])).toEqual([
      ['cmdline --log-opt max-size', '10m'],
      ['cmdline --log-opt max-file', '3'],
    ]);
    expect(results.configured['DKER-EE-003320']?.observations).toMatchObject([
      { field: 'info.LoggingDriver', value: 'syslog' },
      { field: 'daemon.json#/log-opts/syslog-address', value: 'udp://10.1.2.3:514', verdict: 'pass' },
    ]);
    expect(results.configured['DKER-EE-001830']?.observations).toMatchObject([{ field: 'daemon.json#/userland-proxy', value: false, verdict: 'pass' }]);
    expect(results.plain['DKER-EE-001830']?.observations).toMatchObject([{ field: 'cmdline --userland-proxy', value: null, verdict: 'fail' }]);
  });

  it("judges each container's user (an override of its image's USER included), and the older UCP release, by name", () => {
    const users = results.plain['DKER-EE-003200'];
    const verdicts = Object.fromEntries((users?.observations ?? []).map((o) => [o.target.name, [o.value, o.verdict]]));
    expect(verdicts).toEqual({ base: ['', 'fail'], nonroot: ['1000', 'pass'], 'root-override': ['0', 'fail'], 'user-override': ['1000:1000', 'pass'] });
    expect(users?.observations.every((o) => o.target.kind === 'container' && o.field === 'Config.User')).toBe(true);
    const ucp = results.plain['DKER-EE-004130'];
    expect(ucp?.observations.map((o) => [o.target.name, o.verdict])).toEqual(
      expect.arrayContaining([
        ['docker/ucp-agent:3.2.5', 'fail'],
        ['docker/ucp-agent:3.2.6', 'pass'],
      ]),
    );
    expect(ucp?.observations).toHaveLength(2);
  });
});
