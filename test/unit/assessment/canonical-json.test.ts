import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

  it('writes what the nested-string writer it replaced wrote, for any JSON-like value (toJSON and undefined members included)', () => {
    // The previous implementation, kept here as the reference: strings built bottom-up, members joined.
    const reference = (v: unknown, inArray: boolean): string | undefined => {
      if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return reference((v as { toJSON: () => unknown }).toJSON(), inArray);
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return inArray ? 'null' : undefined;
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (Array.isArray(v)) return `[${v.map((x) => reference(x, true)).join(',')}]`;
      const members: string[] = [];
      for (const key of Object.keys(v).sort()) {
        const text = reference((v as Record<string, unknown>)[key], false);
        if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${members.join(',')}}`;
    };
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('any'), { maxLength: 5 }),
      object: fc.dictionary(fc.oneof(fc.string(), fc.nat({ max: 20 }).map(String)), tie('any'), { maxKeys: 5 }),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v, false) ?? 'null');
      }),
      { numRuns: 1000 },
    );
  });
});
