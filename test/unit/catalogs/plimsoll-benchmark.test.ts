/**
 * Plimsoll's own benchmark (catalogs/plimsoll-container-platform-xccdf.xml): valid XCCDF 1.2 by OpenSCAP's own
 * schema and Schematron checks (`oscap xccdf validate`, an oracle that shares no code with Plimsoll), pinned by
 * sha256, read by Plimsoll's parser as the seven rules of the session's table, and mapped (through DISA's CCI
 * list and NIST's rev5 catalog, both real) to the SP 800-53 controls the table names.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directRev5References } from '../../../src/domain/cci-mapping.js';
import type { BenchmarkDocument } from '../../../src/domain/content.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseBenchmark } from '../../../src/formats/xccdf/parse.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { CCI_LIST, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, localContents, repoRoot, shared, tempDir } from '../../harness/content.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';

const CATALOGS = path.join(repoRoot, 'catalogs');
const FILE = path.join(CATALOGS, 'plimsoll-container-platform-xccdf.xml');

/** The session's table: rule version → the SP 800-53 rev5 controls it must evidence. */
const TABLE: Record<string, string[]> = {
  'PLM-SEC-001': ['ia-5.7', 'sc-28'],
  'PLM-SEC-002': ['ia-5.7', 'sc-28'],
  'PLM-SEC-003': ['ia-5.7'],
  'PLM-SEC-004': ['ia-5.7', 'sc-28'],
  'PLM-SEC-005': ['ia-5.1', 'ia-5'],
  'PLM-ENV-001': ['cm-7.5', 'ac-5', 'cm-14'],
  'PLM-ENV-002': ['ac-5', 'ac-3'],
};

function parse(): BenchmarkDocument {
  const fp = fingerprint(FILE, fs.readFileSync(FILE));
  if (fp.kind !== 'benchmark') throw new Error(`fingerprinted as ${fp.kind}`);
  return parseBenchmark(fp.root, FILE, fp.xccdfVersion);
}

describe('catalogs/plimsoll-container-platform-xccdf.xml', () => {
  it('is valid XCCDF 1.2 for OpenSCAP (schema and Schematron)', () => {
    // execFileSync throws on a non-zero exit: an invalid document fails the test with oscap's own message.
    const out = execFileSync('oscap', ['xccdf', 'validate', '--schematron', FILE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).not.toMatch(/error/i);
    // OpenSCAP sees the seven rules too (its generated guide names every rule).
    const guide = execFileSync('oscap', ['xccdf', 'generate', 'guide', FILE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    expect(new Set([...guide.matchAll(/xccdf_io\.plimsoll_rule_[a-z_]+/g)].map((m) => m[0])).size).toBe(7);
  });

  it('is pinned by sha256 in catalogs/builtin-benchmarks.json (a changed file needs a new pin and release)', () => {
    const list = JSON.parse(fs.readFileSync(path.join(CATALOGS, 'builtin-benchmarks.json'), 'utf8')) as { benchmarks: { name: string; file: string; sha256: string; benchmarkId: string }[] };
    const entry = list.benchmarks.find((b) => b.name === 'plimsoll_container_platform');
    expect(entry).toMatchObject({ file: path.basename(FILE), benchmarkId: 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform' });
    expect(createHash('sha256').update(fs.readFileSync(FILE)).digest('hex')).toBe(entry!.sha256);
  });

  it('holds the seven rules of the table, each with the texts an assessor needs', () => {
    const doc = parse();
    expect(doc).toMatchObject({ benchmarkId: 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform', xccdfVersion: '1.2', version: '1', release: '1', status: 'draft' });
    expect(doc.rules.map((r) => r.stigId)).toEqual(Object.keys(TABLE));
    for (const r of doc.rules) {
      expect(r.ruleId, r.stigId).toMatch(/^xccdf_io\.plimsoll_rule_[a-z_]+$/);
      expect(['high', 'medium', 'low'], r.stigId).toContain(r.severity);
      for (const text of [r.title, r.discussion, r.rationale ?? '', r.fixText, r.checkContent]) expect(text.length, r.stigId).toBeGreaterThan(40);
      // The check text says what the automation reads (the Engine API), and the fix text gives commands.
      expect(r.checkContent, r.stigId).toMatch(/Engine API|registration/);
      expect(r.fixText, r.stigId).toMatch(/docker (service|secret|build|tag|push|run)/);
      // Every control comes from a CCI or a direct rev5 reference.
      expect(r.ccis.length + directRev5References(r).length, r.stigId).toBeGreaterThan(0);
    }
    expect(doc.profiles.map((p) => [p.id, p.selectedRuleIds.length])).toEqual([
      ['xccdf_io.plimsoll_profile_all', 7],
      ['xccdf_io.plimsoll_profile_secrets', 5],
    ]);
  });

  describe('mapped with the real CCI list and rev5 catalog', () => {
    let dir: string;
    let db: Db;
    let library: ContentLibraryService;
    let doc: BenchmarkDocument;

    beforeAll(async () => {
      dir = tempDir();
      db = await openDatabase(path.join(dir, 'plimsoll.db'));
      const repo = new ContentRepository(db);
      const importer = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
      await importer.importDocuments(localContents([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), FILE]), LOCAL_CLI_PRINCIPAL);
      library = new ContentLibraryService(repo);
      doc = parse();
    }, 120_000);

    afterAll(async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('evidences every control of the table, resolved in the catalog, and keeps direct references through storage', async () => {
      const stored = await library.findBenchmark('plimsoll_container_platform');
      const rules = (await library.listRules(stored!.documentId)).items;
      expect(rules.find((r) => r.stigId === 'PLM-SEC-005')?.sp80053).toEqual([{ control: 'IA-5(1)', revision: '5' }]);
      for (const r of rules) {
        const mappings = [...(await library.mapCcisToControls(r.ccis)), ...(await library.mapReferencesToControls(directRev5References(r)))];
        expect(mappings.every((m) => m.resolved), `${r.stigId}: ${JSON.stringify(mappings.filter((m) => !m.resolved))}`).toBe(true);
        const controls = new Set(mappings.map((m) => m.controlId));
        expect([...controls].sort(), r.stigId).toEqual([...TABLE[r.stigId]!].sort());
      }
      expect(doc.rules).toHaveLength(rules.length);
    });

    it('uses direct references only for controls the rule\'s CCIs do not already cover', async () => {
      for (const r of doc.rules) {
        const viaCci = new Set((await library.mapCcisToControls(r.ccis)).map((m) => m.controlId));
        for (const ref of directRev5References(r)) {
          const [direct] = await library.mapReferencesToControls([ref]);
          expect(viaCci.has(direct!.controlId), `${r.stigId} ${ref}`).toBe(false);
        }
      }
    });
  });
});
