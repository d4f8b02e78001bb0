/**
 * `plimsoll registry|trust-server|signers` over the real composition root: passwords from an environment
 * variable or standard input (never argv), never printed, never in the SQLite files; an assessor is refused.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { CliRuntime } from '../../../src/cli/runtime.js';
import { credentialsFrom } from '../../../src/cli/secret-input.js';
import { createCliRuntime } from '../../../src/main.js';
import { tempDir } from '../../harness/content.js';
import { makeTlsMaterial, type TlsMaterial } from '../../harness/tls.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

const PASSWORD = 'cli-registry-pa55word-XYZ';
const KEY_ID = 'b'.repeat(64);

let tls: TlsMaterial;
let tlsDir: string;
beforeAll(async () => {
  tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-cli-tls-'));
  tls = await makeTlsMaterial(tlsDir);
});
afterAll(() => fs.rmSync(tlsDir, { recursive: true, force: true }));

let dir: string;
let db: string;
let io: MemoryIo;
let runtime: CliRuntime;
const saved = { ...process.env };
beforeEach(() => {
  dir = tempDir('plimsoll-registry-cli-');
  db = path.join(dir, 'p.db');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  process.env.PLIMSOLL_SECRET_KEY = randomBytes(32).toString('base64');
  process.env.REGISTRY_PW = PASSWORD;
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

describe('plimsoll registry, trust-server and signers', () => {
  it('registers, lists and removes with the password from an environment variable, never shown or stored in clear', async () => {
    expect(await runCli(['trust-server', 'add', 'notary', 'https://127.0.0.1:4443', '--ca', tls.ca, '--pin', `127.0.0.1:5000/app=${KEY_ID}`, '--db', db], runtime, io)).toBe(0);
    expect(
      await runCli(['registry', 'add', 'dev', 'https://127.0.0.1:5000', '--environment', 'dev', '--trust-server', 'notary', '--repository', 'app', '--ca', tls.ca, '--username', 'plimsoll', '--password-env', 'REGISTRY_PW', '--db', db], runtime, io),
    ).toBe(0);
    expect(io.stdout[1]).toMatch(/^registered registry dev \(\S+\) for environment dev with stored credentials$/);
    expect(await runCli(['signers', 'set', 'dev', '--signer', `targets/alice=${KEY_ID}`, '--signer', 'targets/releases', '--db', db], runtime, io)).toBe(0);
    io.stdout = [];
    expect(await runCli(['registry', 'list', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['registry', 'list', '--json', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['trust-server', 'list', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['signers', 'list', '--db', db], runtime, io)).toBe(0);
    expect(io.outText).toMatch(/dev\s+dev\s+127\.0\.0\.1:5000\s+https:\/\/127\.0\.0\.1:5000\s+notary\s+yes\s+stored/);
    expect(io.outText).toMatch(/dev\s+targets\/alice\s+b{64}\s+local-operator/);
    expect(io.outText).toContain('"hasCredentials": true');
    expect(io.outText + io.errText).not.toContain(PASSWORD);
    expect(await runCli(['trust-server', 'remove', 'notary', '--db', db], runtime, io)).toBe(2);
    expect(io.errText).toContain('error[CONFLICT]: Trust server "notary" is used by the registries dev');
    expect(await runCli(['registry', 'update', 'dev', '--clear-credentials', '--clear-trust-server', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['registry', 'remove', 'dev', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['trust-server', 'remove', 'notary', '--db', db], runtime, io)).toBe(0);
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('p.db'));
    for (const f of files) expect(fs.readFileSync(path.join(dir, f)).includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('refuses a password half given, an unset variable and an assessor, naming the variable but never a value', async () => {
    expect(await runCli(['registry', 'add', 'r', 'https://r.example.mil', '--username', 'u', '--db', db], runtime, io)).toBe(2);
    expect(io.errText).toContain('exactly one of --password-env VAR or --password-stdin');
    expect(await runCli(['registry', 'add', 'r', 'https://r.example.mil', '--username', 'u', '--password-env', 'NOT_SET_PW', '--db', db], runtime, io)).toBe(2);
    expect(io.errText).toContain('NOT_SET_PW');
    expect(await runCli(['user', 'create', 'alice', '--role', 'assessor', '--db', db], runtime, io)).toBe(0);
    expect(await runCli(['--as', 'alice', 'registry', 'add', 'r', 'https://r.example.mil', '--username', 'u', '--password-env', 'REGISTRY_PW', '--db', db], runtime, io)).toBe(5);
    expect(io.errText).toContain('FORBIDDEN');
    expect(io.errText).not.toContain(PASSWORD);
  });

  it('reads a password from standard input without its final line break', async () => {
    expect(await credentialsFrom({ username: 'u', passwordStdin: true }, { env: {}, stdin: Readable.from([Buffer.from(`${PASSWORD}\n`)]) })).toEqual({ username: 'u', password: PASSWORD });
    expect(await credentialsFrom({}, { env: {}, stdin: Readable.from([]) })).toBeUndefined();
  });
});
