/**
 * The automation records (catalogs/docker-stig-automation.json): recomputed from the shared V2R2 file with the
 * project's own checkContentHash, complete for the registered checks, and used by evaluation to flag rules
 * whose check text changed since their check was written (V2R1 against V2R2, and an edited check text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOMATION_DATA_PATH, generateStigData, loadBenchmark, REPO_ROOT } from '../../../scripts/generate-stig-data.js';
import { evaluateNode } from '../../../src/assessment/evaluate.js';
import {
  AUTOMATION_RECORDS,
  automationRecordFor,
  automationStatusOf,
  buildAutomationData,
  STALE_AUTOMATION_MESSAGE,
  validateAutomationData,
} from '../../../src/checks/automation.js';
import { CHECKS, checkFor } from '../../../src/checks/registry.js';
import { isDockerStigId } from '../../../src/checks/check.js';
import { REMEDIATIONS, remediationFor } from '../../../src/checks/remediation.js';
import type { BenchmarkRule } from '../../../src/domain/content.js';
import { checkContentHash } from '../../../src/formats/xccdf/rule.js';
import { DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, shared } from '../../harness/content.js';
import { nodeFacts, variant } from './facts-helpers.js';

const v2r2 = loadBenchmark(shared(...DOCKER_STIG_V2R2));
const v2r1 = loadBenchmark(shared(...DOCKER_STIG_V2R1));
const catalog = { checkFor, automationFor: automationRecordFor, remediationFor };
/** The Docker STIG's checks (the PLM-… checks decide rules of Plimsoll's own benchmark, not of V2R2). */
const STIG_CHECKS = CHECKS.filter((c) => isDockerStigId(c.stigId));
const noControls = (): [] => [];

describe('automation records', () => {
  it('are what the generator computes from the shared V2R2 file (regenerate with npx vite-node scripts/generate-stig-data.ts)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, AUTOMATION_DATA_PATH), 'utf8');
    expect(committed).toBe(generateStigData(shared(...DOCKER_STIG_V2R2)).get(AUTOMATION_DATA_PATH));
  });

  it('name, for every registered check and every rule being automated, the V2R2 hash of its check text', () => {
    const byStigId = new Map(v2r2.rules.map((r) => [r.stigId, r]));
    const expected = new Set([...STIG_CHECKS.map((c) => c.stigId), ...Object.keys(REMEDIATIONS)]);
    expect([...AUTOMATION_RECORDS.keys()].sort()).toEqual([...expected].sort());
    for (const check of STIG_CHECKS) {
      const record = automationRecordFor(check.stigId);
      const rule = byStigId.get(check.stigId);
      expect(record, `${check.stigId} is registered but has no automation record`).toBeDefined();
      // Recomputed from the check text itself, not copied from the parser's field.
      expect(record).toEqual({ stigId: check.stigId, release: 'V2R2', ruleId: rule!.ruleId, checkContentHash: checkContentHash(rule!.checkContent) });
    }
  });

  it('rejects a malformed data file, naming each bad entry', () => {
    expect(() => validateAutomationData({ benchmarkId: 'b', rules: { 'DKER-EE-001960': { release: 'V2R2', ruleId: 'SV-1', checkContentHash: 'abc' }, 'XYZ-1': { release: 'R2', ruleId: '', checkContentHash: 'f'.repeat(64) } } })).toThrow(
      /DKER-EE-001960: "checkContentHash"[\s\S]*XYZ-1: not a Docker STIG id[\s\S]*XYZ-1: "release"[\s\S]*XYZ-1: "ruleId"/,
    );
    expect(() => validateAutomationData({ rules: [] })).toThrow(/"rules" object/);
  });

  it('refuses to record a rule the benchmark does not hold', () => {
    expect(() => buildAutomationData({ benchmarkId: v2r2.benchmarkId, release: 'V2R2', file: 'v2r2.xml', rules: v2r2.rules }, ['DKER-EE-001960', 'DKER-EE-000001'])).toThrow(/no rule in v2r2\.xml for DKER-EE-000001/);
  });
});

