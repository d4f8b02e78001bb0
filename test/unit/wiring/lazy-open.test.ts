/**
 * The application as the CLI opens it (src/main.ts, `lazy`): the services beyond the library core are wired on
 * the first call of one of them. They must answer, refuse and close as in the application the server wires whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../../src/main.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('plimsoll-lazy-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
});
afterEach(() => {
  delete process.env.PLIMSOLL_CONTENT_CACHE;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the application opened lazily', () => {
  it('closes without wiring the later services when none was called, and has no monitor to start', async () => {
    const app = await openApp({ db: path.join(dir, 'a.db'), lazy: true });
    expect(app.monitor).toBeUndefined();
    expect(await app.services.library.listDocuments()).toEqual([]);
    await app.close();
  });

  it('answers the later services (wired once for concurrent first calls) and records them as the whole application does', async () => {
    const db = path.join(dir, 'b.db');
    const app = await openApp({ db, lazy: true });
    const [nodes, schedules] = await Promise.all([app.services.nodes.list(), app.services.schedules.list()]);
    expect([nodes, schedules]).toEqual([[], []]);
    const node = await app.services.nodes.register({ name: 'n1', endpoint: 'tcp://127.0.0.1:1' });
    await app.close();
    const whole = await openApp({ db });
    try {
      expect((await whole.services.nodes.list()).map((n) => n.id)).toEqual([node.id]);
      const audit = await whole.services.audit.list({});
      expect(audit.edges.map((e) => e.node.action)).toContain('registerDockerNode');
    } finally {
      await whole.close();
    }
  });

  it('refuses a later service to an unknown user before wiring anything, with the code the whole application gives', async () => {
    const lazy = await openApp({ db: path.join(dir, 'c.db'), lazy: true, as: 'nobody' });
    const whole = await openApp({ db: path.join(dir, 'd.db'), as: 'nobody' });
    try {
      await expect(lazy.services.nodes.list()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(whole.services.nodes.list()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await lazy.close();
      await whole.close();
    }
  });
});
