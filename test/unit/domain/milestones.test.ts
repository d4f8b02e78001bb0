import { describe, expect, it } from 'vitest';
import { DEFAULT_MILESTONE_POLICY, dueDate } from '../../../src/domain/milestones.js';

describe('dueDate', () => {
  const opened = new Date('2026-01-01T12:00:00Z');
  it('dates CAT I, II and III findings 30, 90 and 180 days after their first observation by default', () => {
    expect(dueDate('high', opened).toISOString()).toBe('2026-01-31T12:00:00.000Z');
    expect(dueDate('medium', opened).toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(dueDate('low', opened).toISOString()).toBe('2026-06-30T12:00:00.000Z');
    expect(dueDate('unknown', opened)).toEqual(dueDate('medium', opened));
  });
  it('follows a configured policy', () => {
    const policy = { dueDays: { ...DEFAULT_MILESTONE_POLICY.dueDays, high: 7 } };
    expect(dueDate('high', opened, policy).toISOString()).toBe('2026-01-08T12:00:00.000Z');
  });
});
