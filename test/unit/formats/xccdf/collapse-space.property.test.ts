/** `collapseSpace` (a reference's text) is the expression it stands in for, on any text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseSpace } from '../../../../src/formats/xccdf/rule.js';

const byExpression = (text: string): string => text.replace(/\s+/g, ' ').trim();

// Printable ASCII, spaces, other ASCII whitespace, and characters beyond ASCII that \s matches or does not.
const pieces = ['a', 'Z', '0', '-', '.', '(', ' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u2003', '\u2028', '\u202f', '\u3000', '\ufeff', 'é', '\u007f', '\u0000'];

describe('collapseSpace', () => {
  it('is text.replace(/\\s+/g, " ").trim() for text built of spaces, whitespace and other characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')), (text) => {
        expect(collapseSpace(text)).toBe(byExpression(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('is the expression on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        expect(collapseSpace(text)).toBe(byExpression(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('returns the text itself when there is nothing to collapse', () => {
    for (const text of ['CCI-000366', 'SR 3.1', '164.312(c)(1)', '']) expect(collapseSpace(text)).toBe(text);
    expect(collapseSpace(' SR  3.1\n')).toBe('SR 3.1');
  });
});
