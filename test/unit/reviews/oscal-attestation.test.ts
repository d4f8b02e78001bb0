import { describe, expect, it } from 'vitest';
import { summarize, type Assessment } from '../../../src/domain/assessment.js';
import type { RuleResult } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { reportInput } from '../reporting/report-input.js';

const AT = '2026-01-15T00:00:00.000Z';

function manual(stigId: string, extra: Partial<RuleResult>): RuleResult {
  return {
    nodeId: 'n1', stigId, ruleId: `SV-${stigId.slice(-4)}r1_rule`, groupId: `V-${stigId.slice(-4)}`, checkContentHash: '0'.repeat(64), title: `Title ${stigId}`,
    severity: 'medium', status: 'not-checked', message: 'Manual review required', observations: [], controlIds: ['au-2_smt.a'], ccis: ['CCI-000169'], fixText: 'Fix it.', ...extra,
  };
}

const ATTESTED = manual('DKER-EE-001070', {
  status: 'pass',
  message: 'Attested pass by manual review r1: submitted by alice, accepted by dave.',
  attestation: {
    reviewId: 'r1', result: 'pass', statement: 'UCP forwards audit logs.', submittedBy: 'alice', submittedAt: '2026-01-01T00:00:00Z', acceptedBy: 'dave',
    acceptedAt: '2026-01-02T00:00:00Z', expiresAt: '2026-04-02T00:00:00.000Z', writtenFor: 'V2R1 (SV-1070r1_rule)',
    evidence: [{ kind: 'text', text: 'Seen in the CCB.' }, { kind: 'url', url: 'https://wiki.example/ucp' }, { kind: 'file', name: 'shot.png', sha256: 'a'.repeat(64), size: 10, mediaType: 'image/png' }],
  },
});
const EXPIRED = manual('DKER-EE-002000', { reviewNotes: [{ reviewId: 'r0', why: 'expired', expiresAt: '2026-01-01T00:00:00Z', acceptedBy: 'dave' }] });

function build(results: RuleResult[]) {
  const assessment: Omit<Assessment, 'nodes'> = {
    id: 'asm-1', status: 'completed', benchmarkDocumentId: 'doc', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', benchmarkTitle: 'Docker STIG', benchmarkVersion: '2',
    benchmarkRelease: '2', nodeIds: ['n1'], startedAt: AT, finishedAt: AT, startedBy: 'alice', summary: summarize(results),
  };
  return AssessmentResultsWriter.fromSchema(shared(...OSCAL_SCHEMA_112)).render(reportInput({
    assessment, results,
    benchmark: { documentId: 'doc', benchmarkId: assessment.benchmarkId, title: 'Docker STIG', version: '2', release: '2' },
    nodes: [{ id: 'n1', name: 'node-one', endpoint: 'unix:///var/run/docker.sock', collectedAt: AT }],
    actor: { name: 'alice', role: 'assessor' },
    tool: { name: 'Plimsoll', version: '0.1.0' },
  })).results;
}

type Json = Record<string, any>;
const named = (props: Json[] | undefined, name: string): Json[] => (props ?? []).filter((p) => p.name === name);

describe('OSCAL assessment results with manual reviews', () => {
  const doc = build([ATTESTED, EXPIRED]) as unknown as Json;
  const result = doc['assessment-results'].results[0] as Json;

  it('is valid OSCAL 1.1.2', () => {
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(doc, 'ar.json')).toEqual([]);
  });

  it('shows an attested result as examined and satisfied, with who submitted, who accepted, when and until when', () => {
    const [finding] = result.findings as Json[];
    expect(finding.target.status.state).toBe('satisfied');
    const values = Object.fromEntries(['attested-by-review', 'review-submitted-by', 'review-accepted-by', 'review-accepted-at', 'review-expires'].map((n) => [n, named(finding.props, n)[0]?.value]));
    expect(values).toEqual({ 'attested-by-review': 'r1', 'review-submitted-by': 'alice', 'review-accepted-by': 'dave', 'review-accepted-at': '2026-01-02T00:00:00Z', 'review-expires': '2026-04-02T00:00:00.000Z' });
    const [observation] = result.observations as Json[];
    expect(observation.methods).toEqual(['EXAMINE']);
    expect(named(observation.props, 'attested-by-review')[0]?.value).toBe('r1');
    expect((observation['relevant-evidence'] as Json[]).map((e) => e.href)).toEqual([undefined, 'https://wiki.example/ucp', `/downloads/reviews/r1/evidence/${'a'.repeat(64)}`]);
  });

  it('names an expired review on a rule that is not checked again', () => {
    const finding = (result.findings as Json[])[1]!;
    expect(finding.target.status.state).toBe('not-satisfied');
    expect(named(finding.props, 'expired-review-id')[0]).toMatchObject({ value: 'r0', remarks: expect.stringContaining('expired at 2026-01-01') });
  });
});
