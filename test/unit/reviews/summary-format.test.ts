import { describe, expect, it } from 'vitest';
import { formatAssessmentSummary } from '../../../src/cli/format.js';
import { summarize, type AssessmentWithResults } from '../../../src/domain/assessment.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type { RuleAttestation } from '../../../src/domain/review.js';

const base: Omit<RuleResult, 'stigId' | 'status'> = { nodeId: 'n1', ruleId: 'r', groupId: 'g', checkContentHash: 'h', title: 't', severity: 'medium', message: 'm', observations: [], controlIds: [], ccis: [], fixText: 'f' };
const attestation: RuleAttestation = { reviewId: 'r1', result: 'pass', statement: 's', submittedBy: 'a', submittedAt: 't', acceptedBy: 'd', acceptedAt: 't', expiresAt: 'e', writtenFor: 'V2R1', evidence: [] };

describe('CLI assessment summary', () => {
  it('counts attested rules, rules whose review expired, and accepted risks apart from open failures', () => {
    const results: RuleResult[] = [
      { ...base, stigId: 'A', status: 'pass', attestation: { ...attestation } },
      { ...base, stigId: 'B', status: 'not-checked', reviewNotes: [{ reviewId: 'r0', why: 'expired', expiresAt: 'e', acceptedBy: 'd' }] },
      { ...base, stigId: 'C', status: 'fail', exemption: { id: 'x', name: 'n', kind: 'risk-accepted', justification: 'j', approvedBy: 'd', approvedAt: 't', expiresAt: 'e' } },
    ];
    const a = { id: 'a1', status: 'completed', benchmarkDocumentId: 'd', benchmarkId: 'B', benchmarkTitle: 'T', benchmarkVersion: '2', nodeIds: ['n1'], nodes: [], startedAt: 't', startedBy: 'u', summary: summarize(results), results } as AssessmentWithResults;
    const lines = formatAssessmentSummary(a);
    expect(lines).toContain('accepted (approved exemptions; still failed, not open): 1');
    expect(lines).toContain('attested by manual reviews: 1; rules whose review expired (not checked again): 1');
  });
});
