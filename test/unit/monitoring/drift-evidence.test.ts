/**
 * jsonEqual, the fast equality that settles unchanged targets before any diff: over random JSON values (and
 * pairs that differ in one place) it answers exactly what util.isDeepStrictEqual answers.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../harness/seeded-random.js';
import { jsonEqual } from '../../../src/monitoring/drift-evidence.js';

const LEAVES: unknown[] = [null, true, false, 0, -0, 1, 64, '', 'host', '0', undefined];

function value(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.4) return LEAVES[Math.floor(rnd() * LEAVES.length)];
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 4); i > 0; i -= 1) out[['a', 'b', 'Env', 'HostConfig'][Math.floor(rnd() * 4)]!] = value(rnd, depth + 1);
  return out;
}

/** A copy of `v` with its keys in reverse order and, sometimes, one leaf changed. */
function variant(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => variant(x, rnd));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, variant(x, rnd)]));
  return rnd() < 0.05 ? LEAVES[Math.floor(rnd() * LEAVES.length)] : v;
}

describe('jsonEqual', () => {
  it.each([1, 2, 3, 4])('agrees with isDeepStrictEqual on random JSON values (seed %i)', (seed) => {
    const rnd = random(seed);
    let equal = 0;
    let different = 0;
    for (let i = 0; i < 2000; i += 1) {
      const a = value(rnd, 0);
      const b = rnd() < 0.5 ? variant(a, rnd) : value(rnd, 0);
      const expected = isDeepStrictEqual(a, b);
      expect(jsonEqual(a, b), JSON.stringify([a, b])).toBe(expected);
      if (expected) equal += 1;
      else different += 1;
    }
    expect(equal).toBeGreaterThan(200);
    expect(different).toBeGreaterThan(200);
  });

  it('tells -0 from 0, a missing key from an undefined one, and an array from an object', () => {
    expect(jsonEqual({ a: -0 }, { a: 0 })).toBe(false);
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
  });
});
