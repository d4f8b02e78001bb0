import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssetFacts } from '../../../src/domain/asset.js';
import { LOCAL_CLI_PRINCIPAL, tokenPrincipal } from '../../fixtures/principals.js';
import { DefaultNodeAssetService } from '../../../src/nodes/node-asset-service.js';
import { DockerNodeService } from '../../../src/nodes/node-service.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import type { DockerClientFactory } from '../../../src/repositories/docker-client.js';
import { KyselyNodeAssetRepository } from '../../../src/repositories/node-asset-repository.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { rejection } from '../../harness/errors.js';
import { tempDir } from '../../harness/content.js';

const CAROL = tokenPrincipal('carol', 'assessor');
const noClients: DockerClientFactory = () => {
  throw new Error('no engine is contacted');
};

let dir: string;
let db: Db;
let nodes: DockerNodeService;
let assets: DefaultNodeAssetService;
let clock: number;

function collected(host: string, at: string): AssetFacts {
  return {
    hostName: { value: host, source: 'engine', detail: 'GET /info Name', recordedAt: at },
    role: { value: 'standalone engine', source: 'engine', detail: 'GET /info Swarm', recordedAt: at },
  };
}

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  clock = 0;
  nodes = new DockerNodeService(new KyselyNodeRepository(db), noClients, { newId: () => `n-${++clock}` });
  assets = new DefaultNodeAssetService({ nodes, assets: new KyselyNodeAssetRepository(db), now: () => new Date(Date.UTC(2024, 6, 24, 12, 0, clock++)) });
  await nodes.register({ name: 'web', endpoint: 'tcp://10.0.0.5:2376' }, LOCAL_CLI_PRINCIPAL);
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('node asset facts', () => {
  it('keeps an assessor override across later collections, and clearing it shows the collected value again', async () => {
    await assets.recordCollected('n-1', collected('web-01', '2024-07-24T10:00:00.000Z'), '2024-07-24T10:00:00.000Z');
    const set = await assets.set('web', { role: 'Member Server', fqdn: 'web-01.example.mil', macAddresses: ['52-54-00-12-34-AB'], note: 'per the SSP inventory' }, CAROL);
    expect(set.effective.role).toEqual({ value: 'Member Server', source: 'assessor', detail: 'per the SSP inventory', recordedAt: expect.any(String), recordedBy: 'carol' });
    expect(set.effective.macAddresses?.value).toEqual(['52:54:00:12:34:ab']);
    expect(set.collected.role?.value).toBe('standalone engine');

    // A new collection replaces the collected values only.
    const effective = await assets.recordCollected('n-1', collected('web-02', '2024-07-25T10:00:00.000Z'), '2024-07-25T10:00:00.000Z');
    expect(effective.hostName?.value).toBe('web-02');
    expect(effective.role?.value).toBe('Member Server');
    expect(effective.fqdn?.value).toBe('web-01.example.mil');

    const cleared = await assets.set('n-1', { role: null }, CAROL);
    expect(cleared.effective.role).toMatchObject({ value: 'standalone engine', source: 'engine' });
    expect(cleared.overrides).not.toHaveProperty('role');
    expect(cleared.collectedAt).toBe('2024-07-25T10:00:00.000Z');
  });

  it('refuses malformed values with every problem located, and changes nothing', async () => {
    const e = await rejection(assets.set('web', { ipAddresses: ['10.0.0.300', 'fd00::1'], macAddresses: ['zz'], hostName: ' ', os: 'bad\u0007os' }, CAROL));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.problems.map((p) => p.pointer)).toEqual(['/hostName', '/ipAddresses/0', '/macAddresses/0', '/os']);
    expect((await assets.get('web')).overrides).toEqual({});
    expect((await rejection(assets.set('web', {}, CAROL))).code).toBe('BAD_INPUT');
  });

  it('names an unknown node, and still shows a removed node by id', async () => {
    expect((await rejection(assets.get('nope'))).code).toBe('NOT_FOUND');
    await assets.recordCollected('n-1', collected('web-01', '2024-07-24T10:00:00.000Z'), '2024-07-24T10:00:00.000Z');
    await nodes.remove('web', LOCAL_CLI_PRINCIPAL);
    expect((await rejection(assets.get('web'))).code).toBe('NOT_FOUND');
    expect((await assets.get('n-1')).effective.hostName?.value).toBe('web-01');
  });
});
