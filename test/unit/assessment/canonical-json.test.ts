import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256 } from '../../../src/domain/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, including integer-like keys, and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null }, 10: 'x', 2: 'y' })).toBe('{"10":"x","2":"y","a":{"c":null,"d":[3,{"z":1}]},"b":1}');
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
    expect(canonicalJson({ at: new Date('2024-07-24T12:00:00.000Z') })).toBe('{"at":"2024-07-24T12:00:00.000Z"}');
  });

  it('gives the same hash whatever the key order', () => {
    const a = { Id: 'x', HostConfig: { Privileged: false, CapAdd: ['NET_ADMIN'] } };
    const b = { HostConfig: { CapAdd: ['NET_ADMIN'], Privileged: false }, Id: 'x' };
    expect(canonicalSha256(a)).toBe(canonicalSha256(b));
    expect(canonicalSha256(a)).toBe(createHash('sha256').update(canonicalJson(a)).digest('hex'));
    expect(canonicalSha256(a)).not.toBe(canonicalSha256({ ...a, Id: 'y' }));
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/\$\.a\.b is NaN/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});
