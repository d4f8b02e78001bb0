/**
 * PLM-ENV-001 and PLM-ENV-002 on recorded container inspections, with the environment part made by the real
 * collector from supply-chain settings: each verdict, and the evidence naming container, field and value.
 */
import { describe, expect, it } from 'vitest';
import { EnvironmentPolicyCollector, normalizeRegistryHost } from '../../../../src/collectors/environment-policy-collector.js';
import { checkFor } from '../../../../src/checks/registry.js';
import { DEFAULT_ACCESS_LABEL_KEY, DEFAULT_PRODUCTION_ENVIRONMENTS, collectionMatches } from '../../../../src/domain/environment-policy.js';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../../src/domain/facts.js';
import type { DockerNode } from '../../../../src/domain/node.js';
import { staticSupplyChainSettings, type EnvironmentSupplyChain } from '../../../../src/domain/supply-chain.js';
import { nodeFacts, recordedContainer } from '../facts-helpers.js';

const REGISTRY = 'registry.prod.example.mil:5000';
const envs: EnvironmentSupplyChain[] = [
  { environment: 'prod', registries: [{ name: 'prod', host: REGISTRY, url: `https://${REGISTRY}` }], trustServers: [], allowedSigners: [], collections: ['/prod', '/Shared/prod/*'] },
  { environment: 'dev', registries: [{ name: 'hub', host: 'index.docker.io', url: 'https://index.docker.io' }], trustServers: [], allowedSigners: [] },
  { environment: 'production', registries: [], trustServers: [], allowedSigners: [] },
];
const collector = new EnvironmentPolicyCollector(staticSupplyChainSettings(envs), { productionEnvironments: DEFAULT_PRODUCTION_ENVIRONMENTS, accessLabelKey: DEFAULT_ACCESS_LABEL_KEY });
const IMAGE_ID = `sha256:${'c'.repeat(64)}`;

function container(name: string, image: string, labels: Record<string, string> | null = {}): ContainerFacts {
  const c = recordedContainer('hardened');
  const config = c.inspect.Config as ApiObject;
  config.Image = image;
  config.Labels = labels;
  c.inspect.Image = IMAGE_ID;
  return { ...c, id: `${name}${'0'.repeat(64 - name.length)}`, name, image };
}

async function factsOn(environment: string | undefined, containers: ContainerFacts[], images: ApiObject[] = []): Promise<NodeFacts> {
  const node: DockerNode = { id: 'n1', name: 'node-1', endpoint: 'unix:///var/run/docker.sock', labels: {}, createdAt: '2026-01-01T00:00:00.000Z', ...(environment !== undefined ? { environment } : {}) };
  return {
    ...nodeFacts(containers),
    environmentPolicy: await collector.collect(node),
    engine: { status: 'collected', data: { images, networks: [], volumes: [], plugins: [], processes: {} } },
  };
}

const env001 = checkFor('PLM-ENV-001')!;
const env002 = checkFor('PLM-ENV-002')!;

describe('PLM-ENV-001: images from the environment\'s registries only', () => {
  it('fails a container whose image comes from another registry host, naming container, field and value', async () => {
    const facts = await factsOn('prod', [container('web', `${REGISTRY}/team/web:1.2`), container('rogue', 'otherhost:5000/x:latest')]);
    const out = env001.evaluate(facts);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('1 of 2 containers run images from outside environment prod');
    expect(out.observations.find((o) => o.target.name === 'rogue')).toMatchObject({ field: 'Config.Image', value: 'otherhost:5000/x:latest', verdict: 'fail' });
    expect(out.observations.find((o) => o.target.name === 'web')).toMatchObject({ field: 'Config.Image', verdict: 'pass' });
  });

  it('normalises Docker Hub names: busybox is docker.io, which index.docker.io configures', async () => {
    expect(normalizeRegistryHost('index.docker.io')).toBe('docker.io');
    expect(env001.evaluate(await factsOn('dev', [container('a', 'busybox'), container('b', 'docker.io/library/alpine:3')])).status).toBe('pass');
    expect(env001.evaluate(await factsOn('prod', [container('a', 'busybox')])).status).toBe('fail');
  });

  it('traces a container created from an image id to the image\'s references; an image known only by digest is an error', async () => {
    const traced = await factsOn('prod', [container('byid', IMAGE_ID.slice(7))], [{ Id: IMAGE_ID, RepoTags: [], RepoDigests: [`${REGISTRY}/team/web@sha256:${'d'.repeat(64)}`] }]);
    expect(env001.evaluate(traced)).toMatchObject({ status: 'pass', observations: [{ field: 'Image.RepoTags, Image.RepoDigests', verdict: 'pass' }] });
    const anonymous = await factsOn('prod', [container('byid', IMAGE_ID)], [{ Id: IMAGE_ID, RepoTags: [], RepoDigests: [] }]);
    const out = env001.evaluate(anonymous);
    expect(out.status).toBe('error');
    expect(out.message).toContain('known only by its digest');
  });

  it('is not-checked, saying why, where the environment configures no registries; error without the part', async () => {
    const none = env001.evaluate(await factsOn('production', [container('web', 'busybox')]));
    expect(none.status).toBe('not-checked');
    expect(none.message).toContain('No registries are configured for environment production');
    expect(env001.evaluate(nodeFacts([container('web', 'busybox')])).status).toBe('error');
  });
});

describe('PLM-ENV-002: production containers in a collection of their environment', () => {
  it('passes labels naming a collection of the environment; fails a missing label and another environment\'s collection', async () => {
    const ok = await factsOn('prod', [container('a', 'x', { [DEFAULT_ACCESS_LABEL_KEY]: '/prod' }), container('b', 'x', { [DEFAULT_ACCESS_LABEL_KEY]: '/Shared/prod/web' })]);
    expect(env002.evaluate(ok).status).toBe('pass');
    const bad = await factsOn('prod', [container('a', 'x', { [DEFAULT_ACCESS_LABEL_KEY]: '/Shared/dev/web' }), container('b', 'x', null), container('c', 'x', { other: 'y' })]);
    const out = env002.evaluate(bad);
    expect(out.status).toBe('fail');
    expect(out.observations.map((o) => [o.target.name, o.field, o.value, o.verdict])).toEqual([
      ['a', `Config.Labels["${DEFAULT_ACCESS_LABEL_KEY}"]`, '/Shared/dev/web', 'fail'],
      ['b', `Config.Labels["${DEFAULT_ACCESS_LABEL_KEY}"]`, null, 'fail'],
      ['c', `Config.Labels["${DEFAULT_ACCESS_LABEL_KEY}"]`, null, 'fail'],
    ]);
  });

  it('is not-applicable off production, not-checked where production configures no collections', async () => {
    expect(env002.evaluate(await factsOn('dev', [container('a', 'x')])).status).toBe('not-applicable');
    expect(env002.evaluate(await factsOn(undefined, [container('a', 'x')])).status).toBe('not-applicable');
    const out = env002.evaluate(await factsOn('production', [container('a', 'x')]));
    expect(out.status).toBe('not-checked');
    expect(out.message).toContain('No collections are configured for production environment production');
  });

  it('reads collection patterns as exact paths or, with /*, the collections below', () => {
    expect(collectionMatches('/prod', '/prod')).toBe(true);
    expect(collectionMatches('/prod/x', '/prod')).toBe(false);
    expect(collectionMatches('/Shared/prod/a/b', '/Shared/prod/*')).toBe(true);
    expect(collectionMatches('/Shared/prod', '/Shared/prod/*')).toBe(false);
    expect(collectionMatches('/Shared/production/a', '/Shared/prod/*')).toBe(false);
  });
});
