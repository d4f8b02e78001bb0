import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../../src/domain/assessment.js';
import { summarize } from '../../../src/domain/assessment.js';
import type { RuleResult, RuleStatus } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import type { ArNode, AssessmentResultsInput } from '../../../src/reporting/oscal-ar-builder.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import type { OscalFindingJson } from '../../../src/reporting/oscal-values.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const COLLECTED = '2024-07-24T12:00:01.000Z';

const NODES: ArNode[] = [
  { id: 'node-a', name: 'alpha', endpoint: 'unix:///var/run/docker.sock', collectedAt: COLLECTED, factsSha256: 'a'.repeat(64), engineVersion: '26.1.5' },
  { id: 'node-b', name: 'beta', endpoint: 'tcp://10.0.0.5:2376', collectedAt: COLLECTED, factsSha256: 'b'.repeat(64) },
];

interface RuleSpec {
  stigId: string;
  ruleId: string;
  controlIds: string[];
  severity: RuleResult['severity'];
}

const RULES: RuleSpec[] = [
  { stigId: 'DKER-EE-001960', ruleId: 'SV-235802r960963_rule', controlIds: ['cm-7_smt.a', 'cm-7_smt.b'], severity: 'medium' },
  { stigId: 'DKER-EE-002000', ruleId: 'SV-235803r960963_rule', controlIds: ['ac-6.10'], severity: 'high' },
  { stigId: 'DKER-EE-001800', ruleId: 'SV-235799r960963_rule', controlIds: ['cm-6_smt.b'], severity: 'medium' },
  // No mapped statement: the finding falls back to the rule as an objective.
  { stigId: 'DKER-EE-999999', ruleId: 'SV-260000r1_rule', controlIds: [], severity: 'low' },
  { stigId: 'DKER-EE-003200', ruleId: 'SV-235820r960963_rule', controlIds: ['au-12_smt.c'], severity: 'medium' },
];

// Per node, the status of each rule (in RULES order).
const STATUSES: Record<string, RuleStatus[]> = {
  'node-a': ['pass', 'fail', 'not-checked', 'fail', 'not-applicable'],
  'node-b': ['fail', 'pass', 'not-checked', 'error', 'pass'],
};

function result(nodeId: string, spec: RuleSpec, status: RuleStatus): RuleResult {
  const container = { kind: 'container' as const, id: 'c0ffee', name: 'web\nfront' };
  const observations =
    status === 'pass' || status === 'fail'
      ? [
          {
            target: container,
            field: 'HostConfig.Privileged',
            value: status === 'fail',
            expected: 'false',
            verdict: status,
            message: status === 'fail' ? 'web runs privileged' : 'web is not privileged',
            collectedAt: COLLECTED,
          },
          { target: { kind: 'daemon' as const, id: 'engine', name: 'engine' }, field: 'SecurityOptions', value: ['name=seccomp', 'name=userns  x'], expected: 'userns enabled\n(any profile)', verdict: 'pass' as const, message: 'ok', collectedAt: COLLECTED },
        ]
      : [];
  return {
    nodeId,
    stigId: spec.stigId,
    ruleId: spec.ruleId,
    groupId: spec.ruleId.replace(/^SV-(\d+).*/, 'V-$1'),
    checkContentHash: `${spec.stigId.length}`.padStart(64, '0'),
    title: `Title of ${spec.stigId}`,
    severity: spec.severity,
    status,
    message: status === 'not-checked' ? 'No automated check; manual review required' : status === 'error' ? 'Check failed: boom' : `${status} on ${nodeId}`,
    observations,
    controlIds: spec.controlIds,
    ccis: ['CCI-000381'],
    fixText: status === 'fail' && spec.stigId === 'DKER-EE-999999' ? '' : `Fix ${spec.stigId}:\n  run docker with --flag\n`,
  };
}

