import { describe, expect, it } from 'vitest';
import { EngineInventoryCollector } from '../../../src/collectors/engine-inventory.js';
import { EnvRedactor } from '../../../src/domain/env-redaction.js';
import { secretClassifier } from '../../../src/domain/secret-classifier.js';
import { EngineCollector } from '../../../src/collectors/engine-collector.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { DockerClient } from '../../../src/repositories/docker-client.js';

const node: DockerNode = { id: 'n1', name: 'fixture', endpoint: 'unix:///fake.sock', labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };

/** An error as the dockerode client raises it for an HTTP answer. */
function httpError(status: number, message: string): PlimsollError {
  const cause = Object.assign(new Error(message), { statusCode: status });
  return new PlimsollError(status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.NODE_UNREACHABLE, `answered ${status}: ${message}`, [], { cause });
}

type Answer = unknown | (() => unknown);

/** A strict fake: only the routes given answer; every call is recorded. */
class FakeClient implements DockerClient {
  readonly endpoint = node.endpoint;
  calls: string[] = [];
  constructor(private readonly routes: Record<string, Answer>) {}
  async request(method: string, path: string): Promise<unknown> {
    this.calls.push(`${method} ${path}`);
    if (!Object.hasOwn(this.routes, path)) throw new Error(`unexpected ${method} ${path}`);
    const answer = this.routes[path];
    const value = typeof answer === 'function' ? (answer as () => unknown)() : answer;
    if (value instanceof Error) throw value;
    return value;
  }
  async ping() {}
  async version(): Promise<ApiObject> {
    return { Version: '20.10.24' };
  }
  async info(): Promise<ApiObject> {
    return { OSType: 'linux' };
  }
  async listContainers(): Promise<ApiObject[]> {
    return [];
  }
  async inspectContainer(id: string): Promise<ApiObject> {
    throw new Error(`unexpected inspect ${id}`);
  }
}

function container(id: string, running: boolean, execIds: string[] | null = null): ContainerFacts {
  return { id, name: id, image: 'img', inspect: { Id: id, Name: `/${id}`, State: { Running: running }, ExecIDs: execIds } };
}

function base(containers: ContainerFacts[]): NodeFacts {
  return { nodeId: 'n1', nodeName: 'fixture', endpoint: node.endpoint, collectedAt: '2024-05-01T10:00:00.000Z', version: {}, info: {}, containers };
}

const TOP = { Titles: ['UID', 'PID', 'CMD'], Processes: [['root', '1', '/bin/sleep 3600']] };

/** A real `GET /images/{id}/history` answer's shape (classic builder lines), newest layer first. */
const HISTORY_A = [
  { Id: 'sha256:aaa', Created: 1767225600, CreatedBy: '/bin/sh -c #(nop)  ENV API_TOKEN=tok-7734', Tags: ['a:1'], Size: 0, Comment: '' },
  { Id: '<missing>', Created: 1767225500, CreatedBy: '', Tags: null, Size: 1200000, Comment: 'Imported from -' },
];

function routes(extra: Record<string, Answer> = {}): Record<string, Answer> {
  return {
    '/images/json': [{ Id: 'sha256:bbb', RepoTags: ['b:1'] }, { Id: 'sha256:aaa', RepoTags: ['a:1'] }],
    '/images/sha256:aaa/json': { Id: 'sha256:aaa', Config: { User: '' } },
    '/images/sha256:bbb/json': { Id: 'sha256:bbb', Config: { User: 'app' } },
    '/images/sha256:aaa/history': HISTORY_A,
    '/images/sha256:bbb/history': [{ Id: 'sha256:bbb', CreatedBy: '', Comment: 'Imported from -' }],
    '/networks': [{ Id: 'n2', Name: 'none' }, { Id: 'n1', Name: 'host' }],
    '/volumes': { Volumes: [{ Name: 'v2' }, { Name: 'v1' }], Warnings: null },
    '/plugins': [],
    ...extra,
  };
}

