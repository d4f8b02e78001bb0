import { describe, expect, it } from 'vitest';
import { userNameKey } from '../../../src/domain/auth.js';
import { sameUser, separationOfDutiesViolation, type Decider } from '../../../src/domain/separation-of-duties.js';

const decider = (over: Partial<Decider> = {}): Decider => ({ userId: 'u-dave', name: 'dave', kind: 'person', creators: [], ...over });

describe('separation of duties (the rule every workflow shares)', () => {
  it('lets a different person decide', () => {
    expect(separationOfDutiesViolation({ userId: 'u-alice', name: 'alice' }, decider())).toBeUndefined();
  });

  it('refuses the same user: by id, or by name case-insensitively (records older than users carry a name)', () => {
    expect(separationOfDutiesViolation({ userId: 'u-dave', name: 'renamed' }, decider())).toContain('same user');
    expect(separationOfDutiesViolation({ name: 'Dave' }, decider())).toContain('same user');
    // The defect: a token named Assessor-Bob approved assessor-bob's request.
    expect(separationOfDutiesViolation({ name: 'assessor-bob' }, decider({ userId: 'u-x', name: 'Assessor-Bob' }))).toContain('same user');
    expect(sameUser({ name: 'STRASSE' }, { name: 'straße' })).toBe(true);
    expect(sameUser({ name: 'ﬁle' }, { name: 'FILE' })).toBe(true);
    expect(userNameKey('Ａｌｉｃｅ')).toBe('alice');
  });

  it('refuses users the proposer created, at any depth, naming the chain', () => {
    const creators = [{ userId: 'u-puppet', name: 'puppet' }, { userId: 'u-carol', name: 'carol' }, { userId: 'u-root', name: 'root-admin' }];
    expect(separationOfDutiesViolation({ userId: 'u-carol', name: 'carol' }, decider({ creators }))).toBe('dave was created by the requester carol (dave ← created by puppet ← created by carol)');
    expect(separationOfDutiesViolation({ name: 'PUPPET' }, decider({ creators }))).toContain('dave was created by the requester PUPPET');
    expect(separationOfDutiesViolation({ userId: 'u-other', name: 'other' }, decider({ creators }))).toBeUndefined();
  });

  it('never lets Plimsoll itself decide', () => {
    expect(separationOfDutiesViolation({ userId: 'u-alice', name: 'alice' }, decider({ kind: 'system', name: 'plimsoll-system' }))).toBe('plimsoll-system is not a person');
  });
});
