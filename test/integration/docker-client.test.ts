import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../fixtures/principals.js';
import { ErrorCode, PlimsollError } from '../../src/domain/errors.js';
import { DockerNodeService } from '../../src/nodes/node-service.js';
import { detectLocalEngine, tlsFromCertPath } from '../../src/nodes/local-engine.js';
import { openDatabase, type Db } from '../../src/repositories/database/database.js';
import { createDockerClient, dockerClientFactory } from '../../src/repositories/docker-client.js';
import { KyselyNodeRepository } from '../../src/repositories/node-repository.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { freeTcpPort, makeTlsMaterial, sealedTls, TEST_SECRET_BOX, tlsContent, type TlsMaterial } from '../harness/tls.js';

/** Awaits a promise that must reject with a PlimsollError, and returns that error. */
async function failure(p: Promise<unknown>): Promise<PlimsollError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').toBeInstanceOf(PlimsollError);
  return e as PlimsollError;
}

describe('DockerClient against a private daemon (unix socket and tcp with mutual TLS)', () => {
  let daemon: PrivateDaemon;
  let tls: TlsMaterial;
  let tmp: string;
  let tcpEndpoint: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-docker-client-'));
    tls = await makeTlsMaterial(path.join(tmp, 'tls'));
    const port = await freeTcpPort();
    daemon = await startDockerDaemon({ tcpTls: { port, serverTls: tls.serverTls, clientTls: tls.clientTls } });
    tcpEndpoint = daemon.tcpEndpoint!;
    await importBusyboxImage(daemon);
    await daemon.docker(['run', '-d', '--network', 'none', '--name', 'running-one', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '--network', 'none', '--name', 'exited-one', BUSYBOX_IMAGE, 'true']);
  });
  afterAll(async () => {
    await daemon?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads version, info and containers over the unix socket', async () => {
    const client = createDockerClient({ endpoint: daemon.endpoint });
    await client.ping();
    const version = await client.version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    expect(typeof version.Version).toBe('string');
    const info = await client.info();
    expect(info.Containers).toBe(2);
    expect(info.ContainersRunning).toBe(1);
    const all = await client.listContainers({ all: true });
    expect(all.map((c) => (c.Names as string[])[0]).sort()).toEqual(['/exited-one', '/running-one']);
    expect(await client.listContainers({ all: false })).toHaveLength(1);
    const inspect = await client.inspectContainer(String(all[0]!.Id));
    expect(inspect.HostConfig).toBeTypeOf('object');
    expect(inspect.Id).toBe(all[0]!.Id);
  });

  it('answers NOT_FOUND for a container that does not exist', async () => {
    const e = await failure(createDockerClient({ endpoint: daemon.endpoint }).inspectContainer('0123456789ab-no-such'));
    expect(e.code).toBe(ErrorCode.NOT_FOUND);
    expect(e.message).toContain(daemon.endpoint);
  });

  it('talks mutual TLS on tcp://127.0.0.1 with the client certificate', async () => {
    const client = createDockerClient({ endpoint: tcpEndpoint, tls: sealedTls(tls.clientTls) }, { secrets: TEST_SECRET_BOX });
    const version = await client.version();
    expect(version.Version).toBe((await createDockerClient({ endpoint: daemon.endpoint }).version()).Version);
    expect(await client.listContainers()).toHaveLength(2);
  });

  it('fails with NODE_TLS_FAILED when the server certificate is checked against the wrong CA', async () => {
    const client = createDockerClient({ endpoint: tcpEndpoint, tls: sealedTls({ ...tls.clientTls, caPath: tls.otherCa }) }, { secrets: TEST_SECRET_BOX });
    const e = await failure(client.version());
    if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_TLS_FAILED);
    expect(e.message).toContain(tcpEndpoint);
    expect(e.message).toContain('not trusted');
  });

  it('fails with NODE_TLS_FAILED when the daemon rejects a client certificate of another CA', async () => {
    const client = createDockerClient({ endpoint: tcpEndpoint, tls: sealedTls({ caPath: tls.ca, certPath: tls.otherClientCert, keyPath: tls.otherClientKey }) }, { secrets: TEST_SECRET_BOX });
    const e = await failure(client.version());
    if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_TLS_FAILED);
    expect(e.message).toContain(tcpEndpoint);
    expect(e.message).toContain('rejected the client certificate');
  });

  it('fails with NODE_TLS_FAILED when a TLS port is spoken to in plain HTTP', async () => {
    const e = await failure(createDockerClient({ endpoint: tcpEndpoint }).version());
    if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_TLS_FAILED);
    expect(e.message).toContain(tcpEndpoint);
  });

  it('fails with NODE_TLS_FAILED when TLS is spoken to a plain HTTP server', async () => {
    const plain = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    const endpoint = `tcp://127.0.0.1:${(plain.address() as net.AddressInfo).port}`;
    try {
      const e = await failure(createDockerClient({ endpoint, tls: sealedTls(tls.clientTls) }, { secrets: TEST_SECRET_BOX }).version());
      if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
      expect(e.code).toBe(ErrorCode.NODE_TLS_FAILED);
      expect(e.message).toContain(endpoint);
    } finally {
      plain.closeAllConnections();
      await new Promise((r) => plain.close(r));
    }
  });

  it('opens a sealed key only with the secret key, and never reads the files of a node registered with paths', async () => {
    const withoutKey = await failure(createDockerClient({ endpoint: tcpEndpoint, tls: sealedTls(tls.clientTls) }).version());
    expect(withoutKey.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(withoutKey.message).toContain('PLIMSOLL_SECRET_KEY');
    const legacy = await failure(createDockerClient({ endpoint: tcpEndpoint, tls: { kind: 'legacy-files', ...tls.clientTls } }, { secrets: TEST_SECRET_BOX }).info());
    expect(legacy.code).toBe(ErrorCode.NODE_TLS_FAILED);
    expect(legacy.message).toContain('register the node again');
  });


  it('fails with NODE_UNREACHABLE for a socket path where nothing listens', async () => {
    const endpoint = `unix://${path.join(tmp, 'no-such.sock')}`;
    const e = await failure(createDockerClient({ endpoint }).version());
    if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(e.message).toContain(endpoint);
    expect(e.message).toContain('ENOENT');
  });

  it('fails with NODE_UNREACHABLE for a closed port', async () => {
    const endpoint = `tcp://127.0.0.1:${await freeTcpPort()}`;
    const e = await failure(createDockerClient({ endpoint }).version());
    if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(e.message).toContain(endpoint);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('fails with NODE_UNREACHABLE when the engine does not answer within the timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const endpoint = `tcp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const started = Date.now();
      const e = await failure(createDockerClient({ endpoint }, { timeoutMs: 300 }).info());
      expect(Date.now() - started).toBeLessThan(5_000);
      if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
      expect(e.message).toContain(endpoint);
      expect(e.message).toContain('300 ms');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });

  it('detects the local engine from DOCKER_HOST and DOCKER_CERT_PATH, and nothing where none answers', async () => {
    expect(await detectLocalEngine({ dockerHost: daemon.endpoint })).toBe(daemon.endpoint);
    const certDir = path.join(tmp, 'cert-path');
    fs.mkdirSync(certDir);
    fs.copyFileSync(tls.ca, path.join(certDir, 'ca.pem'));
    fs.copyFileSync(tls.clientCert, path.join(certDir, 'cert.pem'));
    fs.copyFileSync(tls.clientKey, path.join(certDir, 'key.pem'));
    const clients = dockerClientFactory({ timeoutMs: 5_000, secrets: TEST_SECRET_BOX });
    const paths = tlsFromCertPath(certDir);
    expect(await detectLocalEngine({ dockerHost: tcpEndpoint, tls: sealedTls(paths) }, { clients })).toBe(tcpEndpoint);
    expect(await detectLocalEngine({ dockerHost: tcpEndpoint })).toBeUndefined();
    const absent = `unix://${path.join(tmp, 'absent.sock')}`;
    expect(await detectLocalEngine({}, { defaultEndpoint: absent })).toBeUndefined();
    expect(await detectLocalEngine({}, { defaultEndpoint: daemon.endpoint })).toBe(daemon.endpoint);
  });

  describe('node service on a real SQLite database', () => {
    let db: Db;
    let service: DockerNodeService;
    beforeAll(async () => {
      db = await openDatabase(path.join(tmp, 'db', 'plimsoll.sqlite'));
      service = new DockerNodeService(new KyselyNodeRepository(db), dockerClientFactory({ timeoutMs: 5_000, secrets: TEST_SECRET_BOX }), { secrets: TEST_SECRET_BOX });
    });
    afterAll(async () => db?.destroy());

    it('registers, lists, finds, pings and removes nodes', async () => {
      const local = await service.register({ name: 'local', endpoint: daemon.endpoint, labels: { site: 'lab' } }, LOCAL_CLI_PRINCIPAL);
      const remote = await service.register({ name: 'remote', endpoint: `${tcpEndpoint}/`, tls: tlsContent(tls.clientTls), environment: 'test' }, LOCAL_CLI_PRINCIPAL);
      expect((await service.list()).map((n) => n.name)).toEqual(['local', 'remote']);
      expect((await service.find(local.id))?.name).toBe('local');
      expect((await service.find('remote'))?.tls).toMatchObject({ kind: 'sealed', caPem: fs.readFileSync(tls.ca, 'utf8') });
      expect((await service.find(daemon.endpoint))?.id).toBe(local.id);
      // Registered as `tcp://127.0.0.1:PORT/`, stored and found in the canonical spelling.
      expect(remote.endpoint).toBe(tcpEndpoint);
      expect((await service.find(tcpEndpoint))?.id).toBe(remote.id);

      const pongs = await Promise.all([service.ping('local'), service.ping(remote.id)]);
      expect(pongs[0]).toEqual(pongs[1]);
      expect(pongs[0]!.apiVersion).toMatch(/^1\.\d+$/);
      expect(pongs[0]!.serverVersion).toMatch(/^\d+\.\d+/);

      const dupe = await failure(service.register({ name: 'again', endpoint: daemon.endpoint }, LOCAL_CLI_PRINCIPAL));
      expect(dupe.code).toBe(ErrorCode.CONFLICT);

      await service.remove('remote', LOCAL_CLI_PRINCIPAL);
      expect(await service.find('remote')).toBeUndefined();
      expect((await failure(service.ping('remote'))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await failure(service.remove('remote', LOCAL_CLI_PRINCIPAL))).code).toBe(ErrorCode.NOT_FOUND);
    });

    it('pings an unreachable node with NODE_UNREACHABLE', async () => {
      const endpoint = `unix://${path.join(tmp, 'gone.sock')}`;
      await service.register({ name: 'gone', endpoint }, LOCAL_CLI_PRINCIPAL);
      const e = await failure(service.ping('gone'));
      if (process.env.PLIMSOLL_SHOW_ERRORS) console.log(e.message);
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
      expect(e.message).toContain(endpoint);
    });
  });
});
