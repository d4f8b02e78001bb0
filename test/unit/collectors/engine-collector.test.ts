import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineCollector, containerImage, containerName } from '../../../src/collectors/engine-collector.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject } from '../../../src/domain/facts.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { DockerClient } from '../../../src/repositories/docker-client.js';
import { HelperLedger } from '../../../src/repositories/host/helper-ledger.js';
import { EnvRedactor } from '../../../src/domain/env-redaction.js';
import type { PartCollector } from '../../../src/collectors/part-collector.js';

/** Recorded from a private dockerd 20.10 by test/integration/engine-collector.test.ts. */
const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'docker', 'engine');
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
const version = read('version.json') as ApiObject;
const info = read('info.json') as ApiObject;
const containers = read('containers.json') as ApiObject[];
const inspections = new Map(
  fs.readdirSync(path.join(FIXTURES, 'inspect')).map((f) => {
    const inspect = read(path.join('inspect', f)) as ApiObject;
    return [String(inspect.Id), inspect] as const;
  }),
);

const node: DockerNode = { id: 'n1', name: 'fixture', endpoint: 'unix:///fake.sock', labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };

/** A strict fake over recorded answers that counts every call and tracks inspections in flight. */
class FakeClient implements DockerClient {
  readonly endpoint = node.endpoint;
  calls = { ping: 0, version: 0, info: 0, list: 0 };
  inspected: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly list: ApiObject[] = containers,
    private readonly inspect: (id: string) => ApiObject | Error = (id) => inspections.get(id) ?? new Error(`unexpected inspect ${id}`),
  ) {}
  async ping() {
    this.calls.ping++;
  }
  async request(method: string, path: string): Promise<unknown> {
    throw new Error(`unexpected ${method} ${path}`);
  }
  async version() {
    this.calls.version++;
    return version;
  }
  async info() {
    this.calls.info++;
    return info;
  }
  async listContainers(options?: { all?: boolean }) {
    this.calls.list++;
    if (options?.all !== true) throw new Error('the collector must list stopped containers too');
    return this.list;
  }
  async inspectContainer(id: string) {
    this.inspected.push(id);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 2));
    this.inFlight--;
    const answer = this.inspect(id);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

