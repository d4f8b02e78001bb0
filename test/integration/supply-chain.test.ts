/**
 * Signed images on real parts: Debian's docker-registry (plain HTTP for pushes; TLS with htpasswd, and TLS with
 * token auth, over the same storage), notary-server (memory storage, local signer, TLS from a test CA), a
 * private dockerd, and the docker CLI pushing with Docker Content Trust and `docker trust signer add`.
 * Each case gives its own evidence: signed by an allowed delegation, unsigned, signed by a delegation that is
 * not allowed, re-tagged to another digest, expired timestamp (the collection clock moved past the server's
 * 14-day timestamp), tampered metadata (a proxy alters the signed timestamp: real signatures, checked by
 * Plimsoll's verifier), and a wrong CA refused by Plimsoll's own clients.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedNodeImagesCheck, signedRegistryImagesCheck } from '../../src/checks/supply-chain/signed-image-rules.js';
import { judgeImage } from '../../src/checks/supply-chain/trust-judgement.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { EngineInventoryCollector } from '../../src/collectors/engine-inventory.js';
import { RegistryCollector } from '../../src/collectors/registry-collector.js';
import { TrustCollector } from '../../src/collectors/trust-collector.js';
import { loadConfig } from '../../src/config/config.js';
import { ErrorCode } from '../../src/domain/errors.js';
import type { NodeFacts } from '../../src/domain/facts.js';
import type { DockerNode } from '../../src/domain/node.js';
import { type EnvironmentSupplyChain, staticSupplyChainSettings } from '../../src/domain/supply-chain.js';
import type { TrustFacts } from '../../src/domain/supply-chain-facts.js';
import { collectorParts } from '../../src/wiring/collector-parts.js';
import { dockerClientFactory } from '../../src/repositories/docker-client.js';
import { registryClientFactory } from '../../src/repositories/registry-client.js';
import { NotaryTrustClient } from '../../src/repositories/trust-client.js';
import { tempDir } from '../harness/content.js';
import { type ContentTrustCli, contentTrustCli } from '../harness/content-trust.js';
import { BUSYBOX_IMAGE, type PrivateDaemon } from '../harness/docker-daemon.js';
import { rejection } from '../harness/errors.js';
import { type ServerProcess, startRegistry } from '../harness/registry-servers.js';
import { startSupplyChainParts } from '../harness/supply-chain-parts.js';
import type { TlsMaterial } from '../harness/tls.js';
import { startTokenServer, type TokenServer } from '../harness/token-server.js';

let dir: string;
let tls: TlsMaterial;
let daemon: PrivateDaemon;
let plain: ServerProcess;
let basicRegistry: ServerProcess;
let tokenRegistry: ServerProcess;
let notary: ServerProcess;
let tokens: TokenServer;
let cli: ContentTrustCli;
let H: string;
const stops: (() => Promise<void>)[] = [];

const USER = 'plimsoll';
const PASSWORD = 'registry-test-password';

async function repoDigest(ref: string, repository: string): Promise<string> {
  const digests = JSON.parse(await cli.docker(['image', 'inspect', ref, '--format', '{{json .RepoDigests}}'])) as string[];
  const d = digests.find((x) => x.startsWith(`${repository}@`));
  if (d === undefined) throw new Error(`${ref} has no digest in ${repository}`);
  return d.slice(repository.length + 1);
}

beforeAll(async () => {
  dir = tempDir('plimsoll-supply-');
  const parts = await startSupplyChainParts(dir, { user: USER, password: PASSWORD }, stops);
  ({ tls, daemon, plain, notary, basicRegistry } = parts);
  const { storage, serverTls } = parts;
  tokens = await startTokenServer({ tls: serverTls, signing: { cert: tls.clientCert, key: tls.clientKey }, issuer: 'plimsoll-test-issuer', user: USER, password: PASSWORD });
  stops.push(() => tokens.stop());
  tokenRegistry = await startRegistry({ storageDir: storage, tls: serverTls, auth: { token: { realm: tokens.realm, service: 'plimsoll-registry', issuer: 'plimsoll-test-issuer', rootCertBundle: tls.ca } } });
  stops.push(() => tokenRegistry.stop());

  H = plain.host;
  cli = contentTrustCli(daemon, notary.url, dir);
  const alice = await cli.generateKey('alice');
  const bob = await cli.generateKey('bob');
  for (const [label, tag] of [['signed', 'signed:1.0'], ['unsigned', 'unsigned:1.0'], ['bob', 'bobsigned:1.0'], ['retag-a', 'retag:1.0'], ['retag-b', 'retag:other']]) {
    await cli.variant(BUSYBOX_IMAGE, label as string, `${H}/${tag as string}`);
  }
  await cli.addSigner('alice', alice, `${H}/signed`);
  await cli.docker(['push', `${H}/signed:1.0`], { trust: true });
  await cli.docker(['push', `${H}/unsigned:1.0`]);
  await cli.addSigner('bob', bob, `${H}/bobsigned`);
  await cli.docker(['push', `${H}/bobsigned:1.0`], { trust: true });
  // Re-tagged: 1.0 is signed for one digest, then pointed at other content and pushed without content trust.
  await cli.addSigner('alice', alice, `${H}/retag`);
  await cli.docker(['push', `${H}/retag:1.0`], { trust: true });
  await cli.docker(['tag', `${H}/retag:other`, `${H}/retag:1.0`]);
  await cli.docker(['push', `${H}/retag:1.0`]);
  for (const [name, image] of [['c-signed', `${H}/signed:1.0`], ['c-unsigned', `${H}/unsigned:1.0`], ['c-bob', `${H}/bobsigned:1.0`], ['c-retag', `${H}/retag:1.0`], ['c-local', BUSYBOX_IMAGE]]) {
    await cli.docker(['create', '--name', name as string, image as string]);
  }
}, 300_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function prod(overrides: Partial<EnvironmentSupplyChain> = {}): EnvironmentSupplyChain {
  return {
    environment: 'prod',
    registries: [{ name: 'local', host: H, url: plain.url, trustServer: 'notary' }],
    trustServers: [{ name: 'notary', url: notary.url, caPath: tls.ca }],
    allowedSigners: [{ role: 'targets/alice' }],
    ...overrides,
  };
}

function node(environment = 'prod'): DockerNode {
  return { id: 'node-1', name: 'node one', endpoint: daemon.endpoint, labels: {}, environment, createdAt: new Date().toISOString() };
}

async function collect(env: EnvironmentSupplyChain[], options: { now?: () => Date; environment?: string } = {}): Promise<NodeFacts> {
  const settings = staticSupplyChainSettings(env);
  const collector = new EngineCollector(dockerClientFactory({ timeoutMs: 10_000 }), {
    ...(options.now !== undefined ? { now: options.now } : {}),
    parts: [new EngineInventoryCollector(), new RegistryCollector(settings, registryClientFactory()), new TrustCollector(settings, new NotaryTrustClient())],
  });
  return collector.collect(node(options.environment));
}

function trustOf(facts: NodeFacts): TrustFacts {
  if (facts.trust?.status !== 'collected') throw new Error(`trust part: ${JSON.stringify(facts.trust)}`);
  return facts.trust.data;
}

/** container name → [verdict, result kind] of DKER-EE-003610's observations. */
function byContainer(facts: NodeFacts): Record<string, [string, unknown]> {
  const outcome = signedNodeImagesCheck.evaluate(facts);
  return Object.fromEntries(outcome.observations.map((o) => [o.target.name, [o.verdict, (o.value as { result?: unknown }).result]]));
}

