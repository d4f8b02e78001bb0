/**
 * The containers rules (src/checks/containers) and the engine inventory collector against a private
 * daemon: the fixture containers of test/fixtures/container-rules.ts are created (and started, and given
 * exec sessions), the facts are collected by the EngineCollector with the EngineInventoryCollector part,
 * and every rule must give each fixture the verdict the fixture spec expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { EngineInventoryCollector } from '../../src/collectors/engine-inventory.js';
import { CONTAINERS_CHECKS } from '../../src/checks/containers/index.js';
import { manualReasonFor } from '../../src/checks/manual-reasons.js';
import { checkFor } from '../../src/checks/registry.js';
import type { ApiObject, EngineInventory, NodeFacts } from '../../src/domain/facts.js';
import type { DockerNode } from '../../src/domain/node.js';
import { createDockerClient, type DockerClient } from '../../src/repositories/docker-client.js';
import {
  CONTAINER_RULE_STIG_IDS,
  FIXTURE_NETWORK,
  RULE_FIXTURES,
  createRuleFixtures,
  prepareRuleFixtures,
  waitForHealth,
  type CreatedRuleFixture,
} from '../fixtures/container-rules.js';
import { verdictFor } from '../fixtures/fixture-containers.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

/** A client that records every generic request path. */
function recording(inner: DockerClient): { client: DockerClient; paths: string[] } {
  const paths: string[] = [];
  const client: DockerClient = {
    endpoint: inner.endpoint,
    ping: () => inner.ping(),
    version: () => inner.version(),
    info: () => inner.info(),
    listContainers: (o) => inner.listContainers(o),
    inspectContainer: (id) => inner.inspectContainer(id),
    request: (method, path, options) => {
      paths.push(`${method} ${path}`);
      return inner.request(method, path, options);
    },
  };
  return { client, paths };
}

/** The facts with /info reporting SELinux as enabled, as on an SELinux host with --selinux-enabled. */
function withSeLinux(facts: NodeFacts): NodeFacts {
  const options = (facts.info.SecurityOptions as string[] | null) ?? [];
  return { ...facts, info: { ...facts.info, SecurityOptions: [...options, 'name=selinux'] } };
}

