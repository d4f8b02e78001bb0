/**
 * PLM-ENV-001 and PLM-ENV-002 on a private daemon, through the real collectors: the engine collector with the
 * engine inventory and the environment-policy part, the policy read from a real supply-chain file. The busybox
 * image is tagged for the production registry and for another host (`docker tag`, no push needed), containers
 * are created with and without the access label, and one runs an image known only by its id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { EngineInventoryCollector } from '../../src/collectors/engine-inventory.js';
import { EnvironmentPolicyCollector } from '../../src/collectors/environment-policy-collector.js';
import { checkFor } from '../../src/checks/registry.js';
import { loadSupplyChainConfig } from '../../src/config/supply-chain-config.js';
import { DEFAULT_ACCESS_LABEL_KEY, DEFAULT_PRODUCTION_ENVIRONMENTS } from '../../src/domain/environment-policy.js';
import type { NodeFacts } from '../../src/domain/facts.js';
import type { DockerNode } from '../../src/domain/node.js';
import { staticSupplyChainSettings } from '../../src/domain/supply-chain.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

const PROD_IMAGE = '127.0.0.1:5000/team/app:1';
const OTHER_IMAGE = 'otherhost:5000/x:1';
const LABEL = DEFAULT_ACCESS_LABEL_KEY;

describe('environment segregation checks on a private daemon', () => {
  let daemon: PrivateDaemon;
  let dir: string;
  let collector: EngineCollector;
  let node: DockerNode;

  const collect = (): Promise<NodeFacts> => collector.collect(node);

  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    await daemon.docker(['tag', BUSYBOX_IMAGE, PROD_IMAGE]);
    await daemon.docker(['tag', BUSYBOX_IMAGE, OTHER_IMAGE]);
    dir = tempDir('plimsoll-envchecks-');
    const file = path.join(dir, 'supply-chain.yaml');
    fs.writeFileSync(file, [
      'environments:',
      '  prod:',
      '    registries:',
      '      - { name: prod, host: "127.0.0.1:5000", url: "http://127.0.0.1:5000" }',
      '    collections: ["/prod", "/Shared/prod/*"]',
      '',
    ].join('\n'));
    const problems: string[] = [];
    const environments = loadSupplyChainConfig(file, {}, dir, problems);
    expect(problems).toEqual([]);
    expect(environments[0]?.collections).toEqual(['/prod', '/Shared/prod/*']);
    const policy = new EnvironmentPolicyCollector(staticSupplyChainSettings(environments), { productionEnvironments: DEFAULT_PRODUCTION_ENVIRONMENTS, accessLabelKey: LABEL });
    node = { id: 'node-prod', name: 'prod-1', endpoint: daemon.endpoint, labels: {}, environment: 'prod', createdAt: '2026-01-01T00:00:00.000Z' };
    collector = new EngineCollector((n) => createDockerClient(n), { parts: [new EngineInventoryCollector(), policy] });
  });
  afterAll(async () => {
    await daemon?.stop();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes containers from the production registry, each in a production collection', async () => {
    await daemon.docker(['create', '--network', 'none', '--name', 'web', '--label', `${LABEL}=/prod`, PROD_IMAGE]);
    await daemon.docker(['create', '--network', 'none', '--name', 'api', '--label', `${LABEL}=/Shared/prod/api`, PROD_IMAGE]);
    const facts = await collect();
    expect(facts.environmentPolicy).toMatchObject({ status: 'collected', data: { environment: 'prod', production: true, registryHosts: ['127.0.0.1:5000'], collections: ['/prod', '/Shared/prod/*'] } });
    expect(checkFor('PLM-ENV-001')!.evaluate(facts)).toMatchObject({ status: 'pass' });
    expect(checkFor('PLM-ENV-002')!.evaluate(facts)).toMatchObject({ status: 'pass' });
  });

  it('fails an image from another registry host and a container without the label, naming each', async () => {
    await daemon.docker(['create', '--network', 'none', '--name', 'rogue', '--label', `${LABEL}=/prod`, OTHER_IMAGE]);
    await daemon.docker(['create', '--network', 'none', '--name', 'unlabelled', PROD_IMAGE]);
    const facts = await collect();
    const registries = checkFor('PLM-ENV-001')!.evaluate(facts);
    expect(registries.status).toBe('fail');
    expect(registries.observations.filter((o) => o.verdict === 'fail').map((o) => [o.target.name, o.field, o.value])).toEqual([['rogue', 'Config.Image', OTHER_IMAGE]]);
    const labels = checkFor('PLM-ENV-002')!.evaluate(facts);
    expect(labels.status).toBe('fail');
    expect(labels.observations.filter((o) => o.verdict === 'fail').map((o) => [o.target.name, o.field, o.value])).toEqual([['unlabelled', `Config.Labels["${LABEL}"]`, null]]);
    await daemon.docker(['rm', 'rogue', 'unlabelled']);
  });

  it('an image known only by its id, with no RepoTags or RepoDigests, is an error, never a pass', async () => {
    // `docker commit` without a repository name makes an image with neither.
    await daemon.docker(['create', '--network', 'none', '--name', 'source', PROD_IMAGE]);
    const id = (await daemon.docker(['commit', 'source'])).trim();
    await daemon.docker(['rm', 'source']);
    await daemon.docker(['create', '--network', 'none', '--name', 'byid', '--label', `${LABEL}=/prod`, id]);
    const facts = await collect();
    const image = facts.engine?.status === 'collected' ? facts.engine.data.images.find((i) => i.Id === id) : undefined;
    expect(image, 'the committed image').toBeDefined();
    expect([image!.RepoTags ?? [], image!.RepoDigests ?? []]).toEqual([[], []]);
    const outcome = checkFor('PLM-ENV-001')!.evaluate(facts);
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/byid: its image sha256:[0-9a-f]{64} is known only by its digest/);
    // The label rule still decides it: the container is in a production collection.
    expect(checkFor('PLM-ENV-002')!.evaluate(facts).status).toBe('pass');
  });
});
