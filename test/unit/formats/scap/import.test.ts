/** A SCAP source data stream through the library importer: stored as a benchmark with its rules. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../../fixtures/principals.js';
import { LibraryImportService } from '../../../../src/library/import-service.js';
import { ContentRepository } from '../../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../../src/repositories/database/database.js';
import { OSCAL_SCHEMA_112, shared, tempDir, localContents } from '../../../harness/content.js';

const DEBIAN_DS = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';

describe('importing a source data stream', () => {
  let dir: string;
  let db: Db;
  let repo: ContentRepository;

  beforeEach(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    repo = new ContentRepository(db);
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the XCCDF benchmark of the data stream with its rules and profiles, once', async () => {
    const importer = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
    const text = fs.readFileSync(DEBIAN_DS, 'utf8');
    const rules = text.match(/<xccdf-1\.2:Rule\b/g)!.length;
    const profiles = text.match(/<xccdf-1\.2:Profile\b/g)!.length;
    const [summary] = await importer.importDocuments(localContents([DEBIAN_DS]), LOCAL_CLI_PRINCIPAL);
    expect(summary).toMatchObject({ kind: 'benchmark', id: /<xccdf-1\.2:Benchmark id="([^"]+)"/.exec(text)![1], alreadyPresent: false, counts: { rules, profiles } });
    const stored = await repo.listRules(summary!.documentId);
    expect(stored.total).toBe(rules);
    const again = await importer.importDocuments(localContents([DEBIAN_DS]), LOCAL_CLI_PRINCIPAL);
    expect(again[0]).toMatchObject({ documentId: summary!.documentId, alreadyPresent: true });
  });
});