describe('containers rules on a private daemon', () => {
  let daemon: PrivateDaemon;
  let created: CreatedRuleFixture[];
  let facts: NodeFacts;
  let engine: EngineInventory;
  let paths: string[];

  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    const node: DockerNode = { id: 'node-rules', name: 'private daemon', endpoint: daemon.endpoint, labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };
    const env = await prepareRuleFixtures(daemon);
    created = await createRuleFixtures(daemon, createDockerClient(node), env);
    await waitForHealth(daemon, created.filter((c) => c.fixture.start).map((c) => c.id));
    const spy = recording(createDockerClient(node));
    paths = spy.paths;
    facts = await new EngineCollector(() => spy.client, { parts: [new EngineInventoryCollector()] }).collect(node);
    if (facts.engine?.status !== 'collected') throw new Error(`engine part not collected: ${JSON.stringify(facts.engine)}`);
    engine = facts.engine.data;
  }, 240_000);
  afterAll(async () => daemon?.stop());

  const byName = (name: string) => {
    const c = created.find((x) => x.fixture.name === name);
    if (c === undefined) throw new Error(`no fixture ${name}`);
    return c.id;
  };

  it('created every fixture, running where asked', () => {
    expect(facts.containers.map((c) => c.name).sort()).toEqual(RULE_FIXTURES.map((f) => f.name).sort());
    for (const { fixture, id } of created) {
      const c = facts.containers.find((x) => x.id === id);
      expect((c?.inspect.State as ApiObject | undefined)?.Running, fixture.name).toBe(fixture.start);
    }
  });

  it('collects the engine part, reading each object once', () => {
    expect(engine.images.map((i) => i.RepoTags)).toEqual([[BUSYBOX_IMAGE]]);
    expect(engine.images[0]).toHaveProperty('Config');
    expect(engine.networks.map((n) => n.Name)).toContain(FIXTURE_NETWORK);
    expect(engine.volumes.map((v) => v.Name)).toContain('plimsoll-rules-volume');
    expect(engine.plugins).toEqual([]);
    const running = created.filter((c) => c.fixture.start).map((c) => c.id);
    expect(Object.keys(engine.processes).sort()).toEqual([...running].sort());
    expect(Object.keys(engine.execs ?? {}).sort()).toEqual(created.map((c) => c.id).sort());
    const counts = new Map<string, number>();
    for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(paths.filter((p) => p.endsWith('/top')).length).toBe(running.length);
    for (const p of ['GET /images/json', 'GET /networks', 'GET /volumes', 'GET /plugins']) expect(paths).toContain(p);
  });

  it('holds the process list and the exec sessions the rules read', () => {
    const sshd = engine.processes[byName('sshd')];
    expect(JSON.stringify(sshd?.Processes)).toContain('/tmp/sshd');
    const privileged = engine.execs?.[byName('exec-privileged')] ?? [];
    expect(privileged.map((e) => (e.ProcessConfig as ApiObject).privileged)).toContain(true);
    const user = engine.execs?.[byName('exec-user')] ?? [];
    expect(user.map((e) => (e.ProcessConfig as ApiObject).user)).toContain('1000');
    expect(engine.execs?.[byName('sshd-stopped')]).toEqual([]);
  });

  for (const stigId of CONTAINER_RULE_STIG_IDS) {
    it(`${stigId}: every fixture container gets its expected verdict`, () => {
      const check = checkFor(stigId);
      expect(check).toBeDefined();
      const outcome = check!.evaluate(stigId === 'DKER-EE-001940' ? withSeLinux(facts) : facts);
      const actual = Object.fromEntries(created.map(({ fixture, id }) => [fixture.name, verdictFor(outcome, id)]));
      const expected = Object.fromEntries(created.map(({ fixture }) => [fixture.name, fixture.expected[stigId]]));
      expect(actual).toEqual(expected);
      const failing = Object.values(expected).filter((v) => v === 'fail').length;
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatch(new RegExp(`^${failing} of \\d+ containers `));
      for (const { fixture } of created.filter((c) => c.fixture.expected[stigId] === 'excluded')) expect(outcome.message).toContain(fixture.name);
      for (const o of outcome.observations) expect(o.collectedAt).toBe(facts.collectedAt);
    });
  }

  it('DKER-EE-001930 and 001940 are not applicable on this host (no AppArmor, no SELinux), with the evidence', () => {
    for (const [stigId, module] of [['DKER-EE-001930', 'apparmor'], ['DKER-EE-001940', 'selinux']] as const) {
      const outcome = checkFor(stigId)!.evaluate(facts);
      expect(outcome.status, stigId).toBe('not-applicable');
      expect(outcome.message).toContain(`without name=${module}`);
      expect(outcome.observations).toEqual([expect.objectContaining({ field: 'info.SecurityOptions', value: facts.info.SecurityOptions, target: expect.objectContaining({ kind: 'daemon' }) })]);
    }
  });

  it('judges stopped containers by their configuration, and says so', () => {
    const ports = checkFor('DKER-EE-002160')!.evaluate(facts);
    const created = ports.observations.find((o) => o.target.name === 'wildcard-port-created');
    expect(created).toMatchObject({ field: 'HostConfig.PortBindings.80/tcp.0', verdict: 'fail' });
    expect(created?.message).toContain('not running');
    const sshd = checkFor('DKER-EE-001970')!.evaluate(facts).observations.find((o) => o.target.name === 'sshd-stopped');
    expect(sshd).toMatchObject({ field: 'State.Running', value: false, verdict: 'pass' });
  });

  it('leaves DKER-EE-001990 and 003560 (ports the SSP requires) manual', () => {
    for (const stigId of ['DKER-EE-001990', 'DKER-EE-003560']) {
      expect(checkFor(stigId)).toBeUndefined();
      expect(manualReasonFor(stigId)?.kind).toBe('ssp');
    }
    expect(CONTAINERS_CHECKS.map((c) => c.stigId).sort()).toEqual([...CONTAINER_RULE_STIG_IDS, 'DKER-EE-001930'].sort());
  });
});
