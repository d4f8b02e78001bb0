import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject } from '../../../src/domain/facts.js';
import { type NodeInput, type NodeTlsInput, nodeView } from '../../../src/domain/node.js';
import type { ContentInput } from '../../../src/domain/content-input.js';
import { endpointAllowList } from '../../../src/repositories/docker/endpoint-allowlist.js';
import { SecretBox } from '../../../src/repositories/secret-box.js';
import { makeTlsMaterial, type TlsMaterial } from '../../harness/tls.js';
import { DockerNodeService } from '../../../src/nodes/node-service.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import type { DockerClient, DockerClientFactory } from '../../../src/repositories/docker-client.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { rejection } from '../../harness/errors.js';

const actor = LOCAL_CLI_PRINCIPAL;

/** A client whose only allowed call is version(); anything else fails the test. */
function versionOnly(answer: () => Promise<ApiObject>): DockerClient {
  const unexpected = () => Promise.reject(new Error('unexpected call'));
  return { endpoint: 'fake', version: answer, ping: unexpected, info: unexpected, listContainers: unexpected, inspectContainer: unexpected, request: unexpected };
}

describe('DockerNodeService', () => {
  let tmp: string;
  let db: Db;
  let service: DockerNodeService;
  let pinged: string[];
  let answer: () => Promise<ApiObject>;
  let ids: number;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-nodes-'));
    db = await openDatabase(path.join(tmp, 'db.sqlite'));
    pinged = [];
    ids = 0;
    answer = async () => ({ Version: '20.10.24', ApiVersion: '1.41', Os: 'linux' });
    const clients: DockerClientFactory = (node) => {
      pinged.push(node.endpoint);
      return versionOnly(() => answer());
    };
    service = new DockerNodeService(new KyselyNodeRepository(db), clients, {
      now: () => new Date('2024-03-01T00:00:00Z'),
      newId: () => `id-${++ids}`,
    });
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('registers a node with a canonical endpoint, id, clock and labels', async () => {
    const node = await service.register({ name: ' web-1 ', endpoint: 'tcp://Docker.Example:2376/', labels: { site: 'a' }, environment: ' prod ' }, actor);
    expect(node).toEqual({ id: 'id-1', name: 'web-1', endpoint: 'tcp://docker.example:2376', labels: { site: 'a' }, environment: 'prod', createdAt: '2024-03-01T00:00:00.000Z' });
    expect(await service.list()).toEqual([node]);
  });

  it('stores a platform container pattern (empty included) and refuses one that is not a regular expression', async () => {
    const acme = await service.register({ name: 'acme', endpoint: 'unix:///a.sock', platformContainerPattern: '^acme-|/acme/' }, actor);
    expect(acme.platformContainerPattern).toBe('^acme-|/acme/');
    expect((await service.find('acme'))?.platformContainerPattern).toBe('^acme-|/acme/');
    expect((await service.register({ name: 'none', endpoint: 'unix:///b.sock', platformContainerPattern: '' }, actor)).platformContainerPattern).toBe('');
    expect((await service.register({ name: 'stig', endpoint: 'unix:///c.sock' }, actor)).platformContainerPattern).toBeUndefined();
    await expect(service.register({ name: 'bad', endpoint: 'unix:///d.sock', platformContainerPattern: 'ucp|(' }, actor)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      problems: [{ pointer: '/platformContainerPattern', message: expect.stringContaining('is not a regular expression') }],
    });
    await expect(service.register({ name: 'long', endpoint: 'unix:///e.sock', platformContainerPattern: 'x'.repeat(201) }, actor)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  describe('mutual TLS material, given as content', () => {
    let tls: TlsMaterial;
    const box = new SecretBox(randomBytes(32));
    const file = (p: string, name = path.basename(p)): { name: string; bytes: Buffer } => ({ name, bytes: fs.readFileSync(p) });
    const good = (): NodeTlsInput => ({ ca: file(tls.ca), cert: file(tls.clientCert), key: file(tls.clientKey) });
    const withSecrets = (extra: object = {}): DockerNodeService =>
      new DockerNodeService(new KyselyNodeRepository(db), () => versionOnly(() => answer()), { now: () => new Date('2024-03-01T00:00:00Z'), newId: () => `id-${++ids}`, secrets: box, ...extra });

    beforeAll(async () => {
      tls = await makeTlsMaterial(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-tls-')), 'tls'));
    });

    it('stores the certificates as PEM and the key sealed: no plaintext key in the database, nothing returned', async () => {
      const node = await withSecrets().register({ name: 'tls', endpoint: 'tcp://10.0.0.1:2376', tls: good() }, actor);
      expect(node.tls).toMatchObject({ kind: 'sealed', caPem: fs.readFileSync(tls.ca, 'utf8'), certPem: fs.readFileSync(tls.clientCert, 'utf8') });
      const sealed = (node.tls as { keySealed: string }).keySealed;
      expect(box.open(sealed, 'node-tls-key').toString('utf8')).toBe(fs.readFileSync(tls.clientKey, 'utf8'));
      const rows = JSON.stringify(await db.selectFrom('node').selectAll().execute());
      expect(rows).not.toContain('PRIVATE KEY');
      expect(rows).not.toContain(fs.readFileSync(tls.clientKey, 'utf8').split('\n')[1]);
      expect((await withSecrets().find('tls'))?.tls).toEqual(node.tls);
      expect(JSON.stringify(nodeView(node))).not.toContain(sealed);
      expect(nodeView(node).tls).toBe(true);
    });

    it('refuses material that is not a certificate, a key of another certificate, or TLS on a unix socket; never echoing content', async () => {
      const canary = { name: 'secret.txt', bytes: Buffer.from('CANARY-7f3a root:$6$salt$hash:19000:0:99999:7:::\n') };
      const cases: [NodeTlsInput, string][] = [
        [{ ...good(), ca: canary }, '/tls/ca'],
        [{ ...good(), cert: canary }, '/tls/cert'],
        [{ ...good(), key: canary }, '/tls/key'],
        [{ ...good(), key: file(tls.otherClientKey) }, '/tls/key'],
      ];
      for (const [input, pointer] of cases) {
        const e = await rejection(withSecrets().register({ name: 'a', endpoint: 'tcp://h:2376', tls: input }, actor));
        expect(e.code).toBe(ErrorCode.BAD_INPUT);
        expect(e.problems.map((p) => p.pointer)).toContain(pointer);
        expect(JSON.stringify({ message: e.message, problems: e.problems })).not.toContain('CANARY');
      }
      const unix = await rejection(withSecrets().register({ name: 'a', endpoint: 'unix:///var/run/docker.sock', tls: good() }, actor));
      expect(unix.problems.map((p) => p.pointer)).toContain('/tls');
      expect(await service.list()).toEqual([]);
    });

    it('needs PLIMSOLL_SECRET_KEY to store a key', async () => {
      const e = await rejection(service.register({ name: 'tls', endpoint: 'tcp://10.0.0.1:2376', tls: good() }, actor));
      expect(e.code).toBe(ErrorCode.CONFIG_INVALID);
      expect(e.message).toContain('PLIMSOLL_SECRET_KEY');
      expect(await service.list()).toEqual([]);
    });

    it('takes uploads of the registering person and discards them once the material is stored', async () => {
      const staged = new Map(Object.entries({ u1: file(tls.ca), u2: file(tls.clientCert), u3: file(tls.clientKey) }));
      const discarded: unknown[] = [];
      const uploads = {
        resolve: async (inputs: readonly ContentInput[]) => inputs.map((i) => ('uploadId' in i ? staged.get(i.uploadId)! : i)),
        discard: async (inputs: readonly ContentInput[]) => void discarded.push(...inputs),
      };
      await withSecrets({ uploads }).register({ name: 'up', endpoint: 'tcp://10.0.0.2:2376', tls: { ca: { uploadId: 'u1' }, cert: { uploadId: 'u2' }, key: { uploadId: 'u3' } } }, actor);
      expect(discarded).toEqual([{ uploadId: 'u1' }, { uploadId: 'u2' }, { uploadId: 'u3' }]);
    });
  });

  it('refuses endpoints outside the allow-list with NODE_NOT_ALLOWED, resolving names', async () => {
    const endpoints = endpointAllowList(['10.0.0.0/8', 'docker-1.example.mil', '*.prod.example.mil', 'unix:///var/run/docker.sock'], async (host) =>
      host === 'inside.example.mil' ? [{ address: '10.1.2.3', family: 4 }] : host === 'outside.example.mil' ? [{ address: '10.1.2.3', family: 4 }, { address: '192.168.1.1', family: 4 }] : Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })),
    );
    const limited = new DockerNodeService(new KyselyNodeRepository(db), () => versionOnly(() => answer()), { newId: () => `id-${++ids}`, endpoints });
    for (const endpoint of ['tcp://10.9.9.9:2376', 'tcp://docker-1.example.mil:2376', 'tcp://a.prod.example.mil:2376', 'tcp://inside.example.mil:2376', 'unix:///var/run/docker.sock']) {
      await limited.register({ name: `ok-${++ids}`, endpoint }, actor);
    }
    for (const endpoint of ['tcp://192.168.1.1:2375', 'tcp://outside.example.mil:2376', 'tcp://nowhere.example.mil:2376', 'tcp://[::1]:2375', 'unix:///run/other.sock', 'tcp://prod.example.mil.evil.com:2376']) {
      const e = await rejection(limited.register({ name: `no-${++ids}`, endpoint }, actor));
      expect(e.code, endpoint).toBe(ErrorCode.NODE_NOT_ALLOWED);
    }
    expect(await limited.list()).toHaveLength(5);
    expect(() => endpointAllowList(['10.0.0.0/33', 'not a host'])).toThrow(/PLIMSOLL_NODE_ALLOWLIST.*"10.0.0.0\/33".*"not a host"/);
  });

  it.each<[string, NodeInput, string]>([
    ['an unknown scheme', { name: 'a', endpoint: 'http://host:2375' }, '/endpoint'],
    ['ssh', { name: 'a', endpoint: 'ssh://user@host' }, '/endpoint'],
    ['a tcp endpoint without port', { name: 'a', endpoint: 'tcp://host' }, '/endpoint'],
    ['a relative socket path', { name: 'a', endpoint: 'unix://docker.sock' }, '/endpoint'],
    ['an empty name', { name: '  ', endpoint: 'unix:///var/run/docker.sock' }, '/name'],
    ['a name that looks like an endpoint', { name: 'unix:///x', endpoint: 'unix:///var/run/docker.sock' }, '/name'],
    ['a non-string label', { name: 'a', endpoint: 'tcp://h:2376', labels: { n: 1 as unknown as string } }, '/labels/n'],
  ])('rejects %s with BAD_INPUT', async (_what, input, pointer) => {
    const e = await rejection(service.register(input, actor));
    expect(e.code).toBe(ErrorCode.BAD_INPUT);
    expect(e.problems.map((p) => p.pointer)).toContain(pointer);
    expect(await service.list()).toEqual([]);
  });

  it('rejects a duplicate name or an endpoint already registered in another spelling with CONFLICT', async () => {
    await service.register({ name: 'one', endpoint: 'unix:///var/run/docker.sock' }, actor);
    const byName = await rejection(service.register({ name: 'one', endpoint: 'unix:///other.sock' }, actor));
    expect(byName.code).toBe(ErrorCode.CONFLICT);
    const byEndpoint = await rejection(service.register({ name: 'two', endpoint: 'unix:///var/run//docker.sock' }, actor));
    expect(byEndpoint.code).toBe(ErrorCode.CONFLICT);
    expect(byEndpoint.message).toContain('"one"');
    expect(await service.list()).toHaveLength(1);
  });

  it('finds by id, name and endpoint, and lists by name', async () => {
    const b = await service.register({ name: 'b', endpoint: 'tcp://127.0.0.1:2376' }, actor);
    const a = await service.register({ name: 'a', endpoint: 'unix:///run/docker.sock' }, actor);
    expect((await service.list()).map((n) => n.name)).toEqual(['a', 'b']);
    expect(await service.find(b.id)).toEqual(b);
    expect(await service.find('a')).toEqual(a);
    expect(await service.find('tcp://127.0.0.1:2376/')).toEqual(b);
    expect(await service.find('unix:///run/./docker.sock')).toEqual(a);
    expect(await service.find('c')).toBeUndefined();
    expect(await service.find('tcp://nope')).toBeUndefined();
  });

  it('removes a node, and answers NOT_FOUND for an unknown one', async () => {
    const n = await service.register({ name: 'gone', endpoint: 'unix:///run/docker.sock' }, actor);
    await service.remove(n.endpoint, actor);
    expect(await service.list()).toEqual([]);
    const e = await rejection(service.remove('gone', actor));
    expect(e.code).toBe(ErrorCode.NOT_FOUND);
    expect(e.message).toContain('gone');
  });

  it('removes softly: the node leaves lists and lookups, its name and endpoint are free again, its id still resolves for history', async () => {
    const old = await service.register({ name: 'web', endpoint: 'tcp://10.0.0.5:2376' }, actor);
    await service.remove('web', actor);
    expect(await service.find('web')).toBeUndefined();
    expect(await service.find(old.id)).toBeUndefined();
    expect(await service.find(old.id, { includeRemoved: true })).toEqual({ ...old, removedAt: '2024-03-01T00:00:00.000Z' });
    const reused = await service.register({ name: 'web', endpoint: 'tcp://10.0.0.5:2376' }, actor);
    expect(reused.id).not.toBe(old.id);
    expect(await service.list()).toEqual([reused]);
    expect(await service.find('web')).toEqual(reused);
    // Two present nodes still can't share a name: the partial unique index holds.
    await expect(db.insertInto('node').values({ id: 'x', name: 'web', endpoint: 'tcp://x:1', tls_ca_path: null, tls_cert_path: null, tls_key_path: null, labels_json: '{}', environment: null, created_at: 'x', removed_at: null }).execute()).rejects.toThrow(/UNIQUE/);
  });

  it('pings through the node client', async () => {
    await service.register({ name: 'p', endpoint: 'tcp://127.0.0.1:2375' }, actor);
    expect(await service.ping('p')).toEqual({ serverVersion: '20.10.24', apiVersion: '1.41' });
    expect(pinged).toEqual(['tcp://127.0.0.1:2375']);
  });

  it('passes client errors through and rejects answers that are not from Docker', async () => {
    await service.register({ name: 'p', endpoint: 'tcp://127.0.0.1:2375' }, actor);
    answer = () => Promise.reject(new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'Docker engine tcp://127.0.0.1:2375 is unreachable'));
    expect((await rejection(service.ping('p'))).code).toBe(ErrorCode.NODE_UNREACHABLE);
    answer = async () => ({ hello: 'world' });
    const e = await rejection(service.ping('p'));
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(e.message).toContain('does not look like a Docker engine');
    expect((await rejection(service.ping('unknown'))).code).toBe(ErrorCode.NOT_FOUND);
  });
});