function input(): AssessmentResultsInput {
  const results = NODES.flatMap((n) => RULES.map((spec, i) => result(n.id, spec, STATUSES[n.id]![i]!)));
  const assessment: Assessment = {
    id: 'asm-1',
    status: 'completed',
    benchmarkDocumentId: 'doc-1',
    benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
    benchmarkTitle: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide',
    benchmarkVersion: '2',
    benchmarkRelease: '2',
    profileId: 'MAC-1_Classified',
    nodeIds: NODES.map((n) => n.id),
    startedAt: '2024-07-24T12:00:00.000Z',
    finishedAt: '2024-07-24T12:00:05.000Z',
    startedBy: 'alice',
    summary: summarize(results),
  };
  return {
    assessment,
    results,
    benchmark: { documentId: 'doc-1', benchmarkId: assessment.benchmarkId, title: assessment.benchmarkTitle, version: '2', release: '2', releaseDate: '2024-07-24', sourceFile: '/x/stig.xml', sha256: 'f'.repeat(64) },
    profile: { id: 'MAC-1_Classified', title: 'I - Mission Critical Classified' },
    nodes: NODES,
    actor: { name: 'alice', role: 'assessor' },
    tool: { name: 'Plimsoll', version: '0.1.0' },
  };
}

function propValues(props: { name: string; value: string }[] | undefined, name: string): string[] {
  return (props ?? []).filter((p) => p.name === name).map((p) => p.value);
}