describe('EngineCollector', () => {
  it('fixtures hold one running, stopped and created containers with inspect JSON for each', () => {
    expect(containers.length).toBe(4);
    expect(inspections.size).toBe(containers.length);
    expect(new Set(containers.map((c) => c.State))).toEqual(new Set(['running', 'exited', 'created']));
  });

  it('turns recorded engine answers into NodeFacts, inspecting each container exactly once', async () => {
    const fake = new FakeClient();
    const facts = await new EngineCollector(() => fake, { now: () => new Date('2024-05-01T10:00:00Z') }).collect(node);

    expect(fake.calls).toEqual({ ping: 0, version: 1, info: 1, list: 1 });
    expect(fake.inspected.sort()).toEqual(containers.map((c) => String(c.Id)).sort());
    expect(facts).toMatchObject({ nodeId: 'n1', nodeName: 'fixture', endpoint: 'unix:///fake.sock', collectedAt: '2024-05-01T10:00:00.000Z' });
    expect(facts.version).toEqual(version);
    expect(facts.info).toEqual(info);
    expect(facts.containers.map((c) => c.name)).toEqual(['created', 'exited', 'hardened', 'host-ns']);
    for (const c of facts.containers) {
      expect(c.inspect).toBe(inspections.get(c.id));
      expect(c.image).toBe('plimsoll/busybox:test');
      expect(c.inspect.HostConfig).toBeTypeOf('object');
    }
  });

  it('produces the same facts whatever order the engine lists containers in', async () => {
    const a = await new EngineCollector(() => new FakeClient(), { now: () => new Date(0) }).collect(node);
    const b = await new EngineCollector(() => new FakeClient([...containers].reverse()), { now: () => new Date(0) }).collect(node);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('skips a container that vanished between listing and inspection', async () => {
    const gone = String(containers[0]!.Id);
    const fake = new FakeClient(containers, (id) => (id === gone ? new PlimsollError(ErrorCode.NOT_FOUND, 'No such container') : inspections.get(id)!));
    const facts = await new EngineCollector(() => fake).collect(node);
    expect(fake.inspected).toContain(gone);
    expect(facts.containers.map((c) => c.id)).not.toContain(gone);
    expect(facts.containers).toHaveLength(containers.length - 1);
  });

  it('fails the collection when an inspection fails for another reason', async () => {
    const fake = new FakeClient(containers, () => new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine unix:///fake.sock is unreachable'));
    await expect(new EngineCollector(() => fake).collect(node)).rejects.toMatchObject({ code: ErrorCode.NODE_UNREACHABLE });
  });

  it('fails the collection when the engine cannot be read', async () => {
    const fake = new FakeClient();
    fake.info = async () => {
      throw new PlimsollError(ErrorCode.NODE_TLS_FAILED, 'TLS with Docker engine failed');
    };
    await expect(new EngineCollector(() => fake).collect(node)).rejects.toMatchObject({ code: ErrorCode.NODE_TLS_FAILED });
  });

  it('bounds concurrent inspections (default 8)', async () => {
    const template = inspections.get(String(containers[0]!.Id))!;
    const many = Array.from({ length: 30 }, (_, i) => ({ Id: `c${String(i).padStart(2, '0')}`, Names: [`/c${i}`] }));
    const inspect = (id: string): ApiObject => ({ ...template, Id: id, Name: `/${id}` });

    const bounded = new FakeClient(many, inspect);
    const facts = await new EngineCollector(() => bounded, { concurrency: 3 }).collect(node);
    expect(facts.containers).toHaveLength(30);
    expect(bounded.inspected).toHaveLength(30);
    expect(bounded.maxInFlight).toBe(3);

    const byDefault = new FakeClient(many, inspect);
    await new EngineCollector(() => byDefault).collect(node);
    expect(byDefault.maxInFlight).toBe(8);
  });

  it('names and images fall back to the listing', () => {
    expect(containerName({ Name: '/web' })).toBe('web');
    expect(containerName({}, { Names: ['/from-list'] })).toBe('from-list');
    expect(containerImage({ Config: { Image: 'nginx:1' }, Image: 'sha256:abc' })).toBe('nginx:1');
    expect(containerImage({ Image: 'sha256:abc' }, { Image: 'nginx:2' })).toBe('nginx:2');
    expect(containerImage({ Image: 'sha256:abc' })).toBe('sha256:abc');
  });
});

describe('helper containers', () => {
  it('leaves out only the containers its HelperLedger recorded, by id, and says so; a look-alike label is assessed', async () => {
    const [own, lookalike] = containers.map((c) => String(c.Id));
    const labelled = (id: string): ApiObject | Error => {
      const answer = inspections.get(id);
      if (answer === undefined) return new Error(`unexpected inspect ${id}`);
      // Every container carries the helper's label here: labels prove nothing.
      return { ...answer, Config: { ...(answer.Config as ApiObject), Labels: { 'plimsoll.helper': 'true' } } };
    };
    const ledger = new HelperLedger();
    ledger.record(own!);
    const facts = await new EngineCollector(() => new FakeClient(containers, labelled), { helpers: ledger }).collect(node);
    expect(facts.containers.map((c) => c.id)).not.toContain(own);
    expect(facts.containers.map((c) => c.id)).toContain(lookalike);
    expect(facts.containers).toHaveLength(containers.length - 1);
    expect(facts.leftOut).toEqual([{ id: own, name: expect.any(String), reason: 'a host-files helper container created by this Plimsoll instance' }]);
    const none = await new EngineCollector(() => new FakeClient(containers, labelled)).collect(node);
    expect(none.containers).toHaveLength(containers.length);
    expect(none.leftOut).toBeUndefined();
  });

  it('never keeps an environment value: each is its salted hash by the time the facts exist, in containers and parts', async () => {
    const withSecret = (id: string): ApiObject | Error => {
      const answer = inspections.get(id);
      if (answer === undefined) return new Error(`unexpected inspect ${id}`);
      return { ...answer, Config: { ...(answer.Config as ApiObject), Env: ['DB_PASSWORD=hunter2', 'BARE'] } };
    };
    const redactor = new EnvRedactor('installation-salt-0123456789');
    const part: PartCollector<'engine'> = {
      part: 'engine',
      collect: async () => ({ status: 'collected', data: { images: [{ Id: 'sha256:1', Config: { Env: ['API_TOKEN=tok-123'] } }], networks: [], volumes: [], plugins: [], processes: {} } }),
    };
    const facts = await new EngineCollector(() => new FakeClient(containers, withSecret), { redactor, parts: [part] }).collect(node);
    const text = JSON.stringify(facts);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok-123');
    expect((facts.containers[0]!.inspect.Config as ApiObject).Env).toEqual([`DB_PASSWORD=${redactor.hash('hunter2')}`, 'BARE']);
    // Without a configured salt, a random one of the process: values are still never kept.
    expect(JSON.stringify(await new EngineCollector(() => new FakeClient(containers, withSecret)).collect(node))).not.toContain('hunter2');
  });

  it("records the node's own platform container pattern in the facts, when it has one", async () => {
    expect((await new EngineCollector(() => new FakeClient()).collect(node)).platformContainerPattern).toBeUndefined();
    const facts = await new EngineCollector(() => new FakeClient()).collect({ ...node, platformContainerPattern: '^acme-' });
    expect(facts.platformContainerPattern).toBe('^acme-');
  });
});