describe('DKER-EE-003610 on a node with signed, unsigned, foreign-signed and re-tagged images', () => {
  let facts: NodeFacts;
  beforeAll(async () => {
    facts = await collect([prod()]);
  });

  it('resolves each container to its own repository and RepoDigest', async () => {
    const images = trustOf(facts).images;
    const signed = images.find((i) => i.containerName === 'c-signed');
    expect(signed).toMatchObject({ repository: `${H}/signed`, tag: '1.0', digest: await repoDigest(`${H}/signed:1.0`, `${H}/signed`) });
    expect(images.find((i) => i.containerName === 'c-local')?.problem?.kind).toBe('no-digest');
  });

  it('gives each case its own evidence', () => {
    expect(byContainer(facts)).toEqual({
      'c-signed': ['pass', 'signed'],
      'c-unsigned': ['fail', 'unsigned'],
      'c-bob': ['fail', 'unknown-signer'],
      'c-retag': ['fail', 'retagged'],
      'c-local': ['fail', 'no-digest'],
    });
    const outcome = signedNodeImagesCheck.evaluate(facts);
    expect(outcome.status).toBe('fail');
    const signed = outcome.observations.find((o) => o.target.name === 'c-signed');
    expect(signed?.value).toMatchObject({ result: 'signed', signedBy: [expect.objectContaining({ role: 'targets/alice', target: '1.0' })] });
    const bob = outcome.observations.find((o) => o.target.name === 'c-bob');
    expect(bob?.message).toMatch(/targets\/bob|targets\/releases/);
    const retag = outcome.observations.find((o) => o.target.name === 'c-retag');
    expect(retag?.message).toMatch(/re-pointed to unsigned content/);
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });

  it('passes when only allowed, signed images run, and follows the allowed signers', async () => {
    const onlySigned = { ...facts, containers: facts.containers.filter((c) => c.name === 'c-signed') };
    const trust = trustOf(facts);
    const narrowed: NodeFacts = { ...onlySigned, trust: { status: 'collected', data: { ...trust, images: trust.images.filter((i) => i.containerName === 'c-signed') } } };
    expect(signedNodeImagesCheck.evaluate(narrowed).status).toBe('pass');
    // Docker Content Trust's default (targets/releases) accepts bob's signature too.
    const lax = await collect([prod({ allowedSigners: [] })]);
    expect(byContainer(lax)['c-bob']).toEqual(['pass', 'signed']);
  });

  it('rejects trust data whose timestamp expired (checked as of the collection time)', async () => {
    const later = await collect([prod()], { now: () => new Date(Date.now() + 15 * 86_400_000) });
    const outcome = signedNodeImagesCheck.evaluate(later);
    const signed = outcome.observations.find((o) => o.target.name === 'c-signed');
    expect(signed?.verdict).toBe('fail');
    expect(signed?.value).toMatchObject({ result: 'invalid-trust-data', tufRule: 'expired', tufRole: 'timestamp' });
  });
});

