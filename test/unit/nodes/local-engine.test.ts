import { describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { NodeTls } from '../../../src/domain/node.js';
import { DEFAULT_DOCKER_SOCKET_ENDPOINT, detectLocalEngine, tlsFromCertPath } from '../../../src/nodes/local-engine.js';
import type { DockerClient, DockerClientFactory } from '../../../src/repositories/docker-client.js';

/** A factory whose clients answer ping only for `answering` endpoints; records what was tried. */
function fakeClients(answering: string[]) {
  const tried: { endpoint: string; tls?: NodeTls }[] = [];
  const factory: DockerClientFactory = (node) => {
    tried.push(node.tls ? { endpoint: node.endpoint, tls: node.tls } : { endpoint: node.endpoint });
    const unexpected = () => Promise.reject(new Error('unexpected call'));
    const client: DockerClient = {
      endpoint: node.endpoint,
      ping: async () => {
        if (!answering.includes(node.endpoint)) throw new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${node.endpoint} is unreachable`);
      },
      version: unexpected,
      info: unexpected,
      listContainers: unexpected,
      inspectContainer: unexpected,
      request: unexpected,
    };
    return client;
  };
  return { factory, tried };
}

describe('detectLocalEngine', () => {
  it('uses DOCKER_HOST when it answers', async () => {
    const { factory, tried } = fakeClients(['tcp://10.0.0.5:2375']);
    expect(await detectLocalEngine({ dockerHost: 'tcp://10.0.0.5:2375' }, { clients: factory })).toBe('tcp://10.0.0.5:2375');
    expect(tried).toEqual([{ endpoint: 'tcp://10.0.0.5:2375' }]);
  });

  it('does not fall back to the default socket when DOCKER_HOST does not answer', async () => {
    const { factory, tried } = fakeClients([DEFAULT_DOCKER_SOCKET_ENDPOINT]);
    expect(await detectLocalEngine({ dockerHost: 'unix:///elsewhere.sock' }, { clients: factory })).toBeUndefined();
    expect(tried.map((t) => t.endpoint)).toEqual(['unix:///elsewhere.sock']);
  });

  it('tries the default socket without DOCKER_HOST', async () => {
    expect(await detectLocalEngine({}, { clients: fakeClients([DEFAULT_DOCKER_SOCKET_ENDPOINT]).factory })).toBe(DEFAULT_DOCKER_SOCKET_ENDPOINT);
    expect(await detectLocalEngine({ dockerHost: '' }, { clients: fakeClients([]).factory })).toBeUndefined();
  });

  it('uses the TLS material of DOCKER_CERT_PATH for a tcp DOCKER_HOST only', async () => {
    const tls: NodeTls = { kind: 'sealed', caPem: 'ca', certPem: 'cert', keySealed: 'v1:sealed' };
    expect(tlsFromCertPath('/certs')).toEqual({ caPath: '/certs/ca.pem', certPath: '/certs/cert.pem', keyPath: '/certs/key.pem' });
    const tcp = fakeClients(['tcp://h:2376']);
    await detectLocalEngine({ dockerHost: 'tcp://h:2376', tls }, { clients: tcp.factory });
    expect(tcp.tried).toEqual([{ endpoint: 'tcp://h:2376', tls }]);
    const unix = fakeClients([]);
    await detectLocalEngine({ dockerHost: 'unix:///s.sock', tls }, { clients: unix.factory });
    expect(unix.tried).toEqual([{ endpoint: 'unix:///s.sock' }]);
  });

  it('treats an invalid DOCKER_HOST as no engine, with the real client', async () => {
    expect(await detectLocalEngine({ dockerHost: 'tcp://no-port' })).toBeUndefined();
  });
});
