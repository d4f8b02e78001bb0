/** Expiry notices over a real SQLite file: announced once within the warning period, once when expired, again when extended, never twice across a restart. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlimsollEvent } from '../../../src/domain/events.js';
import type { DockerNode } from '../../../src/domain/node.js';
import { ExpiryWatcher, type Expiring } from '../../../src/monitoring/expiry-watcher.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyExpiryNoticeRepository } from '../../../src/repositories/monitoring/expiry-notice-repository.js';
import { tempDir } from '../../harness/content.js';
import { fakeClock, type FakeClock } from './fake-clock.js';

const DAY = 86_400_000;
const web: DockerNode = { id: 'n1', name: 'web-1', endpoint: 'tcp://web-1:2376', labels: {}, environment: 'prod', createdAt: '2026-01-01T00:00:00.000Z' };

let dir: string;
let db: Db;
let clock: FakeClock;
let items: Expiring[];
let published: PlimsollEvent[];

function watcher(): ExpiryWatcher {
  return new ExpiryWatcher({
    sources: [{ subject: 'exemption', list: async () => items }],
    notices: new KyselyExpiryNoticeRepository(db),
    events: { publish: (e) => void published.push(e) },
    clock,
    findNode: async (ref) => (ref === 'web-1' || ref === 'n1' ? web : undefined),
    warningDays: 14,
  });
}

beforeEach(async () => {
  dir = tempDir('plimsoll-expiry-');
  db = await openDatabase(path.join(dir, 'test.db'));
  clock = fakeClock(new Date('2026-03-01T12:00:00.000Z'));
  items = [
    { id: 'x1', stigId: 'DKER-EE-001960', expiresAt: '2026-03-10', node: 'web-1' },
    { id: 'x2', stigId: '*', expiresAt: '2026-06-30' },
  ];
  published = [];
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('expiry watcher', () => {
  it('announces what expires within the warning period once, then once more when it has expired', async () => {
    expect(await watcher().check()).toBe(1);
    expect(published[0]).toMatchObject({ type: 'expiry', subject: 'exemption', subjectId: 'x1', stigId: 'DKER-EE-001960', expired: false, scope: { nodeIds: ['n1'], environments: ['prod'] } });
    expect(await watcher().check()).toBe(0); // a restarted watcher: nothing twice
    await clock.advance(10 * DAY);
    expect(await watcher().check()).toBe(1);
    expect(published[1]).toMatchObject({ subjectId: 'x1', expired: true });
    expect(await watcher().check()).toBe(0);
  });

  it('announces an extended expiry anew', async () => {
    await watcher().check();
    items[0] = { ...items[0]!, expiresAt: '2026-03-12' };
    expect(await watcher().check()).toBe(1);
    expect(published.map((e) => (e as { expiresAt: string }).expiresAt)).toEqual(['2026-03-10', '2026-03-12']);
  });
});
