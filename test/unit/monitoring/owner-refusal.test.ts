/**
 * A schedule whose owner lost the right to run assessments, over the real composition root (src/main.ts) and
 * its service gateway: the run is refused by the same policy as the owner's own call, audited as the owner's
 * (via schedule), and the schedule shows why. Plimsoll has no role change yet, so the test changes the role
 * in the database, as an admin tool would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../../src/cli/runtime.js';
import type { Principal } from '../../../src/domain/auth.js';
import { openApp } from '../../../src/main.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { CCI_LIST, DOCKER_STIG_V2R2, localContents, shared, tempDir } from '../../harness/content.js';

let dir: string;
let db: string;
let app: OpenedApp;

beforeEach(async () => {
  dir = tempDir('plimsoll-owner-');
  db = path.join(dir, 'p.db');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  app = await openApp({ db });
  await app.services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]));
  await app.services.nodes.register({ name: 'gone', endpoint: 'tcp://127.0.0.1:1' });
}, 60_000);

afterEach(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a schedule whose owner lost the right', () => {
  it('is refused through the gateway, audited as the owner, and shows REFUSED with the reason', async () => {
    const { secret } = await app.services.users.createToken('alice', 'assessor');
    const alice = (await app.gateway.authenticate(secret)) as Principal;
    const created = await app.gateway.servicesFor(alice).schedules.create({ name: 'nightly', cron: '0 2 * * *', node: 'gone', benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' });
    expect(created.ownerName).toBe('alice');

    const other = await openDatabase(db);
    await other.updateTable('app_user').set({ role: 'auditor' }).where('name', '=', 'alice').execute();
    await other.destroy();

    // An admin (the CLI's local operator) runs it now: it still runs as alice, and alice may not.
    const [job] = await app.services.schedules.runNow('nightly', { wait: true });
    expect(job?.state).toMatchObject({ status: 'refused', code: 'FORBIDDEN' });
    const schedule = await app.services.schedules.get('nightly');
    expect(schedule?.state).toMatchObject({ status: 'refused', code: 'FORBIDDEN', reason: expect.stringContaining('alice') });

    const audit = (await app.services.audit.list({ first: 10 })).edges.map((e) => e.node);
    expect(audit.find((r) => r.action === 'runAssessment')).toMatchObject({ actor: 'alice', via: 'schedule', outcome: 'failure', detail: expect.stringContaining('FORBIDDEN') });
    expect(audit.find((r) => r.action === 'runScheduleNow')).toMatchObject({ actor: 'local-operator', outcome: 'success' });
  }, 60_000);
});
