import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { migrationProvider } from '../../../src/repositories/database/migrations.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 0024: document parts', () => {
  it('keeps a results document stored whole before it (read whole, no parts) and stores later ones in parts', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0023_remediation_due');
    if (error) throw error;
    await seedDocument(old, benchmark('doc-1'));
    const before = new KyselyAssessmentRepository(old);
    await before.createRunning({ id: 'old-run', benchmarkDocumentId: 'doc-1', nodes: [], startedAt: '2024-07-24T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' });
    await old.updateTable('assessment').set({ status: 'completed', results_document_json: JSON.stringify({ 'assessment-results': { uuid: 'old' } }) }).where('id', '=', 'old-run').execute();
    await old.destroy();

    const db = await openDatabase(file);
    try {
      const repo = new KyselyAssessmentRepository(db);
      expect(await repo.resultsDocument('old-run')).toEqual({ 'assessment-results': { uuid: 'old' } });
      expect(await repo.resultsDocumentParts('old-run')).toBeUndefined();
      await repo.createRunning({ id: 'new-run', benchmarkDocumentId: 'doc-1', nodes: [], startedAt: '2024-07-25T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' });
      await repo.complete('new-run', { finishedAt: 'x', summary: summarize([]), results: [], targets: [], resultsText: ['{"assessment-results": ', '{"uuid": "new"}}\n'], planDocument: {} });
      expect(await repo.resultsDocument('new-run')).toEqual({ 'assessment-results': { uuid: 'new' } });
      const row = await db.selectFrom('assessment').select('results_document_json').where('id', '=', 'new-run').executeTakeFirstOrThrow();
      expect(row.results_document_json).toBeNull();
    } finally {
      await db.destroy();
    }
  });
});
