/**
 * CCI reverse queries over a real library (CCI list, Docker STIG V2R2, SP 800-53 rev5, the MODERATE
 * baseline): the expected rules per control are computed here independently, from the CCI list and the
 * STIG read with regular expressions and the catalog JSON read directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFor } from '../../../src/checks/registry.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { DefaultCoverageService } from '../../../src/library/coverage-service.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { BaselineRepository } from '../../../src/repositories/baseline-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LibraryIndexRepository } from '../../../src/repositories/library-index-repository.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir, localContents } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { LocalRelatedFiles } from '../../../src/library/profile-resolution/source-loader.js';

const MODERATE = shared('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');

// ---- the independent reading ----

const controlOfIndex = (piece: string): string | undefined => {
  const m = /^([A-Z]{2,3})-0*(\d+)(?:\s*\(\s*0*(\d+)\s*\))?/.exec(piece.trim());
  return m ? `${m[1]!.toLowerCase()}-${Number(m[2])}${m[3] !== undefined ? `.${Number(m[3])}` : ''}` : undefined;
};

interface CatalogControl { withdrawn: boolean; links: { rel?: string; href: string }[] }
function catalogControls(): Map<string, CatalogControl> {
  const out = new Map<string, CatalogControl>();
  type C = { id: string; props?: { name: string; value: string }[]; links?: { rel?: string; href: string }[]; controls?: C[] };
  const visit = (cs: C[] = []): void => cs.forEach((c) => (out.set(c.id, { withdrawn: (c.props ?? []).some((p) => p.name === 'status' && p.value === 'withdrawn'), links: c.links ?? [] }), visit(c.controls)));
  const json = JSON.parse(fs.readFileSync(shared(...REV5_CATALOG_JSON), 'utf8')) as { catalog: { groups: { controls?: C[] }[] } };
  for (const g of json.catalog.groups) visit(g.controls);
  return out;
}

/** CCI → the rev5 controls it names: its rev5 references, else its rev4 ones (withdrawn controls followed). */
function cciControls(): Map<string, Set<string>> {
  const catalog = catalogControls();
  const follow = (id: string): string[] => {
    const c = catalog.get(id);
    if (!c?.withdrawn) return [id];
    return c.links.filter((l) => l.rel === 'moved-to' || l.rel === 'incorporated-into').flatMap((l) => follow(l.href.slice(1).split('_')[0]!));
  };
  const xml = fs.readFileSync(shared(...CCI_LIST), 'utf8');
  const out = new Map<string, Set<string>>();
  for (const m of xml.matchAll(/<cci_item id="(CCI-\d+)">([\s\S]*?)<\/cci_item>/g)) {
    const refs = [...m[2]!.matchAll(/<reference [^>]*title="([^"]*)" version="([^"]*)"[^>]*index="([^"]*)"/g)].map((r) => ({ title: r[1]!, version: r[2]!, index: r[3]! }));
    const of = (v: string) => refs.filter((r) => r.version === v && /800-53/.test(r.title) && !/800-53A/.test(r.title));
    const rev5 = of('5');
    const ids = rev5.length > 0
      ? rev5.flatMap((r) => r.index.split(',').map(controlOfIndex))
      : of('4').flatMap((r) => r.index.split(',').map(controlOfIndex)).flatMap((id) => (id === undefined ? [] : follow(id)));
    out.set(m[1]!, new Set(ids.filter((id): id is string => id !== undefined)));
  }
  return out;
}

/** The Docker STIG's rules (STIG id → CCIs), in document order, read with regular expressions. */
function dockerRules(): [string, string[]][] {
  const xml = fs.readFileSync(shared(...DOCKER_STIG_V2R2), 'utf8');
  return [...xml.matchAll(/<Rule\b[^>]*>([\s\S]*?)<\/Rule>/g)].map((m) => [
    /<version>([^<]*)<\/version>/.exec(m[1]!)![1]!,
    [...m[1]!.matchAll(/<ident system="http:\/\/cyber\.mil\/cci">([^<]+)<\/ident>/g)].map((x) => x[1]!),
  ]);
}

const CCI = cciControls();
const RULES = dockerRules();
/** STIG ids of the Docker rules evidencing a control, in document order. */
const expectedRules = (controlId: string): string[] => RULES.filter(([, ccis]) => ccis.some((c) => CCI.get(c)?.has(controlId))).map(([id]) => id);