describe('DKER-EE-004260 over the registry\'s tags', () => {
  it('judges every tag by its digest', async () => {
    const facts = await collect([prod()]);
    const outcome = signedRegistryImagesCheck.evaluate(facts);
    expect(outcome.status).toBe('fail');
    const byTag = Object.fromEntries(outcome.observations.map((o) => [o.target.name, (o.value as { result: string }).result]));
    expect(byTag).toEqual({ [`${H}/bobsigned:1.0`]: 'unknown-signer', [`${H}/retag:1.0`]: 'retagged', [`${H}/signed:1.0`]: 'signed', [`${H}/unsigned:1.0`]: 'unsigned' });
  });

  it('passes a registry holding only signed repositories', async () => {
    const facts = await collect([prod({ registries: [{ name: 'local', host: H, url: plain.url, trustServer: 'notary', repositories: ['signed'] }] })]);
    expect(signedRegistryImagesCheck.evaluate(facts)).toMatchObject({ status: 'pass' });
  });

  it('reads the registry through TLS with basic auth, under the host images use', async () => {
    const facts = await collect([prod({ registries: [{ name: 'basic', host: H, url: basicRegistry.url, caPath: tls.ca, credentials: { username: USER, password: PASSWORD }, trustServer: 'notary', repositories: ['signed'] }] })]);
    expect(facts.registries).toMatchObject({ status: 'collected', data: { registries: [{ status: 'collected', repositories: [{ name: 'signed', tags: [{ tag: '1.0' }] }] }] } });
    expect(signedRegistryImagesCheck.evaluate(facts).status).toBe('pass');
  });
});

