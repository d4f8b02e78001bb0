/**
 * The engine collector against a private daemon. With PLIMSOLL_RECORD_FIXTURES=1 it also records
 * the engine's answers into test/fixtures/docker/engine/ for the unit tests (never edit those by hand).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import type { ApiObject } from '../../src/domain/facts.js';
import type { DockerNode } from '../../src/domain/node.js';
import { createDockerClient, type DockerClient } from '../../src/repositories/docker-client.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'docker', 'engine');

/** A client that counts calls and can run a hook before an inspection. */
function counting(inner: DockerClient, beforeInspect?: (id: string) => Promise<void>) {
  const inspected: string[] = [];
  let lists = 0;
  const client: DockerClient = {
    endpoint: inner.endpoint,
    ping: () => inner.ping(),
    request: (method, path, options) => inner.request(method, path, options),
    version: () => inner.version(),
    info: () => inner.info(),
    listContainers: (o) => {
      lists++;
      return inner.listContainers(o);
    },
    inspectContainer: async (id) => {
      inspected.push(id);
      await beforeInspect?.(id);
      return inner.inspectContainer(id);
    },
  };
  return { client, inspected, lists: () => lists };
}

describe('EngineCollector against a private daemon', () => {
  let daemon: PrivateDaemon;
  let node: DockerNode;

  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    // A hardened running container, a default one that exited, one never started, and one sharing host namespaces.
    await daemon.docker([
      'run', '-d', '--network', 'none', '--name', 'hardened', '--read-only', '--memory', '64m', '--pids-limit', '50',
      '--cpu-shares', '512', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
      '--restart', 'on-failure:5', '--label', 'tier=web', BUSYBOX_IMAGE,
    ]);
    await daemon.docker(['run', '--network', 'none', '--name', 'exited', BUSYBOX_IMAGE, 'true']);
    await daemon.docker(['create', '--network', 'none', '--name', 'created', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '-d', '--network', 'host', '--pid', 'host', '--ipc', 'host', '--cap-add', 'NET_ADMIN', '-v', '/etc:/host-etc:ro', '--name', 'host-ns', BUSYBOX_IMAGE]);
    node = { id: 'node-1', name: 'private', endpoint: daemon.endpoint, labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };
  });
  afterAll(async () => daemon?.stop());

  it('collects version, info and every container, inspecting each once', async () => {
    const spy = counting(createDockerClient(node));
    const collector = new EngineCollector(() => spy.client, { now: () => new Date('2024-05-01T12:00:00Z') });
    const facts = await collector.collect(node);

    expect(facts.nodeId).toBe('node-1');
    expect(facts.nodeName).toBe('private');
    expect(facts.endpoint).toBe(daemon.endpoint);
    expect(facts.collectedAt).toBe('2024-05-01T12:00:00.000Z');
    expect(facts.version.ApiVersion).toMatch(/^1\.\d+$/);
    expect(facts.info.Containers).toBe(4);
    expect(facts.containers.map((c) => c.name)).toEqual(['created', 'exited', 'hardened', 'host-ns']);
    expect(spy.lists()).toBe(1);
    expect(spy.inspected.sort()).toEqual(facts.containers.map((c) => c.id).sort());

    const byName = Object.fromEntries(facts.containers.map((c) => [c.name, c]));
    for (const c of facts.containers) {
      expect(c.image).toBe(BUSYBOX_IMAGE);
      expect(c.inspect.HostConfig).toBeTypeOf('object');
      expect(c.inspect.Id).toBe(c.id);
    }
    const hostConfig = (name: string) => byName[name]!.inspect.HostConfig as ApiObject;
    expect(hostConfig('hardened').ReadonlyRootfs).toBe(true);
    expect(hostConfig('hardened').Memory).toBe(64 * 1024 * 1024);
    expect(hostConfig('host-ns').PidMode).toBe('host');
    expect((byName.exited!.inspect.State as ApiObject).Status).toBe('exited');
    expect((byName.created!.inspect.State as ApiObject).Status).toBe('created');

    if (process.env.PLIMSOLL_RECORD_FIXTURES === '1') {
      const raw = createDockerClient(node);
      const list = await raw.listContainers({ all: true });
      fs.rmSync(FIXTURES, { recursive: true, force: true });
      fs.mkdirSync(path.join(FIXTURES, 'inspect'), { recursive: true });
      const write = (file: string, value: unknown) => fs.writeFileSync(path.join(FIXTURES, file), JSON.stringify(value, null, 2) + '\n');
      write('version.json', await raw.version());
      write('info.json', await raw.info());
      write('containers.json', list);
      for (const summary of list) {
        const inspect = await raw.inspectContainer(String(summary.Id));
        write(path.join('inspect', `${String(inspect.Name).replace(/^\//, '')}.json`), inspect);
      }
    }
  });

  it('skips a container removed between listing and inspection', async () => {
    const victim = (await daemon.docker(['create', '--network', 'none', '--name', 'short-lived', BUSYBOX_IMAGE])).trim();
    const spy = counting(createDockerClient(node), async (id) => {
      if (id === victim) await daemon.docker(['rm', '-f', victim]);
    });
    const facts = await new EngineCollector(() => spy.client, { concurrency: 1 }).collect(node);
    expect(spy.inspected).toContain(victim);
    expect(facts.containers.map((c) => c.name)).toEqual(['created', 'exited', 'hardened', 'host-ns']);
  });
});
