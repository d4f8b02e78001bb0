import { describe, expect, it } from 'vitest';
import { element, elements, parseDisaDescription, parseXml, textContent } from '../../../src/formats/safe-xml.js';
import { thrown } from '../../harness/errors.js';

describe('parseXml', () => {
  it('builds an ordered tree with namespaces, attributes, mixed text and positions', () => {
    const root = parseXml('<r xmlns="urn:a" xmlns:b="urn:b" id="1" b:x="y">\n  <b:c>one <em>two</em> three</b:c><d/></r>', 'f.xml');
    expect(root).toMatchObject({ local: 'r', ns: 'urn:a', attrs: { id: '1', 'b:x': 'y' }, line: 1 });
    expect(root.attrs).not.toHaveProperty('xmlns');
    const c = element(root, 'c')!;
    expect(c).toMatchObject({ name: 'b:c', ns: 'urn:b', line: 2 });
    expect(c.children.map((n) => (n.type === 'text' ? n.text : `<${n.local}>`))).toEqual(['one ', '<em>', ' three']);
    expect(textContent(c)).toBe('one two three');
    expect(elements(root).map((e) => e.local)).toEqual(['c', 'd']);
  });

  it('decodes the predefined entities, character references and CDATA', () => {
    const root = parseXml(Buffer.from('\ufeff<a>&lt;b&gt; &amp; &#65;&#x42; <![CDATA[<raw & text>]]></a>'), 'f.xml');
    expect(textContent(root)).toBe('<b> & AB <raw & text>');
  });

  it('refuses a DOCTYPE with its position (XXE)', () => {
    const e = thrown(() => parseXml('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<a>&x;</a>', 'xxe.xml'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]).toMatchObject({ file: 'xxe.xml', line: 2, column: 1 });
    expect(e.message).toMatch(/^xxe\.xml:2:1: DOCTYPE declarations are not allowed/);
  });

  it('refuses a markup declaration outside a DOCTYPE', () => {
    const e = thrown(() => parseXml('<a><!ENTITY x "y"></a>', 'e.xml'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toBe('e.xml:1:4: ENTITY declarations are not allowed (no DTDs, no entity declarations)');
  });

  it('accepts declaration-like text inside comments and CDATA', () => {
    const root = parseXml('<!-- <!DOCTYPE x> --><a><![CDATA[<!ENTITY y "z">]]></a>', 'ok.xml');
    expect(textContent(root)).toBe('<!ENTITY y "z">');
  });

  it('refuses entities other than the five XML ones (no HTML entities)', () => {
    const e = thrown(() => parseXml('<a>x&nbsp;y</a>', 'n.xml'));
    expect(e.problems[0]).toMatchObject({ file: 'n.xml', line: 1, column: 10 });
  });

  it('reports malformed XML with line and column', () => {
    const e = thrown(() => parseXml('<a>\n  <b>\n</a>', 'm.xml'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]).toMatchObject({ file: 'm.xml', line: 3, column: 4 });
    expect(e.problems[0]!.message).toMatch(/Unexpected close tag/);
  });

  it('refuses unclosed documents, a second root and text outside the root', () => {
    expect(thrown(() => parseXml('<a><b></b>', 'u.xml')).problems[0]!.message).toMatch(/Unclosed root tag/);
    expect(thrown(() => parseXml('<a/><b/>', 'two.xml')).problems[0]!.message).toMatch(/second root element follows/);
    expect(thrown(() => parseXml('<a/>junk', 'junk.xml')).code).toBe('CONTENT_INVALID');
    expect(thrown(() => parseXml('   ', 'empty.xml')).problems[0]!.message).toMatch(/no document element/);
  });

  it('enforces the size and depth limits', () => {
    const big = `<a>${'x'.repeat(2000)}</a>`;
    expect(thrown(() => parseXml(big, 'big.xml', { maxBytes: 1000 })).problems[0]!.message).toMatch(/larger than the limit of 1000 bytes/);
    const deep = `${'<a>'.repeat(20)}${'</a>'.repeat(20)}`;
    expect(thrown(() => parseXml(deep, 'deep.xml', { maxDepth: 10 })).problems[0]!.message).toMatch(/deeper than the limit of 10/);
    expect(parseXml(deep, 'deep.xml', { maxDepth: 20 }).local).toBe('a');
  });
});

describe('parseDisaDescription', () => {
  it('splits the pseudo-XML fields and keeps raw markup inside them', () => {
    const f = parseDisaDescription('<VulnDiscussion>Use <keyname> && more\nlines</VulnDiscussion><FalsePositives></FalsePositives><Documentable>false</Documentable>');
    expect(f).toEqual({ VulnDiscussion: 'Use <keyname> && more\nlines', FalsePositives: '', Documentable: 'false' });
  });

  it('returns undefined for plain prose', () => {
    expect(parseDisaDescription('Just a description.')).toBeUndefined();
    expect(parseDisaDescription('<Open>never closed')).toBeUndefined();
  });
});
