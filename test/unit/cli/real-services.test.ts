/** The CLI over the real token, audit and content-sync services (temp SQLite file and temp cache). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAuditService } from '../../../src/auth/audit-service.js';
import { TokenAuthService } from '../../../src/auth/auth-service.js';
import { runCli } from '../../../src/cli/program.js';
import type { CliRuntime } from '../../../src/cli/runtime.js';
import { PinnedContentSyncService } from '../../../src/library/content-sync-service.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { ContentStore, loadContentSources } from '../../../src/repositories/content-store.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { repoRoot, tempDir } from '../../harness/content.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

let dir: string;
let io: MemoryIo;
let runtime: CliRuntime;
let mirror: string;
beforeEach(() => {
  dir = tempDir('plimsoll-cli-');
  mirror = path.join(dir, 'mirror');
  fs.mkdirSync(mirror);
  io = new MemoryIo();
  const memory = new MemoryRuntime();
  runtime = {
    async open(opts) {
      const base = await memory.open(opts);
      const db = await openDatabase(opts.db ?? path.join(dir, 'default.db'));
      const sources = await loadContentSources(path.join(repoRoot, 'catalogs', 'sources.json'));
      const store = new ContentStore({ cacheDir: path.join(dir, 'cache'), mirrors: [mirror] });
      return {
        config: base.config,
        services: {
          ...base.services,
          auth: new TokenAuthService({ tokens: new TokenRepository(db) }),
          audit: new LogAuditService({ audit: new AuditRepository(db) }),
          contentSync: new PinnedContentSyncService(store, sources, { offline: opts.offline ?? false }),
        },
        close: () => db.destroy(),
      };
    },
    serve: (opts) => memory.serve(opts),
  };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CLI over real services', () => {
  it('token create, list, revoke against one database file', async () => {
    const db = path.join(dir, 'a.db');
    expect(await runCli(['token', 'create', 'ci-bot', '--role', 'auditor', '--db', db], runtime, io)).toBe(0);
    const secret = io.stdout[1]!;
    expect(secret).toMatch(/^plm_/);
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