describe('EngineInventoryCollector', () => {
  it('reads every listing once, each image, the top of running containers and each exec session', async () => {
    const fake = new FakeClient(
      routes({
        '/containers/run1/top': TOP,
        '/containers/run2/top': TOP,
        '/exec/e2/json': { ID: 'e2', ProcessConfig: { privileged: true } },
        '/exec/e1/json': { ID: 'e1', ProcessConfig: { user: '1000' } },
      }),
    );
    const part = await new EngineInventoryCollector().collect(node, fake, base([container('run1', true, ['e2', 'e1']), container('run2', true, []), container('stopped', false)]));
    expect(part.status).toBe('collected');
    if (part.status !== 'collected') return;
    expect(part.data.images.map((i) => i.Id)).toEqual(['sha256:aaa', 'sha256:bbb']);
    expect(part.data.networks.map((n) => n.Id)).toEqual(['n1', 'n2']);
    expect(part.data.volumes.map((v) => v.Name)).toEqual(['v1', 'v2']);
    expect(part.data.plugins).toEqual([]);
    // The part keeps history lines as answered: the EngineCollector's redactor hashes their values afterwards.
    expect(part.data.histories).toEqual({ 'sha256:aaa': HISTORY_A, 'sha256:bbb': [{ Id: 'sha256:bbb', CreatedBy: '', Comment: 'Imported from -' }] });
    expect(part.data.processes).toEqual({ run1: TOP, run2: TOP });
    expect(part.data.execs).toEqual({ run1: [{ ID: 'e1', ProcessConfig: { user: '1000' } }, { ID: 'e2', ProcessConfig: { privileged: true } }], run2: [], stopped: [] });
    expect([...fake.calls].sort()).toEqual(
      [
        'GET /images/json', 'GET /images/sha256:aaa/json', 'GET /images/sha256:bbb/json', 'GET /images/sha256:aaa/history', 'GET /images/sha256:bbb/history', 'GET /networks', 'GET /volumes', 'GET /plugins',
        'GET /containers/run1/top', 'GET /containers/run2/top', 'GET /exec/e1/json', 'GET /exec/e2/json',
      ].sort(),
    );
  });

  it('skips what went away since the listing: an image or exec session (404), a container that stopped (409)', async () => {
    const fake = new FakeClient(
      routes({
        '/images/sha256:bbb/json': () => httpError(404, 'No such image'),
        '/images/sha256:aaa/history': () => httpError(404, 'No such image'),
        '/containers/gone/top': () => httpError(409, 'Container gone is not running'),
        '/containers/removed/top': () => httpError(404, 'No such container'),
        '/exec/e1/json': () => httpError(404, 'No such exec instance: e1'),
      }),
    );
    const part = await new EngineInventoryCollector().collect(node, fake, base([container('gone', true, ['e1']), container('removed', true)]));
    expect(part).toMatchObject({ status: 'collected', data: { processes: {}, execs: { gone: [], removed: [] } } });
    if (part.status === 'collected') expect(part.data.images.map((i) => i.Id)).toEqual(['sha256:aaa']);
    // An image removed between its inspection and its history is left out of both readings' results.
    if (part.status === 'collected') expect(part.data.histories).toEqual({});
  });

  it('fails the part on other engine answers and on malformed ones', async () => {
    const failing = new FakeClient(routes({ '/plugins': () => httpError(500, 'plugin store broken') }));
    const failed = await new EngineInventoryCollector().collect(node, failing, base([]));
    expect(failed).toEqual({ status: 'failed', error: expect.stringContaining('GET /plugins failed') });

    const listingGone = new FakeClient(routes({ '/networks': () => httpError(404, 'page not found') }));
    expect(await new EngineInventoryCollector().collect(node, listingGone, base([]))).toMatchObject({ status: 'failed' });

    const malformed = new FakeClient(routes({ '/volumes': [] }));
    expect(await new EngineInventoryCollector().collect(node, malformed, base([]))).toEqual({ status: 'failed', error: expect.stringContaining('GET /volumes answered an array') });

    const badTop = new FakeClient(routes({ '/containers/c/top': 'text' }));
    expect(await new EngineInventoryCollector().collect(node, badTop, base([container('c', true)]))).toMatchObject({ status: 'failed' });

    const badHistory = new FakeClient(routes({ '/images/sha256:aaa/history': { not: 'a list' } }));
    expect(await new EngineInventoryCollector().collect(node, badHistory, base([]))).toEqual({ status: 'failed', error: expect.stringContaining('/images/sha256:aaa/history answered an object') });

    const badExecIds = new FakeClient(routes());
    const c = container('c', false);
    c.inspect.ExecIDs = 'e1';
    expect(await new EngineInventoryCollector().collect(node, badExecIds, base([c]))).toEqual({ status: 'failed', error: expect.stringContaining('ExecIDs') });
  });

  it('lets an unreachable engine fail the run', async () => {
    const unreachable = new FakeClient(routes({ '/plugins': () => new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine unix:///fake.sock is unreachable: connect ECONNREFUSED') }));
    await expect(new EngineInventoryCollector().collect(node, unreachable, base([]))).rejects.toMatchObject({ code: ErrorCode.NODE_UNREACHABLE });
  });

  it('keeps at most `concurrency` reads in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const slow = () => async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return TOP;
    };
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const tops = Object.fromEntries(ids.map((id) => [`/containers/${id}/top`, slow()]));
    const fake = new FakeClient(routes(tops));
    const part = await new EngineInventoryCollector({ concurrency: 3 }).collect(node, fake, base(ids.map((id) => container(id, true))));
    expect(part.status).toBe('collected');
    expect(max).toBe(3);
  });

  it('is a part of the EngineCollector', async () => {
    const fake = new FakeClient(routes());
    const facts = await new EngineCollector(() => fake, { parts: [new EngineInventoryCollector()], redactor: new EnvRedactor('inventory-salt-0123456789', [secretClassifier]), secretMaxAgeDays: 30 }).collect(node);
    expect(facts.engine).toMatchObject({ status: 'collected', data: { processes: {}, execs: {} } });
    // History lines are screened and hashed before the facts leave the collector; the screening is recorded.
    const stored = JSON.stringify(facts);
    expect(stored).not.toContain('tok-7734');
    expect(facts.envClassifications).toEqual([{ location: 'engine/histories/sha256:aaa/0/CreatedBy', name: 'API_TOKEN', classes: ['secret-named-literal'], hash: expect.stringMatching(/^redacted:hmac-sha256:[0-9a-f]{64}$/) }]);
    expect(facts.secretPolicy).toEqual({ classifiers: ['plimsoll-secrets/1'], maxAgeDays: 30 });
  });
});
