/**
 * Trust verification of 200 images: a private notary-server (test/harness/registry-servers.ts, TLS from a
 * test CA) holding 200 repositories, each signed with the `notary` CLI (one target per repository, so every
 * image costs its own GUN: the worst case); a node whose 200 containers run those images. Measured in this
 * process:
 *
 *   cold  TrustCollector.collect with an empty cache (timestamp, snapshot, root, targets per GUN) plus
 *         DKER-EE-003610 (full TUF verification of 200 repositories, then the digest lookups)
 *   warm  the same with the client's cache warm (one timestamp fetch per GUN), median of 5
 *
 *   node dist/bench/trust.bench.js
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { signedNodeImagesCheck } from '../src/checks/supply-chain/signed-image-rules.js';
import { mapBounded } from '../src/collectors/bounded.js';
import { TrustCollector } from '../src/collectors/trust-collector.js';
import type { ContainerFacts, NodeFacts } from '../src/domain/facts.js';
import type { DockerNode } from '../src/domain/node.js';
import { staticSupplyChainSettings } from '../src/domain/supply-chain.js';
import type { DockerClient } from '../src/repositories/docker-client.js';
import { NotaryTrustClient } from '../src/repositories/trust-client.js';
import { startNotaryServer } from '../test/harness/registry-servers.js';
import { makeTlsMaterial } from '../test/harness/tls.js';

const run = promisify(execFile);
const HOST = '127.0.0.1:5000';

export interface TrustMeasure {
  images: number;
  coldMs: number;
  warmMs: number;
  passed: number;
}

async function signAll(notaryUrl: string, ca: string, dir: string, count: number, log: (l: string) => void): Promise<string[]> {
  const env = { ...process.env, NOTARY_ROOT_PASSPHRASE: 'bench-root-passphrase', NOTARY_TARGETS_PASSPHRASE: 'bench-targets-passphrase', NOTARY_SNAPSHOT_PASSPHRASE: 'bench-snapshot-passphrase' };
  const digests: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `image-${i}.json`);
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 2, bench: i }));
    digests.push(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  }
  const started = Date.now();
  // Four trust directories, so four notary CLIs can sign at once without sharing a key store.
  await mapBounded([...Array(count).keys()], 4, async (i) => {
    const trustDir = path.join(dir, `trust-${i % 4}`);
    const base = ['-s', notaryUrl, '-d', trustDir, '--tlscacert', ca];
    const gun = `${HOST}/bench/app-${i}`;
    await run('notary', [...base, 'init', gun], { env });
    await run('notary', [...base, 'add', '-p', gun, '1.0', path.join(dir, `image-${i}.json`)], { env });
  });
  log(`  signed ${count} repositories in ${Date.now() - started} ms`);
  return digests;
}

function nodeFacts(digests: readonly string[]): NodeFacts {
  const containers: ContainerFacts[] = digests.map((_, i) => ({ id: `c${i}`, name: `app-${i}`, image: `${HOST}/bench/app-${i}:1.0`, inspect: { Id: `c${i}`, Image: `sha256:${i}`, Config: { Image: `${HOST}/bench/app-${i}:1.0` } } }));
  const images = digests.map((d, i) => ({ Id: `sha256:${i}`, RepoDigests: [`${HOST}/bench/app-${i}@sha256:${d}`], RepoTags: [`${HOST}/bench/app-${i}:1.0`] }));
  return {
    nodeId: 'bench',
    nodeName: 'bench',
    endpoint: 'unix:///bench',
    collectedAt: new Date().toISOString(),
    version: {},
    info: {},
    containers,
    engine: { status: 'collected', data: { images, networks: [], volumes: [], plugins: [], processes: {} } },
  };
}

/** Signs `count` repositories on a private notary-server and measures verification cold and warm. */
export async function benchTrust(count: number, log: (line: string) => void): Promise<TrustMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-trust-bench-'));
  const tls = await makeTlsMaterial(path.join(dir, 'tls'));
  const notary = await startNotaryServer({ tls: { cert: tls.serverCert, key: tls.serverKey } });
  try {
    const digests = await signAll(notary.url, tls.ca, dir, count, log);
    const settings = staticSupplyChainSettings([
      { environment: 'bench', registries: [{ name: 'bench', host: HOST, url: `http://${HOST}`, trustServer: 'notary' }], trustServers: [{ name: 'notary', url: notary.url, caPath: tls.ca }], allowedSigners: [] },
    ]);
    const client = new NotaryTrustClient();
    const collector = new TrustCollector(settings, client);
    const node: DockerNode = { id: 'bench', name: 'bench', endpoint: 'unix:///bench', labels: {}, environment: 'bench', createdAt: new Date().toISOString() };
    const once = async (): Promise<{ ms: number; passed: number }> => {
      const base = nodeFacts(digests);
      const t0 = performance.now();
      const trust = await collector.collect(node, undefined as unknown as DockerClient, base);
      const outcome = signedNodeImagesCheck.evaluate({ ...base, trust });
      const ms = performance.now() - t0;
      return { ms, passed: outcome.observations.filter((o) => o.verdict === 'pass').length };
    };
    const cold = await once();
    const warm: number[] = [];
    let passed = cold.passed;
    for (let i = 0; i < 5; i++) {
      const w = await once();
      warm.push(w.ms);
      passed = Math.min(passed, w.passed);
    }
    client.close();
    warm.sort((a, b) => a - b);
    return { images: count, coldMs: Math.round(cold.ms), warmMs: Math.round(warm[2] as number), passed };
  } finally {
    await notary.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
