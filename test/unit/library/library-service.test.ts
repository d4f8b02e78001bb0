import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { ImportSummary } from '../../../src/domain/content.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService, compareVersions } from '../../../src/library/library-service.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { catalogViewOf, dedupeMappings, mapCci } from '../../../src/domain/cci-mapping.js';
import type { OscalControl, OscalGroup } from '../../../src/domain/content.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir, localContents } from '../../harness/content.js';

describe('ContentLibraryService over real SQLite', () => {
  let dir: string;
  let db: Db;
  let library: ContentLibraryService;
  let v2r2: ImportSummary;
  let v2r1: ImportSummary;
  let cci: ImportSummary;
  let catalog: ImportSummary;

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const repo = new ContentRepository(db);
    const importer = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
    // V2R2 is imported before V2R1: the latest release must win by release number, not import order.
    [v2r2, cci, catalog] = (await importer.importDocuments(localContents([shared(...DOCKER_STIG_V2R2), shared(...CCI_LIST), shared(...REV5_CATALOG_JSON)]), LOCAL_CLI_PRINCIPAL)) as [ImportSummary, ImportSummary, ImportSummary];
    [v2r1] = (await importer.importDocuments(localContents([shared(...DOCKER_STIG_V2R1)]), LOCAL_CLI_PRINCIPAL)) as [ImportSummary];
    library = new ContentLibraryService(repo);
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists documents, by kind too', async () => {
    expect((await library.listDocuments()).map((d) => d.documentId).sort()).toEqual([v2r2, cci, catalog, v2r1].map((s) => s.documentId).sort());
    expect((await library.listDocuments('benchmark')).map((d) => d.release).sort()).toEqual(['1', '2']);
    expect(await library.getDocument(catalog.documentId)).toMatchObject({ kind: 'catalog', oscalVersion: '1.0.0', version: '5.0.1' });
    expect(await library.getDocument('nope')).toBeUndefined();
  });

  it('finds a benchmark by document id or by XCCDF id, latest release first', async () => {
    expect(await library.findBenchmark(v2r1.documentId)).toMatchObject({ documentId: v2r1.documentId, release: '1' });
    const latest = await library.findBenchmark('Docker_Enterprise_2-x_Linux-UNIX_STIG');
    expect(latest).toMatchObject({ documentId: v2r2.documentId, release: '2', releaseDate: '2024-07-24' });
    expect(latest!.profiles.map((p) => p.id)).toContain('MAC-3_Sensitive');
    expect(latest!.profiles[0]!.selectedRuleIds).toHaveLength(101);
    expect(await library.findBenchmark(catalog.documentId)).toBeUndefined();
    expect(await library.findBenchmark('unknown')).toBeUndefined();
  });

  it('gets rules by rule id, group id and STIG id, and pages them', async () => {
    const byStig = await library.getRule(v2r2.documentId, 'DKER-EE-001960');
    expect(byStig).toMatchObject({ documentId: v2r2.documentId, ruleId: 'SV-235802r960963_rule', groupId: 'V-235802', ccis: ['CCI-000381'], legacyIds: ['SV-104777', 'V-95639'], weight: 10 });
    expect(await library.getRule(v2r2.documentId, 'V-235802')).toEqual(byStig);
    expect(await library.getRule(v2r2.documentId, 'SV-235802r960963_rule')).toEqual(byStig);
    expect(await library.getRule(v2r2.documentId, 'DKER-EE-000000')).toBeUndefined();
    const all = await library.listRules(v2r2.documentId);
    expect(all.total).toBe(101);
    expect(all.items).toHaveLength(101);
    const page = await library.listRules(v2r2.documentId, {}, { offset: 10, limit: 5 });
    expect(page.total).toBe(101);
    expect(page.items.map((r) => r.ruleId)).toEqual(all.items.slice(10, 15).map((r) => r.ruleId));
    const high = await library.listRules(v2r2.documentId, { severity: 'high' });
    expect(high.total).toBeGreaterThan(0);
    expect(high.items.every((r) => r.severity === 'high')).toBe(true);
    await expect(library.listRules(v2r2.documentId, {}, { offset: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('browses catalog groups, controls and enhancements', async () => {
    const groups = await library.listGroups(catalog.documentId);
    expect(groups).toHaveLength(20);
    expect(groups[0]).toMatchObject({ id: 'ac', title: 'Access Control', class: 'family' });
    expect(await library.listGroups(catalog.documentId, 'ac')).toEqual([]);
    const ac = await library.listControls(catalog.documentId, { groupId: 'ac' }, { limit: 3 });
    expect(ac.total).toBe(25);
    expect(ac.items.map((c) => c.id)).toEqual(['ac-1', 'ac-2', 'ac-3']);
    expect(ac.items[1]!.enhancementIds.slice(0, 3)).toEqual(['ac-2.1', 'ac-2.2', 'ac-2.3']);
    const enh = await library.listControls(catalog.documentId, { parentControlId: 'ac-2' });
    expect(enh.total).toBe(13);
    expect(enh.items.every((c) => c.parentControlId === 'ac-2' && c.groupId === 'ac')).toBe(true);
    const cm7 = await library.getControl(catalog.documentId, 'cm-7');
    expect(cm7).toMatchObject({ id: 'cm-7', title: 'Least Functionality', groupId: 'cm' });
    expect(cm7!.params.map((p) => p.id)).toContain('cm-7_prm_1');
    expect(cm7!.parts[0]!.parts!.map((p) => p.id)).toContain('cm-7_smt.a');
    expect(await library.getControl(catalog.documentId, 'zz-1')).toBeUndefined();
  });

  it('gets a CCI from the latest CCI list', async () => {
    expect(await library.getCci('CCI-000381')).toMatchObject({ id: 'CCI-000381', type: 'technical' });
    expect(await library.getCci('CCI-999999')).toBeUndefined();
  });

  it('maps the CCIs of DKER-EE-001960 to cm-7 statements of the loaded catalog', async () => {
    const rule = await library.getRule(v2r2.documentId, 'DKER-EE-001960');
    const mappings = await library.mapCcisToControls(rule!.ccis);
    expect(mappings).toEqual([
      { cci: 'CCI-000381', index: 'CM-7 a', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.a', catalogDocumentId: catalog.documentId, resolved: true },
    ]);
  });

  it('maps rev4-only CCIs through withdrawn controls, and reports unknown CCIs unresolved', async () => {
    const mappings = await library.mapCcisToControls(['CCI-001749', 'CCI-001749', 'CCI-999999']);
    expect(mappings).toEqual([
      { cci: 'CCI-001749', index: 'CM-5 (3)', revision: '4', controlId: 'cm-14', statementId: 'cm-14', catalogDocumentId: catalog.documentId, resolved: true, via: 'cm-5.3 moved-to cm-14' },
      { cci: 'CCI-999999', index: '', revision: '5', controlId: '', statementId: '', resolved: false },
    ]);
    expect(await library.mapCcisToControls([])).toEqual([]);
  });

  it('maps every CCI of the Docker STIG, all resolved against the catalog', async () => {
    const rules = await library.listRules(v2r2.documentId);
    const ccis = [...new Set(rules.items.flatMap((r) => r.ccis))];
    const mappings = await library.mapCcisToControls(ccis);
    expect(new Set(mappings.map((m) => m.cci)).size).toBe(96);
    expect(mappings.filter((m) => !m.resolved)).toEqual([]);
  });

  it('maps the whole CCI list as a view of the whole catalog file does, reading each control once', async () => {
    const { repo, read } = countingRepository();
    const ids = (await db.selectFrom('cci_item').select('cci_id').where('document_id', '=', cci.documentId).execute()).map((r) => r.cci_id);
    const items = await repo.getCciItems(cci.documentId, ids);
    const file = JSON.parse(fs.readFileSync(shared(...REV5_CATALOG_JSON), 'utf8')) as { catalog: { groups: OscalGroup[] } };
    const whole = catalogViewOf(file.catalog.groups.flatMap((g) => g.controls ?? ([] as OscalControl[])), catalog.documentId);
    const expected = dedupeMappings(items.flatMap((i) => mapCci(i, [whole])));
    expect(expected.filter((m) => m.via !== undefined).length).toBeGreaterThan(100);
    const mapper = new ContentLibraryService(repo);
    expect(await mapper.mapCcisToControls(ids)).toEqual(expected);
    expect(new Set(read).size).toBe(read.length);
    // Read once per process: a second mapping reads nothing.
    expect(await mapper.mapCcisToControls(ids.slice(0, 500))).toEqual(dedupeMappings(items.slice(0, 500).flatMap((i) => mapCci(i, [whole]))));
    expect(new Set(read).size).toBe(read.length);
  });

  it('reads only the controls a benchmark\'s CCIs name, and those their withdrawal links lead to', async () => {
    const { repo, read } = countingRepository();
    const rules = await library.listRules(v2r2.documentId);
    await new ContentLibraryService(repo).mapCcisToControls([...new Set(rules.items.flatMap((r) => r.ccis))]);
    expect(read.length).toBeLessThan(100);
    await new ContentLibraryService(repo).mapCcisToControls(['CCI-001749']);
    expect(read.slice(-2)).toEqual(['cm-5.3', 'cm-14']);
  });

  /** A repository over the test's database that records the control ids mapping reads. */
  function countingRepository(): { repo: ContentRepository; read: string[] } {
    const repo = new ContentRepository(db);
    const read: string[] = [];
    const getMappedControls = repo.getMappedControls.bind(repo);
    repo.getMappedControls = (documentId, ids) => {
      read.push(...ids);
      return getMappedControls(documentId, ids);
    };
    return { repo, read };
  }
});

describe('compareVersions', () => {
  it('compares numerically part by part', () => {
    expect(compareVersions('2', '10')).toBeLessThan(0);
    expect(compareVersions('5.1.1', '5.0.1')).toBeGreaterThan(0);
    expect(compareVersions('2023-06-07', '2023-06-07')).toBe(0);
    expect(compareVersions('1.2', '1.2.1')).toBeLessThan(0);
  });
});
