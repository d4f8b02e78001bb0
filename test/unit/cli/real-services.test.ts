/** The CLI over the real composition root (src/main.ts): a temp SQLite file, a temp cache, an empty content mirror. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { CliRuntime } from '../../../src/cli/runtime.js';
import { createCliRuntime } from '../../../src/main.js';
import { tempDir } from '../../harness/content.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

let dir: string;
let io: MemoryIo;
let runtime: CliRuntime;
let mirror: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = tempDir('plimsoll-cli-');
  mirror = path.join(dir, 'mirror');
  fs.mkdirSync(mirror);
  process.env.PLIMSOLL_CONTENT_MIRROR = mirror;
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  process.env.PLIMSOLL_DB = path.join(dir, 'default.db');
  delete process.env.PLIMSOLL_USER;
  io = new MemoryIo();
  const memory = new MemoryRuntime();
  // The CLI's own runtime: the application opened lazily, as `plimsoll` opens it.
  runtime = { open: createCliRuntime().open, serve: (opts) => memory.serve(opts) };
});
afterEach(() => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('CLI over real services', () => {
  it('token create, list, revoke against one database file', async () => {
    const db = path.join(dir, 'a.db');
    expect(await runCli(['token', 'create', 'ci-bot', '--role', 'auditor', '--db', db], runtime, io)).toBe(0);
    const secret = io.stdout[1]!;
    expect(secret).toMatch(/^plm_/);
    expect(io.stdout[0]).toMatch(/^created token \S+ for new user ci-bot \(role auditor\)/);
    const id = /created token (\S+)/.exec(io.stdout[0]!)![1]!;
    io.stdout = [];
    expect(await runCli(['token', 'list', '--db', db], runtime, io)).toBe(0);
    expect(io.outText).toContain(id);
    expect(io.outText).not.toContain(secret);
    expect(await runCli(['token', 'revoke', id, '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['token', 'revoke', 'no-such-id', '--db', db], runtime, io)).toBe(2);
    expect(io.errText).toBe('error[NOT_FOUND]: No token with id no-such-id');
  });

  it('content sync offline with an empty mirror: a MISSING line per source, the instructions, exit 2', async () => {
    expect(await runCli(['content', 'sync', '--offline', 'cci-list', 'docker-stig-v2r2'], runtime, io)).toBe(2);
    const lines = io.outText.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cci-list\s+MISSING\s+not found in the cache .* and the content mirrors .*mirror; offline, so not downloaded: set PLIMSOLL_CONTENT_MIRROR to a directory holding U_CCI_List.xml/);
    expect(lines[1]).toContain('https://dl.dod.cyber.mil/wp-content/uploads/stigs/zip/U_Docker_Enterprise_2-x_Linux-UNIX_V2R2_STIG.zip');
    expect(io.errText).toBe('error[CONTENT_MISSING]: 2 of 2 pinned sources unavailable: cci-list, docker-stig-v2r2');
  });

  it('content sync names an unknown source', async () => {
    expect(await runCli(['content', 'sync', 'nope'], runtime, io)).toBe(2);
    expect(io.errText).toMatch(/^error\[NOT_FOUND\]: Unknown content source nope; known sources: nist-800-53-rev5-catalog-json, /);
  });
});

describe('separation of duties and refusals on the CLI', () => {
  it('acts as named users: an approver other than the requester (and not created by them) approves; refusals exit 5', async () => {
    const db = path.join(dir, 'sod.db');
    const cli = async (...args: string[]): Promise<number> => {
      io.stdout = [];
      io.stderr = [];
      return runCli([...args, '--db', db], runtime, io);
    };
    // The local operator (an admin) creates two admins; Bob creates a puppet admin of his own.
    expect(await cli('user', 'create', 'alice', '--role', 'admin')).toBe(0);
    expect(await cli('user', 'create', 'bob', '--role', 'admin')).toBe(0);
    expect(await cli('--as', 'bob', 'user', 'create', 'bob-2', '--role', 'admin')).toBe(0);
    expect(await cli('user', 'create', 'dora', '--role', 'auditor')).toBe(0);

    expect(await cli('--as', 'bob', 'exemption', 'request', 'web tier', '--rule', '*', '--container', 'web-*', '--justification', 'vendor', '--expires', '2099-01-01')).toBe(0);
    const stored = { id: /^requested exemption (\S+) /.exec(io.outText)![1]! };

    expect(await cli('--as', 'BOB', 'exemption', 'approve', stored.id)).toBe(5);
    expect(io.errText).toContain('error[FORBIDDEN_SEPARATION_OF_DUTIES]');
    expect(await cli('--as', 'bob-2', 'exemption', 'approve', stored.id)).toBe(5);
    expect(io.errText).toContain('bob-2 was created by the requester bob');
    expect(await cli('--as', 'dora', 'exemption', 'approve', stored.id)).toBe(5);
    expect(io.errText).toContain('error[FORBIDDEN]');
    expect(await cli('--as', 'mallory', 'exemption', 'approve', stored.id)).toBe(5);
    expect(io.errText).toContain('error[UNAUTHENTICATED]: Not authenticated: no user named mallory');
    expect(await cli('--as', 'alice', 'exemption', 'approve', stored.id)).toBe(0);
    expect(io.outText).toContain('status approved');

    expect(await cli('audit', 'list', '--json')).toBe(0);
    const records = (JSON.parse(io.outText) as { items: { actor: string; action: string; outcome: string; detail?: string }[] }).items;
    expect(records.filter((r) => r.action === 'approveExemption').map((r) => `${r.actor}:${r.outcome}:${r.detail?.split(':')[0] ?? ''}`)).toEqual([
      'alice:success:',
      'anonymous:failure:UNAUTHENTICATED',
      'dora:failure:FORBIDDEN',
      'bob-2:failure:FORBIDDEN_SEPARATION_OF_DUTIES',
      'bob:failure:FORBIDDEN_SEPARATION_OF_DUTIES',
    ]);
    expect(await cli('audit', 'verify')).toBe(0);
    expect(io.outText).toMatch(/^audit chain intact: \d+ records, head \d+:[0-9a-f]{64}/);
  });
});
