/** `plimsoll schedule …` and `plimsoll webhook …` over the real composition root (src/main.ts) and a temp SQLite file. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { CliRuntime } from '../../../src/cli/runtime.js';
import { createCliRuntime } from '../../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R2, shared, tempDir } from '../../harness/content.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

let dir: string;
let db: string;
let io: MemoryIo;
let runtime: CliRuntime;
const saved = { ...process.env };

async function cli(...args: string[]): Promise<number> {
  io.stdout = [];
  io.stderr = [];
  return runCli([...args, '--db', db], runtime, io);
}

beforeEach(async () => {
  dir = tempDir('plimsoll-schedule-cli-');
  db = path.join(dir, 'p.db');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  delete process.env.PLIMSOLL_USER;
  io = new MemoryIo();
  const memory = new MemoryRuntime();
  // The CLI's own runtime: the application opened lazily, as `plimsoll` opens it.
  runtime = { open: createCliRuntime().open, serve: (opts) => memory.serve(opts) };
  expect(await cli('import', shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2))).toBe(0);
  // Nothing listens on port 1: runs of this node fail as unreachable, at once.
  expect(await cli('node', 'add', 'gone', 'tcp://127.0.0.1:1')).toBe(0);
  expect(await cli('user', 'create', 'bob', '--role', 'auditor')).toBe(0);
}, 60_000);

afterEach(() => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('schedule commands', () => {
  it('adds, lists, runs now (exit 3 when a job fails), shows the jobs and removes a schedule', async () => {
    expect(await cli('schedule', 'add', 'nightly', '--cron', '0 2 * * *', '--node', 'gone', '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG')).toBe(0);
    expect(io.outText).toMatch(/^added schedule nightly \(\S+\): node gone, next run \d{4}-\d\d-\d\dT02:00:00\.000Z, as local-operator$/);

    expect(await cli('schedule', 'list')).toBe(0);
    expect(io.outText).toMatch(/nightly\s+0 2 \* \* \*\s+node gone\s+Docker_Enterprise_2-x_Linux-UNIX_STIG\s+local-operator\s+\S+\s+active/);

    expect(await cli('schedule', 'run-now', 'nightly')).toBe(3);
    expect(io.outText).toMatch(/nightly\/gone\s+manual\s+\S+\s+failed: NODE_UNREACHABLE/);

    expect(await cli('schedule', 'jobs', 'nightly', '--json')).toBe(0);
    const jobs = JSON.parse(io.outText) as { trigger: string; state: { status: string; code: string } }[];
    expect(jobs).toEqual([expect.objectContaining({ trigger: 'manual', state: expect.objectContaining({ status: 'failed', code: 'NODE_UNREACHABLE' }) })]);

    expect(await cli('schedule', 'remove', 'nightly')).toBe(0);
    expect(await cli('schedule', 'list')).toBe(0);
    expect(io.outText).toBe('no schedules');
  }, 60_000);

  it('names each bad field, and refuses a user who may not run assessments (exit 5)', async () => {
    expect(await cli('schedule', 'add', 'bad', '--cron', '61 * * *', '--node', 'nowhere', '--benchmark', 'nope')).toBe(2);
    expect(io.errText).toContain('/cron');
    expect(io.errText).toContain('/benchmark');
    expect(io.errText).toContain('nowhere');
    expect(await cli('--as', 'bob', 'schedule', 'add', 'mine', '--cron', '0 2 * * *', '--node', 'gone', '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG')).toBe(5);
  }, 60_000);
});

describe('webhook commands', () => {
  it('refuses a private or plain-http target without the allow-list, naming the rule', async () => {
    expect(await cli('webhook', 'add', 'soc', 'http://10.0.0.5/hook')).toBe(2);
    expect(io.errText).toBe('error[WEBHOOK_NOT_ALLOWED]: webhook target http://10.0.0.5 is not allowed: plain http is allowed only for targets on PLIMSOLL_WEBHOOK_ALLOWLIST; use https');
    expect(await cli('webhook', 'list')).toBe(0);
    expect(io.outText).toBe('no webhooks');
  });
});
