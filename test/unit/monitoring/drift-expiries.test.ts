import { describe, expect, it } from 'vitest';
import type { ManualReview } from '../../../src/domain/review.js';
import { reviewExpiries } from '../../../src/monitoring/drift-context.js';

const person = { userId: 'u1', name: 'carol' };
function review(id: string, scope: ManualReview['scope'], lifecycle: ManualReview['lifecycle']): ManualReview {
  return {
    id, scope, lifecycle, result: 'pass', statement: 's', evidence: [], expiry: { kind: 'period', period: 'P90D' }, origin: 'manual',
    rule: { benchmarkId: 'B', stigId: 'DKER-EE-001000', checkContentHash: 'h', ruleId: 'SV-1_rule' },
    createdBy: person, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('reviewExpiries', () => {
  it('lists accepted reviews with their expiry, on their node when scoped to one, fleet-wide otherwise', async () => {
    const accepted = { state: 'accepted' as const, submittedBy: person, submittedAt: 't', acceptedBy: { userId: 'u2', name: 'dave' }, acceptedAt: 't', expiresAt: '2027-01-01T00:00:00.000Z' };
    const source = reviewExpiries({
      listAccepted: async () => [
        review('r1', { kind: 'node', nodeId: 'n1', nodeName: 'prod-1' }, accepted),
        review('r2', { kind: 'all-nodes' }, accepted),
        review('r3', { kind: 'all-nodes' }, { state: 'draft' }),
      ],
    });
    expect(await source.expiring()).toEqual([
      { subject: 'review', id: 'r1', name: 'review r1', stigId: 'DKER-EE-001000', expiresAt: '2027-01-01T00:00:00.000Z', node: 'n1' },
      { subject: 'review', id: 'r2', name: 'review r2', stigId: 'DKER-EE-001000', expiresAt: '2027-01-01T00:00:00.000Z' },
    ]);
  });
});
