import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject } from '../../../src/domain/facts.js';
import type { NodeInput } from '../../../src/domain/node.js';
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

  it('stores TLS paths as absolute paths and reads them back', async () => {
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) fs.writeFileSync(path.join(tmp, f), '-----BEGIN X-----\n');
    const rel = path.relative(process.cwd(), tmp);
    const node = await service.register(
      { name: 'tls', endpoint: 'tcp://10.0.0.1:2376', tls: { caPath: path.join(rel, 'ca.pem'), certPath: path.join(tmp, 'cert.pem'), keyPath: path.join(tmp, 'key.pem') } },
      actor,
    );
    expect(node.tls).toEqual({ caPath: path.join(tmp, 'ca.pem'), certPath: path.join(tmp, 'cert.pem'), keyPath: path.join(tmp, 'key.pem') });
    expect((await service.find('tls'))?.tls).toEqual(node.tls);
  });

  it.each<[string, NodeInput, string]>([
    ['an unknown scheme', { name: 'a', endpoint: 'http://host:2375' }, '/endpoint'],
    ['ssh', { name: 'a', endpoint: 'ssh://user@host' }, '/endpoint'],
    ['a tcp endpoint without port', { name: 'a', endpoint: 'tcp://host' }, '/endpoint'],
    ['a relative socket path', { name: 'a', endpoint: 'unix://docker.sock' }, '/endpoint'],
    ['an empty name', { name: '  ', endpoint: 'unix:///var/run/docker.sock' }, '/name'],
    ['a name that looks like an endpoint', { name: 'unix:///x', endpoint: 'unix:///var/run/docker.sock' }, '/name'],
    ['TLS on a unix socket', { name: 'a', endpoint: 'unix:///var/run/docker.sock', tls: { caPath: '/etc/hostname', certPath: '/etc/hostname', keyPath: '/etc/hostname' } }, '/tls'],
    ['an unreadable TLS file', { name: 'a', endpoint: 'tcp://h:2376', tls: { caPath: '/nonexistent/ca.pem', certPath: '/etc/hostname', keyPath: '/etc/hostname' } }, '/tls/caPath'],
    ['a non-string label', { name: 'a', endpoint: 'tcp://h:2376', labels: { n: 1 as unknown as string } }, '/labels/n'],
  ])('rejects %s with BAD_INPUT', async (_what, input, pointer) => {
    const e = await rejection(service.register(input, actor));
    expect(e.code).toBe(ErrorCode.BAD_INPUT);
    expect(e.problems.map((p) => p.pointer)).toContain(pointer);
    expect(await service.list()).toEqual([]);
  });

  it('names the unreadable TLS file', async () => {
    const e = await rejection(service.register({ name: 'a', endpoint: 'tcp://h:2376', tls: { caPath: '/nonexistent/ca.pem', certPath: '/etc/hostname', keyPath: '/etc/hostname' } }, actor));
    expect(e.message).toContain('/nonexistent/ca.pem');
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
