import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 0020: several benchmarks per assessment, direct SP 800-53 references', () => {
  it('gives every existing run its one benchmark and profile, and keeps its results and rules as they were', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0019_rule_group_title');
    if (error) throw error;
    await seedDocument(old, benchmark('doc-old'));
    await old.insertInto('benchmark_rule').values({
      document_id: 'doc-old', rule_id: 'SV-1r1_rule', group_id: 'V-1', stig_id: 'DKER-EE-000001', title: 't', severity: 'low', weight: 10, discussion: 'd',
      check_content: 'c', check_content_hash: '0'.repeat(64), fix_text: 'f', ccis_json: '["CCI-000366"]', legacy_ids_json: '[]', sort_order: 0, group_title: null,
    }).execute();
    for (const [id, profile] of [['run-1', 'MAC-1_Classified'], ['run-2', null]] as const) {
      await old.insertInto('assessment').values({
        id, status: 'completed', benchmark_document_id: 'doc-old', profile_id: profile, node_ids_json: '["n1"]', started_at: `2026-11-0${id.slice(-1)}T00:00:00Z`,
        finished_at: '2026-11-03T00:00:00Z', started_by: 'alice', error: null, summary_json: null, results_document_json: null, runner: null, plan_document_json: null, report_context_json: null,
      }).execute();
    }
    await old.insertInto('rule_result').values({
      assessment_id: 'run-1', node_id: 'n1', stig_id: 'DKER-EE-000001', rule_id: 'SV-1r1_rule', group_id: 'V-1', check_content_hash: '0'.repeat(64), title: 't', severity: 'low',
      status: 'pass', message: 'ok', observations_json: '[]', control_ids_json: '[]', ccis_json: '[]', fix_text: 'f', exemption_json: null, remediation: null, automation_json: null, review_json: null,
    }).execute();
    await old.destroy();

    const db = await openDatabase(file);
    try {
      const repo = new KyselyAssessmentRepository(db);
      const one = await repo.get('run-1');
      expect(one?.benchmarks).toEqual([{ documentId: 'doc-old', benchmarkId: benchmark('doc-old').id, title: benchmark('doc-old').title, version: '2', release: '2', profileId: 'MAC-1_Classified' }]);
      expect(one?.results.map((r) => [r.stigId, r.status, r.benchmarkDocumentId])).toEqual([['DKER-EE-000001', 'pass', undefined]]);
      expect((await repo.find('run-2'))?.benchmarks?.map((b) => [b.documentId, b.profileId])).toEqual([['doc-old', undefined]]);
      const rule = (await new ContentRepository(db).listRules('doc-old')).items[0]!;
      expect(rule.ccis).toEqual(['CCI-000366']);
      expect(rule.sp80053).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });
});
