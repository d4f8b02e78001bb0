/**
 * The hand reader of start tags reads every tag as the regular expressions that define the grammar do: same
 * name, self-closing flag, end and attributes, or both refuse. Tags are generated from pieces that include the
 * characters where names and `\s` overlap beyond ASCII (U+00A0, U+2000, U+3000, U+FEFF…), which the hand reader
 * must hand to the expressions, and from any characters at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StartTagReader } from '../../../src/formats/xml-start-tag.js';

interface Reading {
  ok: boolean;
  name?: string;
  selfClosing?: boolean;
  end?: number;
  attrs?: string[];
}

const snapshot = (r: StartTagReader, ok: boolean, withAttrs: boolean): Reading =>
  ok ? { ok, name: r.name, selfClosing: r.selfClosing, end: r.end, ...(withAttrs ? { attrs: r.attrs.slice(0, r.attrCount) } : {}) } : { ok };

/** What `read` (hand reader first) and the expressions alone make of the tag at `at`. */
function bothWays(text: string, at: number, withAttrs: boolean): { read: Reading; expression: Reading } {
  const r = new StartTagReader(text);
  const read = snapshot(r, r.read(at, withAttrs), withAttrs);
  const e = new StartTagReader(text);
  const expression = snapshot(e, e.readByExpression(at, withAttrs), withAttrs);
  return { read, expression };
}

const unicodeSpace = ['\u00a0', '\u1680', '\u2000', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085'];
const asciiSpace = [' ', '  ', '\t', '\n', '\r', '\v', '\f'];
const nameChar = ['a', 'Z', '_', ':', '-', '.', '0', '9', 'x', '\u00b7', '\u00c0', 'é', '\u4e00', '\ud83d\ude00'];
const valueChar = ['a', ' ', '"', "'", '&amp;', '<', '>', '=', '/', 'é', '\u3000', '\n'];

const piece = (chars: string[], max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));
const space = piece([...asciiSpace, ...unicodeSpace], 3);
const name = piece(nameChar, 5);
const value = fc.tuple(fc.constantFrom('"', "'"), piece(valueChar, 6), fc.boolean()).map(([q, v, close]) => `${q}${v}${close ? q : ''}`);
const attribute = fc.tuple(space, name, space, fc.constantFrom('=', '', '=='), space, value).map((p) => p.join(''));
/** Tags close to the grammar: most read, many only by the expressions, some by neither. */
const tag = fc
  .tuple(name, fc.array(attribute, { maxLength: 4 }), space, fc.constantFrom('>', '/>', '/ >', '', ' x'), fc.constantFrom('', 'text', '<b>', '</a>'))
  .map(([n, attrs, s, close, after]) => `<${n}${attrs.join('')}${s}${close}${after}`);

/** Tags of ASCII names and values of any characters, their separators sometimes missing or beyond ASCII. */
const asciiName = fc.tuple(fc.constantFrom('a', 'Z', '_', ':', 'x'), piece(['a', 'Z', '_', ':', '-', '.', '0', '9'], 6)).map(([a, b]) => a + b);
const separator = fc.constantFrom('', ' ', '\t', '\n  ', '\r\n', '\u3000', '\u00a0', '\ufeff');
const nearTag = fc
  .tuple(
    asciiName,
    fc.array(fc.tuple(separator, asciiName, fc.constantFrom('', ' ', '\u2000'), fc.constantFrom('', ' '), value).map(([s, n, a, b, v]) => `${s}${n}${a}=${b}${v}`), { maxLength: 4 }),
    fc.constantFrom('', ' ', '\n', '\u3000'),
    fc.constantFrom('>', '/>', '/ >'),
  )
  .map(([n, attrs, s, close]) => `<${n}${attrs.join('')}${s}${close}<next/>`);

/** The hand reader and the expressions agree on every text of `texts`, read with and without attributes. */
const agree = (texts: fc.Arbitrary<string>): void =>
  fc.assert(
    fc.property(texts, fc.boolean(), (text, withAttrs) => {
      const { read, expression } = bothWays(text, 0, withAttrs);
      expect(read).toEqual(expression);
    }),
    { numRuns: 20_000 },
  );

describe('StartTagReader', () => {
  it('reads tags near the grammar as the expressions do', () => agree(nearTag));

  it('reads generated tags as the expressions do, with and without their attributes', () => agree(tag));

  it('reads any text after a "<" as the expressions do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), fc.boolean(), (a, b, withAttrs) => {
        const { read, expression } = bothWays(`<${a}`, 0, withAttrs);
        expect(read).toEqual(expression);
        const ascii = bothWays(`<${b}`, 0, withAttrs);
        expect(ascii.read).toEqual(ascii.expression);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads tags in the middle of a document, attribute values with any characters, and refuses what is no tag', () => {
    const text = 'x <a:b c="1 &amp; é\u3000" d = \'"2"\'/><e\u3000f="1"> <g h="<"> <i j="k" j="l">';
    const r = new StartTagReader(text);
    expect(r.read(2, true)).toBe(true);
    expect({ name: r.name, selfClosing: r.selfClosing, end: r.end, attrs: r.attrs.slice(0, r.attrCount) }).toEqual({
      name: 'a:b', selfClosing: true, end: text.indexOf('/>') + 2, attrs: ['c', '1 &amp; é\u3000', 'd', '"2"'],
    });
    // U+3000 is a name character and whitespace to the expressions: the tag's ends the element name by backtracking,
    // the attribute expression then starts the attribute's name with it. The hand reader leaves such tags to them.
    const e = text.indexOf('<e');
    expect(r.read(e, true)).toBe(true);
    expect([r.name, r.attrs.slice(0, r.attrCount)]).toEqual(['e', ['\u3000f', '1']]);
    expect(r.read(text.indexOf('<g'), true)).toBe(false);
    // Repeated attributes are read as written (the parser refuses them).
    expect(r.read(text.indexOf('<i'), true)).toBe(true);
    expect(r.attrs.slice(0, r.attrCount)).toEqual(['j', 'k', 'j', 'l']);
  });
});