describe('staleness in evaluation', () => {
  const facts = nodeFacts([variant('web', { ReadonlyRootfs: false })]);

  it('flags nothing on V2R2, the release the checks were written against', () => {
    const results = evaluateNode(v2r2.rules, facts, catalog, noControls);
    const automated = results.filter((r) => checkFor(r.stigId) !== undefined);
    expect(automated.length).toBe(STIG_CHECKS.length);
    for (const r of automated) expect(r.automation).toEqual({ stale: false, automatedAgainst: `V2R2 (hash ${r.checkContentHash.slice(0, 12)})` });
    expect(results.filter((r) => checkFor(r.stigId) === undefined).every((r) => r.automation === undefined)).toBe(true);
    expect(results.some((r) => r.message.includes(STALE_AUTOMATION_MESSAGE))).toBe(false);
  });

  it('flags exactly the V2R1 rules whose check text differs from V2R2 (none do: only rule revisions changed)', () => {
    const v2 = new Map(v2r2.rules.map((r) => [r.stigId, r]));
    const changed = v2r1.rules.filter((r) => checkFor(r.stigId) !== undefined && checkContentHash(r.checkContent) !== checkContentHash(v2.get(r.stigId)!.checkContent)).map((r) => r.stigId);
    const results = evaluateNode(v2r1.rules, facts, catalog, noControls);
    expect(results.filter((r) => r.automation?.stale === true).map((r) => r.stigId)).toEqual(changed);
    // V2R1 → V2R2 revised every rule id (…r…_rule) but no check text: staleness follows the text, not the id.
    const revised = v2r1.rules.filter((r) => v2.get(r.stigId)!.ruleId !== r.ruleId);
    expect(revised.length).toBe(v2r1.rules.length);
    expect(changed).toEqual([]);
    expect(results.find((r) => r.stigId === 'DKER-EE-999999')).toBeUndefined();
  });

  it('flags a rule whose check text changed and appends the warning to its message', () => {
    const readOnly = v2r1.rules.find((r) => r.stigId === 'DKER-EE-002030')!;
    const text = `${readOnly.checkContent}\nIf the container runs on a UCP manager, this is also a finding.`;
    const edited: BenchmarkRule = { ...readOnly, checkContent: text, checkContentHash: checkContentHash(text) };
    const untouched = v2r1.rules.find((r) => r.stigId === 'DKER-EE-001960')!;
    const [stale, fresh] = evaluateNode([edited, untouched], facts, catalog, noControls);
    const record = automationRecordFor('DKER-EE-002030')!;
    expect(stale!.status).toBe('fail');
    expect(stale!.automation).toEqual({ stale: true, automatedAgainst: `V2R2 (hash ${record.checkContentHash.slice(0, 12)})`, message: STALE_AUTOMATION_MESSAGE });
    expect(stale!.message).toBe(`1 of 1 containers have a writable root filesystem. ${STALE_AUTOMATION_MESSAGE}: it was written against V2R2 (hash ${record.checkContentHash.slice(0, 12)}).`);
    expect(fresh!.automation?.stale).toBe(false);
    expect(fresh!.message).not.toContain(STALE_AUTOMATION_MESSAGE);
    // Whitespace alone is no change: the hash covers normalised text.
    const reflowed = readOnly.checkContent.replace(/ /g, '  \n');
    expect(automationStatusOf({ checkContentHash: checkContentHash(reflowed) }, record).stale).toBe(false);
  });

  it('reports nothing about automation when the catalog has no records (fakes, other benchmarks)', () => {
    const [r] = evaluateNode(v2r2.rules.filter((x) => x.stigId === 'DKER-EE-002030'), facts, { checkFor }, noControls);
    expect(r!.automation).toBeUndefined();
    expect(r!.remediation).toBeUndefined();
  });
});
