import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineCollector } from '../../../src/collectors/engine-collector.js';
import { OVERLAY_NETWORKS_QUERY, SwarmCollector } from '../../../src/collectors/swarm-collector.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject, NodeFacts } from '../../../src/domain/facts.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { DockerClient, EngineRequestOptions } from '../../../src/repositories/docker-client.js';

/** Recorded from a private dockerd 20.10 in swarm mode (see test/fixtures/docker/swarm/README.md). */
const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'docker', 'swarm');
const read = <T = ApiObject>(file: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as T;

const node: DockerNode = { id: 'n1', name: 'manager', endpoint: 'unix:///fake.sock', labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };

/** The recorded answers of the manager, by path. */
function managerAnswers(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['/swarm', read('swarm.json')],
    ['/nodes', read('nodes.json')],
    ['/services', read('services.json')],
    ['/secrets', read('secrets.json')],
    ['/configs', read('configs.json')],
    ['/tasks', read('tasks.json')],
    ['/networks', read('networks.json')],
  ]);
}

/** A strict fake: answers only the given GETs (an Error value is thrown), records every request. */
class FakeClient implements DockerClient {
  readonly endpoint = node.endpoint;
  requests: { method: string; path: string; options?: EngineRequestOptions }[] = [];
  constructor(
    private readonly info_: ApiObject,
    private readonly answers: Map<string, unknown> = new Map(),
  ) {}
  async ping(): Promise<void> {
    throw new Error('unexpected ping');
  }
  async version(): Promise<ApiObject> {
    return { Version: '20.10.24+dfsg1' };
  }
  async info(): Promise<ApiObject> {
    return this.info_;
  }
  async listContainers(): Promise<ApiObject[]> {
    return [];
  }
  async inspectContainer(id: string): Promise<ApiObject> {
    throw new Error(`unexpected inspect ${id}`);
  }
  async request(method: 'GET' | 'POST' | 'DELETE', p: string, options?: EngineRequestOptions): Promise<unknown> {
    this.requests.push({ method, path: p, ...(options === undefined ? {} : { options }) });
    if (method !== 'GET') throw new Error(`the collector must only read, not ${method} ${p}`);
    if (!this.answers.has(p)) throw new Error(`unexpected GET ${p}`);
    const answer = this.answers.get(p);
    if (answer instanceof Error) throw answer;
    return structuredClone(answer);
  }
}

function base(info: ApiObject): NodeFacts {
  return { nodeId: 'n1', nodeName: 'manager', endpoint: node.endpoint, collectedAt: '2024-05-01T10:00:00.000Z', version: {}, info, containers: [] };
}

async function collect(client: FakeClient, info: ApiObject) {
  return new SwarmCollector().collect(node, client, base(info));
}

/** What the engine's 503 to a non-manager becomes in the docker client: NODE_UNREACHABLE with the HTTP status as cause. */
function http503(): PlimsollError {
  const cause = Object.assign(new Error('(HTTP code 503) unexpected - This node is not a swarm manager.'), { statusCode: 503 });
  return new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine unix:///fake.sock failed GET /swarm with HTTP 503: This node is not a swarm manager.', [], { cause });
}