describe('AssessmentResultsWriter', () => {
  const writer = AssessmentResultsWriter.fromSchema(schemaPath);

  it('renders a document the official OSCAL 1.1.2 schema accepts', () => {
    const doc = writer.render(input());
    expect(createOscalValidator(schemaPath).validate(doc, 'ar.json')).toEqual([]);
    const ar = doc['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe('1.1.2');
    expect(ar.results).toHaveLength(1);
  });

  it('has one observation and one finding per rule per node, and one risk per failure', () => {
    const ar = writer.render(input())['assessment-results'];
    const r = ar.results[0]!;
    expect(r.observations).toHaveLength(10);
    expect(r.findings).toHaveLength(10);
    const failures = Object.values(STATUSES).flat().filter((s) => s === 'fail').length;
    expect(r.risks).toHaveLength(failures);
    expect(failures).toBe(3);

    const pairs = new Set(r.findings!.map((f) => `${propValues(f.props, 'node-id')[0]}|${propValues(f.props, 'stig-id')[0]}`));
    expect(pairs.size).toBe(10);

    const observationUuids = new Set(r.observations!.map((o) => o.uuid));
    const riskUuids = new Set(r.risks!.map((k) => k.uuid));
    for (const f of r.findings!) {
      expect(f['related-observations']).toHaveLength(1);
      expect(observationUuids.has(f['related-observations']![0]!['observation-uuid'])).toBe(true);
      const failed = propValues(f.props, 'result')[0] === 'fail';
      expect(f['related-risks']?.length ?? 0).toBe(failed ? 1 : 0);
      if (failed) expect(riskUuids.has(f['related-risks']![0]!['risk-uuid'])).toBe(true);
    }
    for (const k of r.risks!) expect(k.status).toBe('open');
  });

  it('targets the first mapped statement, or the rule as an objective when none is mapped', () => {
    const r = writer.render(input())['assessment-results'].results[0]!;
    const finding = (node: string, stig: string): OscalFindingJson =>
      r.findings!.find((f) => propValues(f.props, 'node-id')[0] === node && propValues(f.props, 'stig-id')[0] === stig)!;

    const privileged = finding('node-b', 'DKER-EE-001960');
    expect(privileged.target).toMatchObject({ type: 'statement-id', 'target-id': 'cm-7_smt.a', status: { state: 'not-satisfied', reason: 'fail' } });
    expect(propValues(privileged.props, 'control-statement')).toEqual(['cm-7_smt.a', 'cm-7_smt.b']);
    expect(finding('node-a', 'DKER-EE-001960').target.status).toEqual({ state: 'satisfied', reason: 'pass' });

    const unmapped = finding('node-a', 'DKER-EE-999999');
    expect(unmapped.target).toMatchObject({ type: 'objective-id', 'target-id': 'SV-260000r1_rule', status: { state: 'not-satisfied', reason: 'fail' } });

    // Nobody decided these: never satisfied.
    expect(finding('node-a', 'DKER-EE-001800').target.status.state).toBe('not-satisfied');
    expect(finding('node-b', 'DKER-EE-999999').target.status.state).toBe('not-satisfied');
    expect(finding('node-a', 'DKER-EE-003200').target.status).toEqual({ state: 'satisfied', reason: 'other' });
    expect(propValues(finding('node-a', 'DKER-EE-003200').props, 'result')).toEqual(['not-applicable']);
  });

  it('reviews controls by control id, with statement ids', () => {
    const r = writer.render(input())['assessment-results'].results[0]!;
    const include = r['reviewed-controls']['control-selections'][0]!['include-controls'] as { 'control-id': string; 'statement-ids'?: string[] }[];
    expect(include).toEqual([
      { 'control-id': 'cm-7', 'statement-ids': ['cm-7_smt.a', 'cm-7_smt.b'] },
      { 'control-id': 'ac-6.10' },
      { 'control-id': 'cm-6', 'statement-ids': ['cm-6_smt.b'] },
      { 'control-id': 'au-12', 'statement-ids': ['au-12_smt.c'] },
    ]);
  });

  it('keeps evidence readable and links observations to the node and the plan', () => {
    const ar = writer.render(input())['assessment-results'];
    const r = ar.results[0]!;
    const items = (r['local-definitions'] as { 'inventory-items': { uuid: string; props: { name: string; value: string }[] }[] })['inventory-items'];
    expect(items.map((i) => propValues(i.props, 'node-name')[0])).toEqual(['alpha', 'beta']);
    const alphaUuid = items[0]!.uuid;

    const obs = r.observations!.find((o) => propValues(o.props, 'node-id')[0] === 'node-b' && propValues(o.props, 'stig-id')[0] === 'DKER-EE-001960')!;
    expect(obs.methods).toEqual(['TEST']);
    expect(obs.collected).toBe(COLLECTED);
    const evidence = obs['relevant-evidence']!;
    expect(evidence).toHaveLength(2);
    expect(propValues(evidence[0]!.props, 'field')).toEqual(['HostConfig.Privileged']);
    expect(propValues(evidence[0]!.props, 'value')).toEqual(['true']);
    expect(propValues(evidence[0]!.props, 'target-name')).toEqual(['web front']);
    expect(propValues(evidence[1]!.props, 'value')).toEqual(['["name=seccomp","name=userns  x"]']);
    expect(propValues(evidence[1]!.props, 'expected')).toEqual(['userns enabled (any profile)']);

    const manual = r.observations!.find((o) => propValues(o.props, 'node-id')[0] === 'node-a' && propValues(o.props, 'stig-id')[0] === 'DKER-EE-001800')!;
    expect(manual.methods).toEqual(['EXAMINE']);
    expect(manual['relevant-evidence']).toBeUndefined();
    expect(manual.subjects).toEqual([{ 'subject-uuid': alphaUuid, type: 'inventory-item', title: 'alpha' }]);

    const plan = ar['back-matter']!.resources[0]!;
    expect(ar['import-ap'].href).toBe(`#${plan.uuid as string}`);
    expect(String(plan.description)).toContain('alpha (unix:///var/run/docker.sock)');
    expect(String(plan.description)).toContain('profile MAC-1_Classified');
  });

  it('uses the fix text as the risk statement, with a fallback when the benchmark has none', () => {
    const r = writer.render(input())['assessment-results'].results[0]!;
    const statements = r.risks!.map((k) => k.statement);
    expect(statements).toContain('Fix DKER-EE-002000:\n  run docker with --flag');
    expect(statements.some((s) => s.includes('gives no fix text for SV-260000r1_rule'))).toBe(true);
  });

  it('renders a run with no results and no mapped controls', () => {
    const base = input();
    const doc = writer.render({ ...base, results: [] });
    const r = doc['assessment-results'].results[0]!;
    expect(r.findings).toBeUndefined();
    expect(r['reviewed-controls']['control-selections'][0]).not.toHaveProperty('include-controls');
  });

  it('refuses to return or write an invalid document', async () => {
    const base = input();
    // A start time without a timezone violates DateTimeWithTimezoneDatatype.
    const bad = { ...base, assessment: { ...base.assessment, startedAt: '2024-07-24 12:00:00' } };
    expect(() => writer.render(bad)).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
  });
});