describe('without a trust server', () => {
  it('leaves both rules manual, saying why', async () => {
    const facts = await collect([prod()], { environment: 'dev' });
    for (const check of [signedNodeImagesCheck, signedRegistryImagesCheck]) {
      const outcome = check.evaluate(facts);
      expect(outcome.status).toBe('not-checked');
      expect(outcome.message).toMatch(/No trust server is configured for environment dev/);
    }
  });
});

describe('Plimsoll\'s clients check the CA (the docker CLI does not on loopback)', () => {
  it('refuses a trust server whose certificate the configured CA did not sign', async () => {
    const facts = await collect([prod({ trustServers: [{ name: 'notary', url: notary.url, caPath: tls.otherCa }] })]);
    const repo = trustOf(facts).repositories[`${H}/signed`];
    expect(repo).toMatchObject({ status: 'failed' });
    expect(repo?.status === 'failed' ? repo.error : '').toMatch(/failed TLS verification/);
    const j = judgeImage(trustOf(facts), { repository: `${H}/signed`, tag: '1.0', digest: 'sha256:' + '0'.repeat(64) }, new Date());
    expect(j).toMatchObject({ verdict: 'error', kind: 'trust-server-failed' });
  });

  it('refuses a registry whose certificate the configured CA did not sign', async () => {
    const client = registryClientFactory()({ name: 'basic', host: H, url: basicRegistry.url, caPath: tls.otherCa, credentials: { username: USER, password: PASSWORD } });
    const e = await rejection(client.catalog(100));
    expect(e).toMatchObject({ code: ErrorCode.REGISTRY_TLS_FAILED });
    client.close();
  });
});

