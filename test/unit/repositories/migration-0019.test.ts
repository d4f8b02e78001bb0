import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkDocument } from '../../../src/domain/content.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseBenchmark } from '../../../src/formats/xccdf/parse.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { DOCKER_STIG_V2R2, shared, tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const xccdf = shared(...DOCKER_STIG_V2R2);
const fp = fingerprint(xccdf, fs.readFileSync(xccdf));
if (fp.kind !== 'benchmark') throw new Error('not a benchmark');
const docker: BenchmarkDocument = parseBenchmark(fp.root, xccdf, fp.xccdfVersion);

describe('migration 0019: rule group titles', () => {
  it('keeps rules stored before it (no title: never invented) and stores the title of rules imported after', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0009_targets');
    if (error) throw error;
    await seedDocument(old, benchmark('doc-old'));
    const r = docker.rules[0]!;
    await old.insertInto('benchmark_rule').values({
      document_id: 'doc-old', rule_id: r.ruleId, group_id: r.groupId, stig_id: r.stigId, title: r.title, severity: r.severity, weight: 10, discussion: r.discussion,
      check_content: r.checkContent, check_content_hash: r.checkContentHash, fix_text: r.fixText, ccis_json: '[]', legacy_ids_json: '[]', sort_order: 0,
    }).execute();
    await old.destroy();

    const db = await openDatabase(file);
    try {
      const repo = new ContentRepository(db);
      const before = (await repo.listRules('doc-old')).items[0]!;
      expect(before.ruleId).toBe(r.ruleId);
      expect(before.groupTitle).toBeUndefined();
      await db.transaction().execute((trx) => repo.storeBenchmark(trx, { documentId: 'doc-new', sourceFile: xccdf, sha256: 'b'.repeat(64), counts: {}, importedAt: '2026-12-01T00:00:00Z', importedBy: 'admin' }, docker));
      const after = await repo.listRules('doc-new');
      expect(after.items).toHaveLength(101);
      expect(after.items.every((x) => /^SRG-/.test(x.groupTitle ?? ''))).toBe(true);
      expect(after.items.find((x) => x.groupId === 'V-235802')!.groupTitle).toBe(docker.rules.find((x) => x.groupId === 'V-235802')!.groupTitle);
    } finally {
      await db.destroy();
    }
  });
});
