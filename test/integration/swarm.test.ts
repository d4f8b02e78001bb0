/**
 * The swarm collector and swarm rules against a real daemon: a private dockerd first outside any swarm (every
 * swarm rule not applicable), then a swarm manager initialised with --autolock, with a secret, an encrypted and a
 * plain overlay network and a service publishing a port; auto-lock is switched off and on, the plain network
 * removed, and the swarm rebuilt bound to 127.0.0.1. Each step collects the facts through EngineCollector with
 * the real SwarmCollector and asserts every swarm rule's verdict.
 *
 * The swarm listen address is kept in DockerRootDir/swarm/docker-state.json, which the host collector reads
 * (the daemon is local, so under the host root `/`).
 * The swarm listener binds a free port rather than 2377, so that other daemons on this machine don't collide.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWARM_CHECKS } from '../../src/checks/swarm/index.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { HostFilesCollector } from '../../src/collectors/host-collector.js';
import { SwarmCollector } from '../../src/collectors/swarm-collector.js';
import { hostAccess } from '../../src/repositories/host/host-access.js';
import type { NodeFacts, SwarmFacts } from '../../src/domain/facts.js';
import type { RuleStatus } from '../../src/domain/results.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { freeTcpPort } from '../harness/tls.js';
import { eventually } from '../harness/eventually.js';

const run = promisify(execFile);

/** The real host part, reading this machine's files (the private daemon is local). */
const hostPart = new HostFilesCollector(hostAccess({ hostRoot: '/' }));

let daemon: PrivateDaemon;
let inSwarm = false;