describe('tampered trust metadata', () => {
  it('fails the signature check when the served timestamp was altered', async () => {
    // A proxy in front of notary that bumps the timestamp's version inside `signed`, keeping the signature.
    const proxy = https.createServer({ cert: fs.readFileSync(tls.serverCert), key: fs.readFileSync(tls.serverKey) }, (req, res) => {
      const upstream = https.request(`${notary.url}${req.url ?? '/'}`, { ca: fs.readFileSync(tls.ca), headers: { accept: 'application/json' } }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if ((req.url ?? '').endsWith('/timestamp.json')) body = body.replace(/"version":(\d+)/, (_m, v: string) => `"version":${Number(v) + 100}`);
          res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/json' }).end(body);
        });
      });
      upstream.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const facts = await collect([prod({ trustServers: [{ name: 'notary', url, caPath: tls.ca }] })]);
      const signed = signedNodeImagesCheck.evaluate(facts).observations.find((o) => o.target.name === 'c-signed');
      expect(signed?.value).toMatchObject({ result: 'invalid-trust-data', tufRule: 'signature-threshold', tufRole: 'timestamp' });
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('registry client (Docker Registry HTTP API v2)', () => {
  it('lists the catalog and tags and reads manifest digests through token auth', async () => {
    const client = registryClientFactory()({ name: 'token', host: H, url: tokenRegistry.url, caPath: tls.ca, credentials: { username: USER, password: PASSWORD } });
    expect(await client.catalog(100)).toEqual(expect.arrayContaining(['signed', 'unsigned', 'bobsigned', 'retag']));
    expect(await client.tags('retag', 100)).toEqual(['1.0']);
    const before = tokens.issued();
    const m = await client.manifest('signed', '1.0');
    await client.manifest('signed', m.digest);
    expect(m.digest).toBe(await repoDigest(`${H}/signed:1.0`, `${H}/signed`));
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(tokens.issued() - before).toBeLessThanOrEqual(1);
    client.close();
  });

  it('refuses wrong credentials and missing repositories without echoing the registry\'s body', async () => {
    const wrong = registryClientFactory()({ name: 'basic', host: H, url: basicRegistry.url, caPath: tls.ca, credentials: { username: USER, password: 'wrong-password' } });
    const denied = await rejection(wrong.catalog(100));
    expect(denied).toMatchObject({ code: ErrorCode.REGISTRY_AUTH_FAILED });
    expect(denied.message).not.toMatch(/wrong-password|UNAUTHORIZED|authentication required/i);
    const none = registryClientFactory()({ name: 'token', host: H, url: tokenRegistry.url, caPath: tls.ca });
    expect(await rejection(none.catalog(100))).toMatchObject({ code: ErrorCode.REGISTRY_AUTH_FAILED });
    const ok = registryClientFactory()({ name: 'plain', host: H, url: plain.url });
    const missing = await rejection(ok.manifest('signed', 'no-such-tag'));
    expect(missing).toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(missing.message).not.toMatch(/MANIFEST_UNKNOWN|manifest unknown/i);
    for (const c of [wrong, none, ok]) c.close();
  });

  it('reads a manifest list (OCI index) with its platforms', async () => {
    const client = registryClientFactory()({ name: 'plain', host: H, url: plain.url });
    const a = await client.manifest('signed', '1.0');
    const b = await client.manifest('unsigned', '1.0');
    // Blobs must be in the repository: mount the manifests' repositories' content by pushing both images there.
    await cli.docker(['tag', `${H}/signed:1.0`, `${H}/multi:amd64`]);
    await cli.docker(['tag', `${H}/unsigned:1.0`, `${H}/multi:arm64`]);
    await cli.docker(['push', `${H}/multi:amd64`]);
    await cli.docker(['push', `${H}/multi:arm64`]);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: a.mediaType, digest: a.digest, size: a.size, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: b.mediaType, digest: b.digest, size: b.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${plain.url}/v2/multi/manifests/1.0`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } }, (res) => {
        res.resume();
        res.statusCode === 201 ? resolve() : reject(new Error(`PUT index answered ${res.statusCode}`));
      });
      req.end(index);
    });
    const list = await client.manifest('multi', '1.0');
    expect(list.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(list.manifests).toEqual([
      { digest: a.digest, mediaType: a.mediaType, platform: 'linux/amd64' },
      { digest: b.digest, mediaType: b.mediaType, platform: 'linux/arm64/v8' },
    ]);
    client.close();
  });
});

describe('configuration file → collectors (main.ts wiring)', () => {
  it('reads PLIMSOLL_SUPPLY_CHAIN_CONFIG and collects trust facts with it', async () => {
    const file = path.join(dir, 'supply-chain.yaml');
    fs.writeFileSync(
      file,
      [
        'environments:',
        '  prod:',
        `    trustServers: [{ name: notary, url: "${notary.url}", caFile: "${tls.ca}" }]`,
        `    registries: [{ name: basic, host: "${H}", url: "${basicRegistry.url}", caFile: "${tls.ca}", username: ${USER}, passwordEnv: TEST_REGISTRY_PASSWORD, trustServer: notary, repositories: [signed] }]`,
        '    allowedSigners: [{ role: targets/alice }]',
      ].join('\n'),
    );
    const config = loadConfig({}, { ...process.env, PLIMSOLL_SUPPLY_CHAIN_CONFIG: file, TEST_REGISTRY_PASSWORD: PASSWORD });
    const facts = await new EngineCollector(dockerClientFactory({ timeoutMs: 10_000 }), { parts: collectorParts({ ...config, hostFiles: {} }) }).collect(node());
    expect(signedRegistryImagesCheck.evaluate(facts).status).toBe('pass');
    expect(byContainer(facts)['c-signed']).toEqual(['pass', 'signed']);
    expect(JSON.stringify(facts)).not.toContain(PASSWORD);
  });
});