describe('CCI reverse queries', () => {
  let dir: string;
  let db: Db;
  let coverage: DefaultCoverageService;
  let moderateId: string;
  let benchmarkId: string;

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const content = new ContentRepository(db);
    const baselines = new BaselineRepository(db);
    const summaries = await new LibraryImportService(content, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) }).importDocuments(localContents(
      [shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_JSON), MODERATE]),
      LOCAL_CLI_PRINCIPAL, { related: new LocalRelatedFiles() }
    );
    benchmarkId = summaries[1]!.documentId;
    moderateId = summaries[3]!.documentId;
    coverage = new DefaultCoverageService({
      library: new ContentLibraryService(content),
      index: new LibraryIndexRepository(db),
      baselines: { get: async (ref) => (await baselines.get(ref)) ?? (await baselines.findByProfileUuid(ref))[0], controlsOf: (id) => baselines.controlsOf(id) },
      automated: (stigId) => checkFor(stigId) !== undefined,
    });
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['cm-7', 'cm-6', 'ac-3', 'au-12', 'cm-14', 'ia-2.1', 'sc-8', 'ia-5.1'])('rulesForControl(%s) lists exactly the rules whose CCIs name it (cm-14, ia-2.1: through withdrawn rev4 controls)', async (controlId) => {
    const evidence = await coverage.rulesForControl(controlId);
    if (['cm-7', 'cm-6', 'au-12', 'cm-14', 'ia-2.1'].includes(controlId)) expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.map((e) => e.rule.stigId)).toEqual(expectedRules(controlId));
    for (const e of evidence) {
      const ccis = RULES.find(([id]) => id === e.rule.stigId)![1].filter((c) => CCI.get(c)?.has(controlId));
      expect(e.ccis).toEqual(ccis);
      expect(e.statementIds.every((s) => s === controlId || s.startsWith(`${controlId}_smt`))).toBe(true);
      expect(e).toMatchObject({ benchmarkDocumentId: benchmarkId, benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', benchmarkRelease: '2', automated: checkFor(e.rule.stigId) !== undefined });
    }
  });

  it('finds rules for cm-7 (DKER-EE-002000, host network, among them) and none for a control nothing cites', async () => {
    expect((await coverage.rulesForControl('CM-7')).map((e) => e.rule.stigId)).toContain('DKER-EE-002000');
    expect(expectedRules('pe-3')).toEqual([]);
    expect(await coverage.rulesForControl('pe-3')).toEqual([]);
    expect((await rejection(coverage.rulesForControl('  '))).code).toBe('BAD_INPUT');
  });

  it('baselineCoverage(MODERATE): every control’s automated and manual rule counts match the independent reading', async () => {
    const result = await coverage.baselineCoverage(moderateId);
    expect(result.totalControls).toBe(287);
    expect(result.benchmarkDocumentIds).toEqual([benchmarkId]);
    const ruleSet = new Set<string>();
    for (const c of result.controls) {
      const rules = expectedRules(c.controlId);
      rules.forEach((r) => ruleSet.add(r));
      const automated = rules.filter((r) => checkFor(r) !== undefined).length;
      expect({ id: c.controlId, automated: c.automatedRules, manual: c.manualRules }).toEqual({ id: c.controlId, automated, manual: rules.length - automated });
    }
    const covered = result.controls.filter((c) => c.automatedRules + c.manualRules > 0).length;
    const automatedControls = result.controls.filter((c) => c.automatedRules > 0).length;
    expect(result).toMatchObject({ coveredControls: covered, automatedControls, manualOnlyControls: covered - automatedControls, uncoveredControls: 287 - covered });
    expect(covered).toBeGreaterThan(10);
    expect(automatedControls).toBeGreaterThan(0);
    expect(result.ruleCount).toBe(ruleSet.size);
    expect(result.automatedRuleCount).toBe([...ruleSet].filter((r) => checkFor(r) !== undefined).length);
    // By profile uuid, restricted to the benchmark by its XCCDF id: the same.
    const profileUuid = (JSON.parse(fs.readFileSync(MODERATE, 'utf8')) as { profile: { uuid: string } }).profile.uuid;
    const again = await coverage.baselineCoverage(profileUuid, { benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' });
    expect(again).toEqual(result);
  });

  it('refuses an unknown baseline or benchmark', async () => {
    expect((await rejection(coverage.baselineCoverage('nope'))).code).toBe('NOT_FOUND');
    expect((await rejection(coverage.baselineCoverage(moderateId, { benchmark: 'nope' }))).code).toBe('NOT_FOUND');
  });
});
