import { describe, expect, it } from 'vitest';
import { summarize, type Assessment } from '../../../src/domain/assessment.js';
import type { Observation, RuleResult } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { reportInput } from '../reporting/report-input.js';

const AT = '2026-01-15T00:00:00.000Z';

function obs(name: string, exemptedBy?: string): Observation {
  return {
    target: { kind: 'container', id: `id-${name}`, name },
    field: 'HostConfig.Privileged',
    value: true,
    expected: 'false',
    verdict: 'fail',
    message: `${name} runs privileged`,
    collectedAt: AT,
    ...(exemptedBy !== undefined ? { exemptedBy } : {}),
  };
}

function failed(stigId: string, observations: Observation[], extra: Partial<RuleResult> = {}): RuleResult {
  return {
    nodeId: 'n1',
    stigId,
    ruleId: `SV-${stigId.slice(-4)}r1_rule`,
    groupId: `V-${stigId.slice(-4)}`,
    checkContentHash: '0'.repeat(64),
    title: `Title ${stigId}`,
    severity: 'medium',
    status: 'fail',
    message: 'fails',
    observations,
    controlIds: ['cm-7_smt.a'],
    ccis: ['CCI-000381'],
    fixText: 'Fix it.',
    ...extra,
  };
}

const EXEMPTION = { id: 'ex-1', name: 'Legacy agent', justification: 'Needed until the 2027 migration.', approvedBy: 'carol', approvedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-06-30' };

function build(results: RuleResult[]) {
  const assessment: Omit<Assessment, 'nodes'> = {
    id: 'asm-1',
    status: 'completed',
    benchmarkDocumentId: 'doc',
    benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
    benchmarkTitle: 'Docker STIG',
    benchmarkVersion: '2',
    benchmarkRelease: '2',
    nodeIds: ['n1'],
    startedAt: AT,
    finishedAt: AT,
    startedBy: 'alice',
    summary: summarize(results),
  };
  return AssessmentResultsWriter.fromSchema(shared(...OSCAL_SCHEMA_112)).render(reportInput({
    assessment,
    results,
    benchmark: { documentId: 'doc', benchmarkId: assessment.benchmarkId, title: 'Docker STIG', version: '2', release: '2' },
    nodes: [{ id: 'n1', name: 'node-one', endpoint: 'unix:///var/run/docker.sock', collectedAt: AT }],
    actor: { name: 'alice', role: 'assessor' },
    tool: { name: 'Plimsoll', version: '0.1.0' },
  })).results;
}

type Json = Record<string, any>;
const named = (props: Json[] | undefined, name: string): Json[] => (props ?? []).filter((p) => p.name === name);

describe('OSCAL assessment results with exemptions', () => {
  const results = [
    failed('DKER-EE-001240', [obs('legacy', 'ex-1')], { exemption: EXEMPTION }),
    failed('DKER-EE-001960', [obs('legacy', 'ex-1'), obs('web')], { expiredExemptions: [{ id: 'ex-0', name: 'Old web', expiresAt: '2025-12-31' }] }),
  ];
  const doc = build(results) as unknown as Json;
  const result = doc['assessment-results'].results[0] as Json;

  it('is valid OSCAL 1.1.2', () => {
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(doc, 'ar.json')).toEqual([]);
  });

  it('makes a fully exempted failure a deviation-approved risk and a partly exempted one an open risk', () => {
    const [deviation, open] = result.risks as Json[];
    expect(deviation.status).toBe('deviation-approved');
    expect(deviation.deadline).toBe('2027-07-01T00:00:00.000Z');
    expect(deviation['risk-log'].entries).toEqual([
      expect.objectContaining({ start: '2026-01-01T00:00:00Z', 'status-change': 'deviation-approved', description: 'Needed until the 2027 migration.' }),
    ]);
    expect(named(deviation.props, 'exemption-id')[0]).toMatchObject({ value: 'ex-1', remarks: 'Needed until the 2027 migration.' });
    expect(open.status).toBe('open');
    expect(open['risk-log']).toBeUndefined();
    expect(named(open.props, 'exemption-id')).toEqual([]);
  });

  it('keeps the findings not satisfied, naming the exemption and any expired one', () => {
    const [exempted, partial] = result.findings as Json[];
    expect(exempted.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(named(exempted.props, 'exemption-id').map((p) => p.value)).toEqual(['ex-1']);
    expect(named(partial.props, 'expired-exemption-id')[0]).toMatchObject({ value: 'ex-0', remarks: expect.stringContaining('2025-12-31') });
  });

  it('marks exempted evidence and keeps it with its fail verdict, one observation per container', () => {
    const ofRule = (result.observations as Json[]).filter((o) => named(o.props, 'stig-id')[0]?.value === 'DKER-EE-001960');
    const evidence = ofRule.flatMap((o) => (o['relevant-evidence'] as Json[]).map((e) => [o.subjects[0].title, named(e.props, 'verdict')[0]?.value, named(e.props, 'exempted-by')[0]?.value]));
    expect(evidence).toEqual([
      ['legacy', 'fail', 'ex-1'],
      ['web', 'fail', undefined],
    ]);
    expect(ofRule.map((o) => named(o.props, 'exempted-by')[0]?.value)).toEqual(['ex-1', undefined]);
  });
});
