import { describe, expect, it } from 'vitest';
import { applyReviews, type ReviewContext } from '../../../src/assessment/apply-reviews.js';
import { summarize } from '../../../src/domain/assessment.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type { ManualReview } from '../../../src/domain/review.js';
import { targetResultsOf } from '../../../src/assessment/target-results.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const ctx: ReviewContext = {
  now: NOW,
  benchmarkId: 'Docker_STIG',
  nodes: [
    { id: 'n1', labels: { env: 'prod', tier: 'edge' } },
    { id: 'n2', labels: { env: 'dev' } },
  ],
};

function result(status: RuleResult['status'], nodeId = 'n1', over: Partial<RuleResult> = {}): RuleResult {
  return {
    nodeId, stigId: 'DKER-EE-001070', ruleId: 'SV-1070r3_rule', groupId: 'V-1070', checkContentHash: 'h1070', title: 't', severity: 'medium',
    status, message: status === 'not-checked' ? 'Manual review required' : 'decided', observations: [], controlIds: [], ccis: [], fixText: 'f', ...over,
  };
}

function review(id: string, over: Partial<ManualReview> = {}): ManualReview {
  return {
    id,
    rule: { benchmarkId: 'Docker_STIG', stigId: 'DKER-EE-001070', checkContentHash: 'h1070', ruleId: 'SV-1070r2_rule', release: 'V2R1' },
    scope: { kind: 'all-nodes' },
    result: 'pass',
    statement: `statement ${id}`,
    evidence: [{ kind: 'url', url: 'https://wiki.example/x' }],
    expiry: { kind: 'period', period: 'P90D' },
    origin: 'manual',
    createdBy: { userId: 'u-alice', name: 'alice' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    lifecycle: {
      state: 'accepted', submittedBy: { userId: 'u-alice', name: 'alice' }, submittedAt: '2026-01-01T00:00:00Z',
      acceptedBy: { userId: 'u-dave', name: 'dave' }, acceptedAt: '2026-01-02T00:00:00Z', expiresAt: '2026-04-02T00:00:00.000Z',
    },
    ...over,
  };
}

describe('applyReviews', () => {
  it('answers a not-checked rule with the review result, attested with who submitted, who accepted and when (carried over from V2R1)', () => {
    const [out] = applyReviews([result('not-checked')], [review('r1')], ctx);
    expect(out!.status).toBe('pass');
    expect(out!.attestation).toMatchObject({ reviewId: 'r1', result: 'pass', submittedBy: 'alice', acceptedBy: 'dave', acceptedAt: '2026-01-02T00:00:00Z', expiresAt: '2026-04-02T00:00:00.000Z', writtenFor: 'V2R1 (SV-1070r2_rule)' });
    expect(out!.message).toMatch(/^Attested pass by manual review r1: submitted by alice, accepted by dave/);
    // The node-level per-target row is marked attested.
    const rows = targetResultsOf(out!, { id: 'n1', name: 'node-one' }, undefined);
    expect(rows.map((r) => [r.target.kind, r.status, r.attestedBy])).toEqual([['node', 'pass', 'r1']]);
    expect(summarize([out!]).counts.pass).toBe(1);
  });

  it('does not answer when the check text changed (another hash), another rule, another benchmark, or a review not accepted', () => {
    const input = [result('not-checked')];
    expect(applyReviews(input, [review('r1', { rule: { ...review('x').rule, checkContentHash: 'h-other' } })], ctx)[0]).toBe(input[0]);
    expect(applyReviews(input, [review('r1', { rule: { ...review('x').rule, stigId: 'DKER-EE-002000' } })], ctx)[0]).toBe(input[0]);
    expect(applyReviews(input, [review('r1', { rule: { ...review('x').rule, benchmarkId: 'Other' } })], ctx)[0]).toBe(input[0]);
    expect(applyReviews(input, [review('r1', { lifecycle: { state: 'submitted', submittedBy: { userId: 'u', name: 'u' }, submittedAt: 't' } })], ctx)[0]).toBe(input[0]);
  });

  it('matches a label selector against the node labels: every selector label must be present with its value', () => {
    const labelled = review('r1', { scope: { kind: 'labels', labels: { env: 'prod' } }, result: 'fail' });
    const [n1, n2] = applyReviews([result('not-checked', 'n1'), result('not-checked', 'n2')], [labelled], ctx);
    expect(n1!.status).toBe('fail');
    expect(n2!.status).toBe('not-checked');
    const both = review('r2', { scope: { kind: 'labels', labels: { env: 'prod', tier: 'core' } } });
    expect(applyReviews([result('not-checked', 'n1')], [both], ctx)[0]!.status).toBe('not-checked');
    const byNode = review('r3', { scope: { kind: 'node', nodeId: 'n2', nodeName: 'node-two' }, result: 'not-applicable' });
    expect(applyReviews([result('not-checked', 'n1'), result('not-checked', 'n2')], [byNode], ctx).map((r) => r.status)).toEqual(['not-checked', 'not-applicable']);
  });

  it('prefers the most specific scope, then the latest acceptance, whatever the order given', () => {
    const all = review('r-all', { result: 'fail' });
    const node = review('r-node', { scope: { kind: 'node', nodeId: 'n1', nodeName: 'node-one' }, result: 'pass' });
    for (const order of [[all, node], [node, all]]) expect(applyReviews([result('not-checked')], order, ctx)[0]!.attestation?.reviewId).toBe('r-node');
    const later = review('r-later', { lifecycle: { ...(all.lifecycle as Extract<ManualReview['lifecycle'], { state: 'accepted' }>), acceptedAt: '2026-02-01T00:00:00Z' } });
    expect(applyReviews([result('not-checked')], [all, later], ctx)[0]!.attestation?.reviewId).toBe('r-later');
  });

  it('never overrides a verdict a check reached: the review is ignored and noted', () => {
    for (const status of ['pass', 'fail', 'error', 'not-applicable'] as const) {
      const [out] = applyReviews([result(status)], [review('r1', { result: 'pass' })], ctx);
      expect(out!.status).toBe(status);
      expect(out!.attestation).toBeUndefined();
      expect(out!.reviewNotes).toEqual([{ reviewId: 'r1', why: 'automated', expiresAt: '2026-04-02T00:00:00.000Z', acceptedBy: 'dave' }]);
    }
  });

  it('an expired review stops applying and shows as expired', () => {
    const [out] = applyReviews([result('not-checked')], [review('r1')], { ...ctx, now: new Date('2026-04-02T00:00:00Z') });
    expect(out!.status).toBe('not-checked');
    expect(out!.attestation).toBeUndefined();
    expect(out!.reviewNotes).toEqual([{ reviewId: 'r1', why: 'expired', expiresAt: '2026-04-02T00:00:00.000Z', acceptedBy: 'dave' }]);
  });
});
