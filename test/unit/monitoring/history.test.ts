/** Posture history (pure parts): findings opening and closing, buckets and their cap, the carry-forward sweep. */
import { describe, expect, it } from 'vitest';
import type { TargetState } from '../../../src/domain/drift.js';
import { zeroPosture, type PostureCounts } from '../../../src/domain/history.js';
import type { AssessedTargetKind } from '../../../src/domain/target-results.js';
import { bucketsOf, sweepBuckets } from '../../../src/monitoring/history-buckets.js';
import { episodeUpdates } from '../../../src/monitoring/history-episodes.js';
import type { FindingEpisode, PostureRow } from '../../../src/repositories/posture-repository.js';

const ALL: ReadonlySet<AssessedTargetKind> = new Set<AssessedTargetKind>(['node', 'daemon', 'container', 'image']);
const state = (key: string, stigId: string, status: TargetState['status']): TargetState => ({ id: 1, kind: 'container', key, name: key, stigId, ruleId: stigId, severity: 'high', status, message: '' });
const episode = (id: number, key: string, stigId: string, openedAt = '2026-01-01T00:00:00.000Z', kind: AssessedTargetKind = 'container'): FindingEpisode => ({
  id, nodeId: 'n1', benchmarkId: 'B', targetKind: kind, targetKey: key, targetName: key, stigId, severity: 'high', openedAt, openedAssessmentId: 'r1',
});
const run = { assessmentId: 'r2', nodeId: 'n1', benchmarkId: 'B', at: '2026-01-03T00:00:00.000Z' };

describe('episodeUpdates', () => {
  it('opens a finding for a new failure only, and closes one whose target passes again as remediated, with its duration', () => {
    const r = episodeUpdates([episode(1, 'name/api', 'R1'), episode(2, 'name/db', 'R1')], [state('name/api', 'R1', 'pass'), state('name/db', 'R1', 'fail'), state('name/web', 'R1', 'fail')], run, ALL);
    expect(r.open.map((e) => [e.targetKey, e.stigId, e.openedAt])).toEqual([['name/web', 'R1', run.at]]);
    expect(r.close).toEqual([{ id: 1, closedAt: run.at, closedAssessmentId: 'r2', reason: 'remediated', durationSeconds: 2 * 86_400 }]);
  });

  it('an error keeps a finding open: nothing shows it was fixed', () => {
    const r = episodeUpdates([episode(1, 'name/api', 'R1'), episode(2, 'name/db', 'R1')], [state('name/api', 'R1', 'error'), state('name/x', 'R1', 'error')], run, ALL);
    expect(r.close).toEqual([]);
  });

  it('a target gone or a rule dropped closes without remediation; a kind not collected keeps it open', () => {
    const r = episodeUpdates(
      [episode(1, 'name/gone', 'R1'), episode(2, 'name/api', 'R-OLD'), episode(3, 'tag/busybox', 'R1', undefined, 'image')],
      [state('name/api', 'R1', 'pass')],
      run,
      new Set<AssessedTargetKind>(['node', 'daemon', 'container']),
    );
    expect(r.close.map((c) => [c.id, c.reason])).toEqual([[1, 'target-gone'], [2, 'rule-removed']]);
  });
});

describe('bucketsOf', () => {
  const ms = (t: string): number => Date.parse(t);

  it('cuts fixed buckets from the start and ends the last one with the range', () => {
    expect(bucketsOf(ms('2026-01-01T00:00:00Z'), ms('2026-01-01T02:30:00Z'), 'hour').map((b) => new Date(b.end).toISOString())).toEqual([
      '2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T02:30:00.000Z',
    ]);
  });

  it('follows calendar months', () => {
    expect(bucketsOf(ms('2026-01-15T00:00:00Z'), ms('2026-03-10T00:00:00Z'), 'month').map((b) => new Date(b.start).toISOString().slice(0, 10))).toEqual(['2026-01-15', '2026-02-01', '2026-03-01']);
  });

  it('refuses a range of more than 1,000 buckets with BAD_INPUT', () => {
    expect(() => bucketsOf(ms('2020-01-01T00:00:00Z'), ms('2026-01-01T00:00:00Z'), 'hour')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(bucketsOf(ms('2020-01-01T00:00:00Z'), ms('2026-01-01T00:00:00Z'), 'week')).toHaveLength(314);
  });
});

describe('sweepBuckets', () => {
  const counts = (pass: number, fail: number, error = 0): PostureCounts => ({ ...zeroPosture(), pass, fail, error, open: { high: fail, medium: 0, low: 0, unknown: 0 } });
  const row = (nodeId: string, finishedAt: string, c: PostureCounts, nodeRemovedAt?: string): PostureRow => ({ assessmentId: `${nodeId}-${finishedAt}`, nodeId, benchmarkId: 'B', finishedAt, counts: c, ...(nodeRemovedAt !== undefined ? { nodeRemovedAt } : {}) });
  const days = bucketsOf(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-04T00:00:00Z'), 'day');

  it('carries each node’s latest posture forward, sums the fleet, counts errors as not passing, and leaves removed nodes out', () => {
    const points = sweepBuckets(days, {
      before: [row('a', '2025-12-31T12:00:00Z', counts(8, 2))],
      within: [row('b', '2026-01-02T06:00:00Z', counts(5, 3, 2)), row('a', '2026-01-02T07:00:00Z', counts(10, 0)), row('c', '2026-01-02T08:00:00Z', counts(1, 1), '2026-01-03T01:00:00Z')],
      remediated: [{ closedAt: '2026-01-02T07:00:00Z', durationSeconds: 100 }, { closedAt: '2026-01-02T07:00:00Z', durationSeconds: 300 }],
      opened: ['2026-01-02T06:00:00Z', '2026-01-03T00:00:00Z'],
    });
    expect(points.map((p) => [p.postures, p.assessedInBucket, p.counts?.pass, p.counts?.fail, p.passRate, p.remediated, p.meanTimeToRemediateSeconds, p.opened])).toEqual([
      [1, 0, 8, 2, 0.8, 0, undefined, 0],
      [3, 3, 16, 4, 16 / 22, 2, 200, 1],
      [2, 0, 15, 3, 15 / 20, 0, undefined, 1],
    ]);
  });

  it('has no counts and no pass rate before any node was assessed', () => {
    const [first] = sweepBuckets(days, { before: [], within: [], remediated: [], opened: [] });
    expect(first).toEqual({ start: '2026-01-01T00:00:00.000Z', end: '2026-01-02T00:00:00.000Z', postures: 0, assessedInBucket: 0, remediated: 0, opened: 0 });
  });
});
