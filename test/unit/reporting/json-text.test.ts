/** The streamed results' JSON helpers: one serialisation at an indentation, and values made exactly what their text says. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asJsonValue, indentedJson } from '../../../src/reporting/json-text.js';

const indentedByHand = (value: unknown, indent: string): string => `${indent}${JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`)}`;

describe('indentedJson', () => {
  it('is JSON.stringify(value, null, 2) with every line indented, at every depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 7 }), (value, depth) => {
        const indent = '  '.repeat(depth);
        expect(indentedJson(indent)(value)).toBe(indentedByHand(value, indent));
      }),
    );
  });

  it('keeps awkward strings (newlines, line separators, quotes, non-Latin-1) as JSON.stringify writes them', () => {
    const value = { a: 'x\ny\u2028z"…’', b: [[], {}, [1, { c: null }]] };
    expect(indentedJson('          ')(value)).toBe(indentedByHand(value, '          '));
  });

  it('refuses an indentation that is not pairs of spaces', () => {
    expect(() => indentedJson('\t')).toThrow(/pairs of spaces/);
    expect(() => indentedJson('   ')).toThrow(/pairs of spaces/);
  });
});

describe('asJsonValue', () => {
  it('drops undefined members, so the value deep-equals its parsed text', () => {
    const value = { a: 1, b: undefined, c: [{ d: undefined, e: 'x' }], f: { g: undefined } };
    const same = asJsonValue(value);
    expect(same).toBe(value);
    expect(Object.keys(value)).toEqual(['a', 'c', 'f']);
    expect(Object.keys(value.c[0]!)).toEqual(['e']);
    expect(value).toStrictEqual(JSON.parse(JSON.stringify(value)));
  });

  it('refuses what JSON cannot carry as it is, naming where', () => {
    expect(() => asJsonValue({ a: [1, undefined] })).toThrow('not a JSON value: /a/1: undefined');
    expect(() => asJsonValue({ a: { b: Number.NaN } })).toThrow('/a/b: NaN');
    expect(() => asJsonValue({ a: () => 1 })).toThrow('/a: a function');
    expect(() => asJsonValue({ when: new Date(0) })).toThrow('/when: not a plain object');
    expect(() => asJsonValue(10n)).toThrow('a bigint');
  });

  it('accepts any JSON value unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(asJsonValue(structuredClone(value))).toStrictEqual(value);
      }),
    );
  });
});
