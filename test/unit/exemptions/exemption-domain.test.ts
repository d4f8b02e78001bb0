import { describe, expect, it } from 'vitest';
import { expiryInstant, globToRegExp, isActive, matchesTarget, statusAt, type Exemption } from '../../../src/domain/exemption.js';
import { mapExemptionRow, toExemptionRow } from '../../../src/repositories/exemption-repository.js';
import { ruleExemptionFromJson, ruleExemptionToJson } from '../../../src/repositories/exemption-repository.js';

const base: Exemption = {
  id: 'e1',
  name: 'n',
  kind: 'risk-accepted',
  rule: '*',
  target: { container: 'a*', labels: { k: 'v' }, node: 'n1' },
  justification: 'j',
  requestedBy: 'alice',
  requestedByTokenId: 't1',
  requestedAt: '2025-01-01T00:00:00Z',
  expiresAt: '2025-06-30',
  lifecycle: { status: 'requested' },
};

describe('expiry', () => {
  it('reads dates as the end of that UTC day, and date-times with a zone as given', () => {
    expect(expiryInstant('2025-06-30')?.toISOString()).toBe('2025-07-01T00:00:00.000Z');
    expect(expiryInstant('2024-02-29')?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(expiryInstant('2025-06-30T10:00:00+02:00')?.toISOString()).toBe('2025-06-30T08:00:00.000Z');
    for (const bad of ['2025-02-29', '2025-13-01', '2025-6-30', '2025-06-30T10:00:00', 'tomorrow', '']) expect(expiryInstant(bad), bad).toBeUndefined();
  });

  it('computes the status: requested and approved expire, rejected and revoked stay', () => {
    const after = new Date('2025-07-01T00:00:00Z');
    const before = new Date('2025-06-30T12:00:00Z');
    const approved: Exemption = { ...base, lifecycle: { status: 'approved', approvedBy: 'b', approvedAt: 't' } };
    expect(statusAt(base, before)).toBe('requested');
    expect(statusAt(base, after)).toBe('expired');
    expect(statusAt(approved, before)).toBe('approved');
    expect(isActive(approved, before)).toBe(true);
    expect(statusAt(approved, after)).toBe('expired');
    expect(isActive(approved, after)).toBe(false);
    expect(statusAt({ ...base, lifecycle: { status: 'rejected', rejectedBy: 'b', rejectedAt: 't', reason: 'r' } }, after)).toBe('rejected');
    expect(isActive({ ...base, expiresAt: 'garbage', lifecycle: approved.lifecycle }, before)).toBe(false);
  });
});

describe('matching', () => {
  it('globs only with * and ?', () => {
    expect(globToRegExp('ucp-*').test('ucp-agent')).toBe(true);
    expect(globToRegExp('ucp-*').test('my-ucp-agent')).toBe(false);
    expect(globToRegExp('a+b(c)').test('a+b(c)')).toBe(true);
    expect(globToRegExp('a+b').test('aab')).toBe(false);
    expect(globToRegExp('x?z').test('xyz')).toBe(true);
    expect(globToRegExp('x?z').test('xz')).toBe(false);
  });

  it('covers containers only, needs a pattern or label, and ignores a leading slash', () => {
    const target = { container: 'web-*', labels: {} };
    expect(matchesTarget(target, { kind: 'container', id: 'c', name: '/web-1' }, {})).toBe(true);
    expect(matchesTarget(target, { kind: 'image', id: 'i', name: 'web-1' }, {})).toBe(false);
    expect(matchesTarget({ labels: {} }, { kind: 'container', id: 'c', name: 'web-1' }, {})).toBe(false);
    expect(matchesTarget({ labels: { a: '' } }, { kind: 'container', id: 'c', name: 'x' }, { a: '' })).toBe(true);
    expect(matchesTarget({ labels: { a: '' } }, { kind: 'container', id: 'c', name: 'x' }, undefined)).toBe(false);
  });

});

describe('row mapping', () => {
  it('round-trips every lifecycle through its row', () => {
    const lifecycles: Exemption['lifecycle'][] = [
      { status: 'requested' },
      { status: 'approved', approvedBy: 'b', approvedAt: 't1' },
      { status: 'rejected', rejectedBy: 'b', rejectedAt: 't1', reason: 'r' },
      { status: 'revoked', approvedBy: 'b', approvedAt: 't1', revokedBy: 'c', revokedAt: 't2', reason: 'gone' },
      { status: 'revoked', approvedBy: 'b', approvedAt: 't1', revokedBy: 'c', revokedAt: 't2' },
    ];
    for (const lifecycle of lifecycles) expect(mapExemptionRow(toExemptionRow({ ...base, lifecycle }))).toEqual({ ...base, lifecycle });
    expect(mapExemptionRow(toExemptionRow({ ...base, target: { labels: {} } })).target).toEqual({ labels: {} });
  });

  it('refuses a row whose lifecycle columns disagree with its status', () => {
    const row = toExemptionRow({ ...base, lifecycle: { status: 'approved', approvedBy: 'b', approvedAt: 't' } });
    expect(() => mapExemptionRow({ ...row, approved_by: null })).toThrow(/approved without approved_by/);
    expect(() => mapExemptionRow({ ...row, status: 'pending' })).toThrow(/unknown status/);
    expect(() => mapExemptionRow({ ...row, labels_json: '[1]' })).toThrow(/labels/);
  });

  it('stores a result’s exemption fields as JSON, and nothing when it has none', () => {
    expect(ruleExemptionToJson({})).toBeNull();
    expect(ruleExemptionToJson({ expiredExemptions: [] })).toBeNull();
    const fields = {
      exemption: { id: 'e', name: 'n', justification: 'j', approvedBy: 'b', approvedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-06-30' },
      expiredExemptions: [{ id: 'o', name: 'old', expiresAt: '2024-01-01' }],
    };
    expect(ruleExemptionFromJson(ruleExemptionToJson(fields), 'r')).toEqual(fields);
    expect(ruleExemptionFromJson(null, 'r')).toEqual({});
    expect(() => ruleExemptionFromJson('{', 'rule result 7')).toThrow(/rule result 7/);
  });
});