describe('SwarmCollector', () => {
  it('reads nothing more on a node outside a swarm, and records its state', async () => {
    const client = new FakeClient(read('info-inactive.json'));
    const part = await collect(client, read('info-inactive.json'));
    expect(client.requests).toEqual([]);
    expect(part).toEqual({
      status: 'collected',
      data: { localNodeState: 'inactive', isManager: false, swarm: null, nodes: [], services: [], secrets: [], configs: [], tasks: [], networks: [] },
    });
  });

  it('reads nothing more on a locked manager (every swarm endpoint refuses until unlock)', async () => {
    const client = new FakeClient(read('info-locked.json'));
    const part = await collect(client, read('info-locked.json'));
    expect(client.requests).toEqual([]);
    expect(part).toMatchObject({ status: 'collected', data: { localNodeState: 'locked', isManager: false, swarm: null } });
  });

  it('reads each swarm listing of a manager once, keeping no join token or config content', async () => {
    const client = new FakeClient(read('info.json'), managerAnswers());
    const part = await collect(client, read('info.json'));
    expect(client.requests.map((r) => r.path).sort()).toEqual(['/configs', '/networks', '/nodes', '/secrets', '/services', '/swarm', '/tasks']);
    expect(client.requests.find((r) => r.path === '/networks')?.options).toEqual({ query: OVERLAY_NETWORKS_QUERY });
    expect(JSON.parse(OVERLAY_NETWORKS_QUERY.filters)).toEqual({ driver: ['overlay'] });
    if (part.status !== 'collected') throw new Error(JSON.stringify(part));
    const data = part.data;
    expect(data).toMatchObject({ localNodeState: 'active', isManager: true });
    expect(data.swarm).not.toHaveProperty('JoinTokens');
    expect(data.swarm).toMatchObject({ ID: 'prm3g1gz6pciuuxtm2wh7e10j', Spec: { EncryptionConfig: { AutoLockManagers: true } } });
    expect(JSON.stringify(data)).not.toContain('SWMTKN');
    expect(data.configs).toEqual([expect.objectContaining({ ID: 'jaaj3a0cpf16byr9qxzawm6fa', Spec: { Name: 'app_cfg', Labels: {} } })]);
    expect(data.secrets.map((s) => s.ID)).toEqual(['pwuisolaopf6ozenb4yuqeqom']);
    expect(data.services.map((s) => (s.Spec as ApiObject).Name)).toEqual(['web']);
    expect(data.nodes).toHaveLength(1);
    expect(data.tasks).toHaveLength(1);
    // Sorted by id, so that the snapshot hash does not follow the engine's order.
    expect(data.networks?.map((n) => n.Id)).toEqual(read<ApiObject[]>('networks.json').map((n) => String(n.Id)).sort());
  });

  it('reads only the overlay networks on a worker', async () => {
    const info = read('info.json');
    info.Swarm = { ...(info.Swarm as ApiObject), ControlAvailable: false };
    const client = new FakeClient(info, new Map([['/networks', read('networks.json')]]));
    const part = await collect(client, info);
    expect(client.requests.map((r) => r.path)).toEqual(['/networks']);
    expect(part).toMatchObject({ status: 'collected', data: { localNodeState: 'active', isManager: false, swarm: null, nodes: [], services: [] } });
    if (part.status === 'collected') expect(part.data.networks).toHaveLength(4);
  });

  it('fails the part when /info has no usable Swarm section', async () => {
    const info = read('info.json');
    delete info.Swarm;
    expect(await collect(new FakeClient(info), info)).toMatchObject({ status: 'failed', error: expect.stringContaining('no Swarm section') });
    const blank = { ...read('info.json'), Swarm: { LocalNodeState: '' } };
    expect(await collect(new FakeClient(blank), blank)).toMatchObject({ status: 'failed' });
  });

  it('fails only the part when the engine answers a swarm call with an HTTP error', async () => {
    const answers = managerAnswers();
    answers.set('/swarm', http503());
    const part = await collect(new FakeClient(read('info.json'), answers), read('info.json'));
    expect(part).toMatchObject({ status: 'failed', error: expect.stringContaining('GET /swarm failed') });
    expect(part.status === 'failed' && part.error).toContain('HTTP 503');
  });

  it('fails the part on an answer of the wrong shape', async () => {
    const answers = managerAnswers();
    answers.set('/tasks', { message: 'not a list' });
    expect(await collect(new FakeClient(read('info.json'), answers), read('info.json'))).toMatchObject({ status: 'failed', error: expect.stringContaining('GET /tasks answered an object') });
    const items = managerAnswers();
    items.set('/nodes', ['x']);
    expect(await collect(new FakeClient(read('info.json'), items), read('info.json'))).toMatchObject({ status: 'failed', error: expect.stringContaining('at index 0') });
  });

  it('rethrows an unreachable engine, which fails the run as the core inventory would', async () => {
    const answers = managerAnswers();
    answers.set('/nodes', new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine unix:///fake.sock is unreachable: connect ECONNREFUSED'));
    await expect(collect(new FakeClient(read('info.json'), answers), read('info.json'))).rejects.toMatchObject({ code: ErrorCode.NODE_UNREACHABLE });
    await expect(new EngineCollector(() => new FakeClient(read('info.json'), answers), { parts: [new SwarmCollector()] }).collect(node)).rejects.toMatchObject({
      code: ErrorCode.NODE_UNREACHABLE,
    });
  });

  it('adds the swarm part to the facts as a part of the EngineCollector', async () => {
    const client = new FakeClient(read('info.json'), managerAnswers());
    const facts = await new EngineCollector(() => client, { parts: [new SwarmCollector()] }).collect(node);
    expect(facts.swarm).toMatchObject({ status: 'collected', data: { isManager: true, localNodeState: 'active' } });
    expect(client.requests).toHaveLength(7);
  });
});