async function factsOf(): Promise<NodeFacts> {
  const collector = new EngineCollector(() => createDockerClient({ endpoint: daemon.endpoint }), { parts: [new SwarmCollector(), hostPart] });
  return collector.collect({ id: 'swarm-node', name: 'swarm node', endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
}

function statuses(facts: NodeFacts): Record<string, RuleStatus> {
  return Object.fromEntries(SWARM_CHECKS.map((c) => [c.stigId, c.evaluate(facts).status]));
}

function swarmData(facts: NodeFacts): SwarmFacts {
  if (facts.swarm?.status !== 'collected') throw new Error(`swarm part not collected: ${JSON.stringify(facts.swarm)}`);
  return facts.swarm.data;
}

/** The local address the engine's listener on `port` is bound to, as `ss` shows it. */
async function listenerAddress(port: number): Promise<string> {
  const { stdout } = await run('ss', ['-Hltn', `sport = :${port}`]);
  const line = stdout.trim().split('\n')[0] ?? '';
  return line.split(/\s+/)[3] ?? '';
}

async function initSwarm(listenAddr: string, autolock: boolean): Promise<void> {
  await daemon.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', listenAddr, ...(autolock ? ['--autolock'] : [])]);
  inSwarm = true;
}

beforeAll(async () => {
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
});

afterAll(async () => {
  // Leaving first stops the service tasks and the swarm listeners, so the daemon stops cleanly.
  if (inSwarm) await daemon?.docker(['swarm', 'leave', '--force']).catch(() => undefined);
  await daemon?.stop();
});

describe('swarm rules on a real daemon', () => {
  it('makes every swarm rule not applicable outside a swarm, reading no swarm endpoint', async () => {
    const facts = await factsOf();
    expect(swarmData(facts)).toMatchObject({ localNodeState: 'inactive', isManager: false, swarm: null, networks: [] });
    expect(statuses(facts)).toEqual({ 'DKER-EE-002400': 'not-applicable', 'DKER-EE-005060': 'not-applicable', 'DKER-EE-006240': 'not-applicable', 'DKER-EE-006270': 'not-applicable' });
  });

  let port = 0;

  it('judges an auto-locked manager listening on every interface, with a plain overlay network', async () => {
    port = await freeTcpPort();
    await initSwarm(`0.0.0.0:${port}`, true);
    await daemon.docker(['network', 'create', '--driver', 'overlay', '--opt', 'encrypted', 'enc-net']);
    await daemon.docker(['network', 'create', '--driver', 'overlay', 'plain-net']);
    await run('sh', ['-c', 'printf s3cr3t | DOCKER_HOST="$0" docker secret create db_password -', daemon.endpoint]);
    const hostPort = await freeTcpPort();
    await daemon.docker(['service', 'create', '--detach', '--name', 'web', '--publish', `published=${hostPort},target=80`, '--secret', 'db_password', '--network', 'enc-net', BUSYBOX_IMAGE]);

    const facts = await factsOf();
    const data = swarmData(facts);
    expect(data).toMatchObject({ localNodeState: 'active', isManager: true });
    expect(data.swarm).not.toHaveProperty('JoinTokens');
    expect(data.services.map((s) => (s.Spec as { Name: string }).Name)).toEqual(['web']);
    expect(data.services[0]).toMatchObject({ Endpoint: { Ports: [expect.objectContaining({ PublishedPort: hostPort, TargetPort: 80 })] } });
    expect(data.secrets.map((s) => (s.Spec as { Name: string }).Name)).toEqual(['db_password']);
    expect(data.nodes).toHaveLength(1);
    // The overlay filter reached the engine: only overlay networks, though the daemon also has host, none and docker_gwbridge.
    expect(data.networks?.map((n) => n.Name).sort()).toEqual(['enc-net', 'ingress', 'plain-net']);
    expect((await daemon.docker(['network', 'ls', '--format', '{{.Driver}}'])).split('\n')).toContain('host');

    expect(statuses(facts)).toEqual({ 'DKER-EE-002400': 'pass', 'DKER-EE-005060': 'pass', 'DKER-EE-006240': 'fail', 'DKER-EE-006270': 'fail' });
    const overlay = SWARM_CHECKS.find((c) => c.stigId === 'DKER-EE-006240')?.evaluate(facts);
    expect(overlay?.observations.filter((o) => o.verdict === 'fail').map((o) => o.target.name)).toEqual(['overlay network plain-net']);
    const listen = SWARM_CHECKS.find((c) => c.stigId === 'DKER-EE-006270')?.evaluate(facts);
    expect(listen?.observations[0]).toMatchObject({ field: 'ListenAddr', value: `0.0.0.0:${port}` });
    // The evidence matches the real listener: bound to every interface.
    expect(await listenerAddress(port)).toMatch(new RegExp(`^(\\*|0\\.0\\.0\\.0|\\[::\\]):${port}$`));
  });

  it('follows `docker swarm update --autolock=false` and back', async () => {
    await daemon.docker(['swarm', 'update', '--autolock=false']);
    const off = await factsOf();
    expect(statuses(off)['DKER-EE-002400']).toBe('fail');
    await daemon.docker(['swarm', 'update', '--autolock=true']);
    expect(statuses(await factsOf())['DKER-EE-002400']).toBe('pass');
  });

  it('passes overlay encryption once the plain network is gone', async () => {
    await daemon.docker(['network', 'rm', 'plain-net']);
    expect(statuses(await factsOf())['DKER-EE-006240']).toBe('pass');
  });

  it('passes the listen address once the swarm is rebuilt with --listen-addr 127.0.0.1', async () => {
    // Without its service and network first, the old swarm's enc-net lingers in the engine's network list after leaving.
    await daemon.docker(['service', 'rm', 'web']);
    await eventually(async () => (await daemon.docker(['ps', '-aq'])).trim() === '', 'the service task to be removed');
    await eventually(() => daemon.docker(['network', 'rm', 'enc-net']).then(() => true, () => false), 'enc-net to be removable');
    await daemon.docker(['swarm', 'leave', '--force']);
    inSwarm = false;
    port = await freeTcpPort();
    await initSwarm(`127.0.0.1:${port}`, false);
    const facts = await factsOf();
    expect(statuses(facts)).toEqual({ 'DKER-EE-002400': 'fail', 'DKER-EE-005060': 'pass', 'DKER-EE-006240': 'not-applicable', 'DKER-EE-006270': 'pass' });
    expect(await listenerAddress(port)).toBe(`127.0.0.1:${port}`);
  });

  it('is back to not applicable after leaving the swarm', async () => {
    await daemon.docker(['swarm', 'leave', '--force']);
    inSwarm = false;
    expect(Object.values(statuses(await factsOf()))).toEqual(['not-applicable', 'not-applicable', 'not-applicable', 'not-applicable']);
  });
});
