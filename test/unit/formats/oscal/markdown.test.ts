/**
 * Markup-multiline paragraphs whose text begins like another Markdown block (CommonMark: a quote `>` with or
 * without a space, headings, list markers with a space or alone, table rows, thematic breaks) are escaped
 * when written, so they read back as the same paragraph, while real blocks still read as blocks.
 */
import { describe, expect, it } from 'vitest';
import { markdownToMultiline, multilineToMarkdown, OSCAL_NS } from '../../../../src/formats/oscal/markdown.js';
import type { XmlElement, XmlNode } from '../../../../src/formats/safe-xml.js';

const el = (local: string, children: XmlNode[]): XmlElement => ({ type: 'element', name: local, local, ns: OSCAL_NS, attrs: {}, children, line: 0, column: 0 });
const txt = (text: string): XmlNode => ({ type: 'text', text });
const shape = (nodes: readonly XmlNode[]): unknown[] => nodes.map((n) => (n.type === 'text' ? n.text : { [n.local]: shape(n.children) }));

describe('Markdown of paragraphs that begin like a block', () => {
  const texts = ['>', '>a', '> a', '>>', '#', '# a', '######', '-', '- a', '+', '*', '1.', '1. a', '12)', '|', '---', '- - -', '-- -'];

  it.each(texts)('%j stays one paragraph', (text) => {
    const md = multilineToMarkdown([el('p', [txt(text)])]);
    expect(shape(markdownToMultiline(md))).toEqual([{ p: [text] }]);
  });

  it('writes the escapes CommonMark readers need', () => {
    expect(multilineToMarkdown([el('p', [txt('>')])])).toBe('\\>');
    expect(multilineToMarkdown([el('p', [txt('1) a')])])).toBe('1\\) a');
    expect(multilineToMarkdown([el('p', [txt('---')])])).toBe('\\---');
    expect(multilineToMarkdown([el('p', [txt('#a 1.5 -- a>b')])])).toBe('#a 1.5 -- a>b');
  });

  it('still reads real quotes, lists and breaks as blocks', () => {
    const blocks = [el('blockquote', [el('p', [txt('>')])]), el('ul', [el('li', [txt('a')])]), el('hr', [])];
    expect(shape(markdownToMultiline(multilineToMarkdown(blocks)))).toEqual([{ blockquote: [{ p: ['>'] }] }, { ul: [{ li: ['a'] }] }, { hr: [] }]);
  });
});
