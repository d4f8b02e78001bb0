/**
 * Concrete remediations: one for every registered check, each for a rule of the V2R2 benchmark; evaluation
 * attaches it (after the fix text, kept as-is) to failed results only, and the OSCAL assessment results carry
 * it as the risk's recommended remediation.
 */
import { reportInput } from '../reporting/report-input.js';
import { describe, expect, it } from 'vitest';
import { loadBenchmark } from '../../../scripts/generate-stig-data.js';
import { evaluateNode } from '../../../src/assessment/evaluate.js';
import { automationRecordFor } from '../../../src/checks/automation.js';
import { CHECKS, checkFor } from '../../../src/checks/registry.js';
import { isDockerStigId } from '../../../src/checks/check.js';
import { REMEDIATIONS, remediationFor, withConcreteRemediation } from '../../../src/checks/remediation.js';
import { summarize } from '../../../src/domain/assessment.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import type { OscalJson } from '../../../src/reporting/oscal-values.js';
import { DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { COLLECTED_AT, nodeFacts, variant } from './facts-helpers.js';

const v2r2 = loadBenchmark(shared(...DOCKER_STIG_V2R2));
const catalog = { checkFor, automationFor: automationRecordFor, remediationFor };

/** Every rule automated now or being automated (issue #4). */
const AUTOMATED_OR_PLANNED = [
  ...'001190 001240 001250 001930 001940 001950 001960 001970 002000 002010 002020 002030 002040 002050 002060 002070 002080 002090 002100 002110 002120 002130 002150 002160 002770 002780 004030 004040'.split(' '),
  ...'001050 001070 001370 001800 001810 001830 001840 003200 003230 003310 003320 004130 999999'.split(' '),
  ...'002400 005060 006240 006270'.split(' '),
  ...'005170 005180 005190 005200 005210 005220 005230 005240 005250 005260 005270 005280 005290 005300 005310 005320 005330 005340 005350 005360 001090'.split(' '),
].map((n) => `DKER-EE-${n}`);

describe('the remediation table', () => {
  it('has an entry for every registered Docker STIG check and every rule being automated', () => {
    // Plimsoll's own rules (PLM-…) carry concrete commands in their fix text already.
    expect(CHECKS.filter((c) => isDockerStigId(c.stigId) && remediationFor(c.stigId) === undefined).map((c) => c.stigId)).toEqual([]);
    expect(AUTOMATED_OR_PLANNED.filter((id) => remediationFor(id) === undefined)).toEqual([]);
  });

  it('names only rules of the V2R2 benchmark, each with a command, flag or setting', () => {
    const ids = new Set(v2r2.rules.map((r) => r.stigId));
    expect(Object.keys(REMEDIATIONS).filter((id) => !ids.has(id))).toEqual([]);
    for (const [id, text] of Object.entries(REMEDIATIONS)) expect(text, id).toMatch(/`[^`]+`/);
    expect(remediationFor('DKER-EE-002030')).toContain('read_only: true');
    expect(remediationFor('DKER-EE-001830')).toContain('"userland-proxy": false');
    expect(remediationFor('toString')).toBeUndefined();
  });

  it('appends the concrete remediation to the fix text', () => {
    expect(withConcreteRemediation('Do X.\n', '`x --y`')).toBe('Do X.\n\nConcrete remediation: `x --y`');
    expect(withConcreteRemediation('  ', '`x`')).toBe('Concrete remediation: `x`');
  });
});

describe('remediation in results and assessment results', () => {
  const facts = nodeFacts([variant('web', { ReadonlyRootfs: false }), variant('db', {})]);
  // DKER-EE-001960's check text edited, as a later release might: its result is flagged stale.
  const rules = v2r2.rules.map((r) => (r.stigId === 'DKER-EE-001960' ? { ...r, checkContent: `${r.checkContent} Also check pods.`, checkContentHash: 'e'.repeat(64) } : r));
  const results = evaluateNode(rules, facts, catalog, () => []);

  it('is set on failed results only, after the fix text kept as-is', () => {
    const readOnly = results.find((r) => r.stigId === 'DKER-EE-002030')!;
    const rule = v2r2.rules.find((r) => r.stigId === 'DKER-EE-002030')!;
    expect(readOnly.status).toBe('fail');
    expect(readOnly.fixText).toBe(rule.fixText);
    expect(readOnly.remediation).toBe(`${rule.fixText.trim()}\n\nConcrete remediation: ${REMEDIATIONS['DKER-EE-002030']}`);
    const others = results.filter((r) => r.status !== 'fail');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((r) => r.remediation === undefined)).toBe(true);
    expect(results.filter((r) => r.status === 'fail').every((r) => r.remediation?.includes('Concrete remediation: '))).toBe(true);
  });

  it('becomes the risk\'s recommended remediation, and staleness a finding property, in schema-valid OSCAL', () => {
    const writer = AssessmentResultsWriter.fromSchema(shared(...OSCAL_SCHEMA_112));
    const doc = writer.render(reportInput({
      assessment: {
        id: 'asm-1', status: 'completed', benchmarkDocumentId: 'doc-1', benchmarkId: v2r2.benchmarkId, benchmarkTitle: v2r2.title, benchmarkVersion: '2', benchmarkRelease: '2',
        nodeIds: ['node-1'], startedAt: COLLECTED_AT, finishedAt: COLLECTED_AT, startedBy: 'tester', summary: summarize(results),
      },
      results,
      benchmark: { documentId: 'doc-1', benchmarkId: v2r2.benchmarkId, title: v2r2.title, version: '2', release: '2' },
      nodes: [{ id: 'node-1', name: 'node one', endpoint: 'unix:///var/run/docker.sock', collectedAt: COLLECTED_AT }],
      actor: { name: 'tester' },
      tool: { name: 'Plimsoll', version: 'test' },
    })).results;
    const result = (doc['assessment-results'] as unknown as { results: { risks: OscalJson[]; findings: OscalJson[] }[] }).results[0]!;
    const stigOf = (x: OscalJson): string | undefined => (x.props as { name: string; value: string }[]).find((p) => p.name === 'stig-id')?.value;
    const risk = result.risks.find((r) => stigOf(r) === 'DKER-EE-002030')!;
    expect(risk.remediations).toEqual([expect.objectContaining({ lifecycle: 'recommendation', title: 'Remediate DKER-EE-002030', description: expect.stringContaining('Concrete remediation: Run the container with a read-only root filesystem') })]);
    const finding = result.findings.find((f) => stigOf(f) === 'DKER-EE-002030')!;
    expect(finding.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'automation-stale', value: 'false' }), expect.objectContaining({ name: 'automated-against', value: expect.stringMatching(/^V2R2 \(hash [0-9a-f]{12}\)$/) })]));
    const stale = result.findings.find((f) => stigOf(f) === 'DKER-EE-001960')!;
    expect(stale.props).toContainEqual(expect.objectContaining({ name: 'automation-stale', value: 'true', remarks: expect.stringContaining('may be stale') }));
    expect(stale.description).toContain('The check text changed since this automation was written');
    const manual = result.findings.find((f) => stigOf(f) === 'DKER-EE-001900')!;
    expect((manual.props as { name: string }[]).some((p) => p.name === 'automation-stale')).toBe(false);
  });
});
