/**
 * Coverage of rules that cite SP 800-53 directly (no CCI for the control), over a real library: the CCI list, the
 * rev5 catalog, NIST's MODERATE baseline and Plimsoll's own benchmark, whose PLM-SEC-005 cites IA-5(1) by a
 * rev5 reference and the rest of its controls through CCIs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultCoverageService } from '../../../src/library/coverage-service.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { LocalRelatedFiles } from '../../../src/library/profile-resolution/source-loader.js';
import { BaselineRepository } from '../../../src/repositories/baseline-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LibraryIndexRepository } from '../../../src/repositories/library-index-repository.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { CCI_LIST, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, localContents, repoRoot, shared, tempDir } from '../../harness/content.js';

const MODERATE = shared('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
const PLIMSOLL = path.join(repoRoot, 'catalogs', 'plimsoll-container-platform-xccdf.xml');

describe('coverage of rules with direct SP 800-53 references', () => {
  let dir: string;
  let db: Db;
  let coverage: DefaultCoverageService;
  let moderateId: string;

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const content = new ContentRepository(db);
    const baselines = new BaselineRepository(db);
    const summaries = await new LibraryImportService(content, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) }).importDocuments(
      localContents([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), MODERATE, PLIMSOLL]),
      LOCAL_CLI_PRINCIPAL,
      { related: new LocalRelatedFiles() },
    );
    moderateId = summaries[2]!.documentId;
    coverage = new DefaultCoverageService({
      library: new ContentLibraryService(content),
      index: new LibraryIndexRepository(db),
      baselines: { get: (ref) => baselines.get(ref), controlsOf: (id) => baselines.controlsOf(id) },
      // Only PLM-SEC-005 counts as automated here: the checks of the PLM rules belong to other work.
      automated: (stigId) => stigId === 'PLM-SEC-005',
    });
  }, 180_000);

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rulesForControl finds a rule through its direct reference, without a CCI', async () => {
    const evidence = await coverage.rulesForControl('ia-5.1');
    expect(evidence.map((e) => [e.rule.stigId, e.ccis, e.statementIds, e.automated, e.benchmarkId])).toEqual([
      ['PLM-SEC-005', [], ['ia-5.1'], true, 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform'],
    ]);
  });

  it('rulesForControl still finds rules through their CCIs', async () => {
    const evidence = await coverage.rulesForControl('ia-5.7');
    expect(evidence.map((e) => [e.rule.stigId, e.ccis])).toEqual([
      ['PLM-SEC-001', ['CCI-004069']],
      ['PLM-SEC-002', ['CCI-004069']],
      ['PLM-SEC-003', ['CCI-004069']],
      ['PLM-SEC-004', ['CCI-004069']],
    ]);
  });

  it('baselineCoverage counts a control covered only by a direct reference', async () => {
    const report = await coverage.baselineCoverage(moderateId, { benchmark: 'plimsoll_container_platform' });
    const of = (id: string) => report.controls.find((c) => c.controlId === id);
    expect(of('ia-5.1')).toMatchObject({ automatedRules: 1, manualRules: 0 });
    expect(of('ac-5')).toMatchObject({ automatedRules: 0, manualRules: 2 });
    // PLM-SEC-003 cites only IA-5(7), which MODERATE does not select: six of the seven rules count.
    expect(of('ia-5.7')).toBeUndefined();
    expect(report.ruleCount).toBe(6);
    expect(report.automatedRuleCount).toBe(1);
  });
});
