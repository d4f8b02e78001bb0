/** The selective parse path of safe-xml: same trees as the sax path, same refusals, with positions. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SelectDecision, type XmlElement, elements, parseXml, parseXmlSelective } from '../../../../src/formats/safe-xml.js';
import { DOCKER_STIG_V2R2, shared } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';

/** Descends the document element and keeps each child whole (the fast builder), for comparison with parseXml. */
const keepChildren = (input: string | Buffer, file: string, opts: { maxDepth?: number } = {}): XmlElement =>
  parseXmlSelective(input, file, { ...opts, select: (_el, depth) => (depth === 0 ? 'descend' : 'keep') });

describe('parseXmlSelective', () => {
  it.each([
    ['SSG Debian XCCDF', '/usr/share/xml/scap/ssg/content/ssg-debian11-xccdf.xml'],
    ['DISA Docker STIG', shared(...DOCKER_STIG_V2R2)],
  ])('builds the same element subtrees as parseXml for the %s', (_name, file) => {
    const bytes = fs.readFileSync(file);
    const full = parseXml(bytes, file);
    const selective = keepChildren(bytes, file);
    expect(selective.children.length).toBeGreaterThan(3);
    expect(selective).toEqual({ ...full, children: elements(full) });
  });

  it('keeps a document element the selector keeps exactly as parseXml does', () => {
    const xml = '<r xmlns="urn:a" xmlns:b="urn:b" b:x="y">one <b:c>two</b:c> &amp; three</r>';
    expect(parseXmlSelective(xml, 'k.xml', { select: () => 'keep' })).toEqual(parseXml(xml, 'k.xml'));
  });

  it('decodes references and CDATA, resolves inherited namespaces and drops skipped elements', () => {
    const root = parseXmlSelective('<a xmlns:p="urn:p">\n<skip><x y="&#x26;">&amp;<!-- & --><![CDATA[&]]></x></skip>\n<p:keep v="&lt;&#65;&#x42;">t &amp; <![CDATA[<raw>]]><!-- c --><?pi x?><q/></p:keep></a>', 's.xml', {
      select: (el) => (el.local === 'a' ? 'descend' : el.local === 'skip' ? 'skip' : 'keep'),
    });
    expect(root.children).toHaveLength(1);
    const keep = root.children[0] as XmlElement;
    expect(keep).toMatchObject({ local: 'keep', ns: 'urn:p', attrs: { v: '<AB' }, line: 3 });
    expect(keep.children).toEqual([{ type: 'text', text: 't & <raw>' }, { type: 'element', name: 'q', local: 'q', ns: '', attrs: {}, children: [], line: 3, column: expect.any(Number) }]);
  });

  it('refuses DOCTYPEs, unknown entities, unbound prefixes, repeated attributes and too deep nesting', () => {
    const sel = { select: (_el: XmlElement, depth: number): SelectDecision => (depth === 0 ? 'descend' : 'keep') };
    expect(thrown(() => parseXmlSelective('<a>\n<!DOCTYPE x>\n</a>', 'd.xml', sel)).problems[0]).toMatchObject({ line: 2, column: 1 });
    // Skipped parts are refused for what a kept one is (references in their text and attribute values).
    const skip = { select: (_el: XmlElement, depth: number): SelectDecision => (depth === 0 ? 'descend' : 'skip') };
    expect(thrown(() => parseXmlSelective('<a>\n<b><c>x&nbsp;y</c></b></a>', 's.xml', skip)).problems[0]).toMatchObject({ file: 's.xml', line: 2, column: 8 });
    expect(thrown(() => parseXmlSelective('<a><b><c v="&toString;"/></b></a>', 's.xml', skip)).message).toContain('an unknown entity reference');
    expect(thrown(() => parseXmlSelective('<a><b>x & y</b></a>', 's.xml', skip)).message).toContain('unescaped "&"');
    const ent = thrown(() => parseXmlSelective('<a>\n<b>x&nbsp;y</b></a>', 'e.xml', sel));
    expect(ent.problems[0]).toMatchObject({ file: 'e.xml', line: 2, column: 5 });
    expect(ent.message).toContain('an unknown entity reference');
    expect(thrown(() => parseXmlSelective('<a><b>x & y</b></a>', 'amp.xml', sel)).message).toContain('unescaped "&"');
    expect(thrown(() => parseXmlSelective('<a><q:b/></a>', 'p.xml', sel)).message).toContain('unbound namespace prefix');
    expect(thrown(() => parseXmlSelective('<a><b x="1" x="2"/></a>', 'r.xml', sel)).message).toContain('attribute "x" is repeated');
    const deep = `<a>${'<b>'.repeat(20)}${'</b>'.repeat(20)}</a>`;
    expect(thrown(() => parseXmlSelective(deep, 'deep.xml', { ...sel, maxDepth: 10 })).message).toContain('deeper than the limit of 10');
    const skipDeep = thrown(() => parseXmlSelective(deep, 'deep.xml', { select: (_e, d) => (d === 0 ? 'descend' : 'skip'), maxDepth: 10 }));
    expect(skipDeep.message).toContain('deeper than the limit of 10');
    expect(thrown(() => parseXmlSelective(`<a>${'x'.repeat(100)}</a>`, 'big.xml', { ...sel, maxBytes: 50 })).message).toContain('larger than the limit of 50 bytes');
  });

  it('refuses names of Object.prototype as entities (they are no XML entity), in text and attribute values', () => {
    const sel = { select: (_el: XmlElement, depth: number): SelectDecision => (depth === 0 ? 'descend' : 'keep') };
    for (const xml of ['<a><b>x&constructor;y</b></a>', '<a><b v="&toString;"/></a>', '<a><b>&__proto__;</b></a>', '<a><b>&hasOwnProperty;</b></a>']) {
      expect(thrown(() => parseXmlSelective(xml, 'p.xml', sel)).message, xml).toContain('an unknown entity reference');
    }
  });

  it('decodes every reference of a long text run, and refuses a bad one at its place after many good ones', () => {
    const sel = { select: (_el: XmlElement, depth: number): SelectDecision => (depth === 0 ? 'descend' : 'keep') };
    const run = 'if [ "$a" &lt; 1 ] &amp;&amp; echo &quot;x&apos; &gt; &#65;&#x42;\n'.repeat(200);
    const root = parseXmlSelective(`<a><b>${run}</b><c>plain</c></a>`, 'r.xml', sel);
    expect(root.children).toHaveLength(2);
    expect((root.children[0] as XmlElement).children).toEqual([{ type: 'text', text: 'if [ "$a" < 1 ] && echo "x\' > AB\n'.repeat(200) }]);
    const bad = thrown(() => parseXmlSelective(`<a><b>${run}\nx &amp y</b></a>`, 'r.xml', sel));
    expect(bad.message).toContain('unescaped "&"');
    expect(bad.problems[0]).toMatchObject({ line: 202, column: 3 });
  });

  it('refuses mis-nested and unclosed elements in kept and skipped parts, and a second root', () => {
    for (const decision of ['keep', 'skip'] as const) {
      const sel = { select: (_el: XmlElement, depth: number) => (depth === 0 ? 'descend' : decision) };
      const bad = thrown(() => parseXmlSelective('<a><b>\n<c></b></c></a>', 'n.xml', sel));
      expect(bad.problems[0]).toMatchObject({ line: 2 });
      expect(bad.message).toContain('Unexpected close tag </b>, expected </c>');
      const open = thrown(() => parseXmlSelective('<a><b>\n<c>', 'u.xml', sel));
      expect(open.problems[0]).toMatchObject({ line: 2, column: 4 });
      expect(open.message).toContain('is not closed');
      expect(thrown(() => parseXmlSelective('<a><b><!-- x </b></a>', 'c.xml', sel)).message).toContain('unclosed comment');
    }
    const sel = { select: () => 'descend' as const };
    expect(thrown(() => parseXmlSelective('<a/><b/>', 'two.xml', sel)).message).toContain('a second root element');
    expect(thrown(() => parseXmlSelective('<a/>junk', 'junk.xml', sel)).message).toContain('text outside the document element');
  });
});
