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

describe('review expiries in a run context', () => {
  it('reports a label-scoped review only on the nodes carrying its labels', async () => {
    const { DriftContext } = await import('../../../src/monitoring/drift-context.js');
    const accepted = { state: 'accepted' as const, submittedBy: person, submittedAt: 't', acceptedBy: { userId: 'u2', name: 'dave' }, acceptedAt: 't', expiresAt: '2026-06-10T00:00:00.000Z' };
    const context = new DriftContext({
      expiries: [reviewExpiries({ listAccepted: async () => [review('r1', { kind: 'labels', labels: { env: 'prod' } }, accepted), review('r2', { kind: 'all-nodes' }, accepted)] })],
      library: { findBenchmark: async () => undefined },
      benchmarkDiff: { diffStored: async () => { throw new Error('not called'); } },
      warningDays: 30,
    });
    const run = (id: string, at: string) => ({ id, benchmarkId: 'B', startedAt: at, finishedAt: at }) as unknown as Parameters<typeof context.between>[1];
    const ctx = await context.between(run('a1', '2026-06-01T00:00:00.000Z'), run('a2', '2026-06-20T00:00:00.000Z'));
    const stigIds = new Set(['DKER-EE-001000']);
    const ids = (labels: Record<string, string> | undefined) => ctx.changesFor({ id: 'n', name: 'n', endpoint: 'e', ...(labels ? { labels } : {}) }, stigIds).map((c) => ('subjectId' in c ? c.subjectId : ''));
    expect(ids({ env: 'prod', tier: 'web' })).toEqual(['r1', 'r2']);
    expect(ids({ env: 'dev' })).toEqual(['r2']);
    expect(ids(undefined)).toEqual(['r2']);
    expect(ctx.changesFor(undefined, stigIds).map((c) => ('subjectId' in c ? c.subjectId : ''))).toEqual(['r1', 'r2']);
  });
});
