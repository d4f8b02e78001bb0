/**
 * Property: for generated OSCAL catalogs, writing the model in any format and reading it back gives the same
 * model. Markup is generated as XML inline trees (text with Markdown's special characters, inserts, em,
 * strong, code, q, sub, sup, links; paragraphs and lists) and turned into the Markdown the JSON model holds,
 * so the property covers the Markdown writer and parser as well as the XML, JSON and YAML writers and readers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OscalFormat, readOscalDocument, writeOscalDocument } from '../../../../src/formats/oscal/document.js';
import { OSCAL_NS, lineToMarkdown, multilineToMarkdown } from '../../../../src/formats/oscal/markdown.js';
import type { XmlElement, XmlNode } from '../../../../src/formats/safe-xml.js';

const CHARS = 'abcxyzABC019 *`"[](){}#>|.+-~^\\&<>\'_!=éß✓'.split('');
const el = (local: string, children: XmlNode[], attrs: Record<string, string> = {}): XmlElement => ({ type: 'element', name: local, local, ns: OSCAL_NS, attrs, children, line: 0, column: 0 });
const txt = (text: string): XmlNode => ({ type: 'text', text });

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
/** A word of any characters but spaces; text is words joined by single spaces (XML markup keeps no runs). */
const word = fc.array(fc.constantFrom(...CHARS.filter((c) => c !== ' ')), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const words = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));
const safeWords = fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));

const inlineElement: fc.Arbitrary<XmlNode> = fc.oneof(
  token.map((id) => el('insert', [], { type: 'param', 'id-ref': id })),
  words.map((w) => el('em', [txt(w)])),
  words.map((w) => el('strong', [txt(w)])),
  safeWords.map((w) => el('code', [txt(w)])),
  words.map((w) => el('q', [txt(w)])),
  safeWords.map((w) => el('sub', [txt(w)])),
  safeWords.map((w) => el('sup', [txt(w)])),
  fc.tuple(words, token).map(([w, href]) => el('a', [txt(w)], { href: `#${href}` })),
);

/** Inline content: words and elements, always a space between neighbours (Markdown cannot tell `*a**b*` apart). */
const inline: fc.Arbitrary<XmlNode[]> = fc.array(fc.oneof(words.map(txt), inlineElement), { minLength: 1, maxLength: 5 }).map((items) => {
  const out: XmlNode[] = [];
  items.forEach((n, i) => {
    if (i > 0) out.push(txt(' '));
    out.push(n);
  });
  return out;
});
const line = inline.map((nodes) => lineToMarkdown(el('title', nodes)));
const prose = fc
  .array(
    fc.oneof(
      inline.map((nodes) => el('p', nodes)),
      fc.tuple(fc.constantFrom('ul', 'ol'), fc.array(inline, { minLength: 1, maxLength: 3 })).map(([kind, items]) => el(kind, items.map((i) => el('li', i)))),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((blocks) => multilineToMarkdown(blocks));

const prop = fc.record({ name: token, value: words, ns: fc.constant('https://example.gov/ns'), class: token }, { requiredKeys: ['name', 'value'] });
const link = fc.record({ href: token.map((t) => `#${t}`), rel: token, text: line }, { requiredKeys: ['href'] });
const param = fc.record(
  {
    id: token,
    props: fc.array(prop, { minLength: 1, maxLength: 2 }),
    label: line,
    values: fc.array(words, { minLength: 1, maxLength: 2 }),
    select: fc.record({ 'how-many': fc.constantFrom('one', 'one-or-more'), choice: fc.array(line, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['choice'] }),
  },
  { requiredKeys: ['id'] },
);
/** A part with sub-parts `depth` levels down. */
function partOf(depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    id: token,
    name: token,
    title: line,
    props: fc.array(prop, { minLength: 1, maxLength: 2 }),
    prose,
    links: fc.array(link, { minLength: 1, maxLength: 2 }),
  };
  if (depth > 0) fields.parts = fc.array(partOf(depth - 1), { minLength: 1, maxLength: 2 });
  return fc.record(fields, { requiredKeys: ['name'] });
}
const part = partOf(2);
const control = fc.record(
  {
    id: token,
    class: token,
    title: line,
    params: fc.array(param, { minLength: 1, maxLength: 2 }),
    props: fc.array(prop, { minLength: 1, maxLength: 2 }),
    links: fc.array(link, { minLength: 1, maxLength: 2 }),
    parts: fc.array(part, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['id', 'title'] },
);
const resource = fc.record(
  {
    uuid: fc.uuid(),
    title: line,
    description: prose,
    citation: fc.record({ text: line }),
    rlinks: fc.array(fc.record({ href: token.map((t) => `https://example.gov/${t}.json`), 'media-type': fc.constant('application/json'), hashes: fc.array(fc.record({ algorithm: fc.constant('SHA-256'), value: fc.stringMatching(/^[0-9a-f]{64}$/) }), { minLength: 1, maxLength: 1 }) }, { requiredKeys: ['href'] }), { minLength: 1, maxLength: 2 }),
    remarks: prose,
  },
  { requiredKeys: ['uuid'] },
);
const catalog = fc
  .record({
    uuid: fc.uuid(),
    title: line,
    version: words,
    groups: fc.array(fc.record({ id: token, title: line, controls: fc.array(control, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
    params: fc.option(fc.array(param, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    resources: fc.option(fc.array(resource, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ uuid, title, version, groups, params, resources }) => ({
    catalog: {
      uuid,
      metadata: { title, 'last-modified': '2024-01-01T00:00:00Z', version, 'oscal-version': '1.1.2' },
      ...(params ? { params } : {}),
      groups,
      ...(resources ? { 'back-matter': { resources } } : {}),
    },
  }));

type GeneratedCatalog = typeof catalog extends fc.Arbitrary<infer T> ? T : never;

/**
 * Seed 1467595939 found a paragraph whose text is `>`: written to Markdown unescaped it read back as an empty
 * block quote (CommonMark's `>` needs no space after it). Its shrunk counterexample is replayed on every run,
 * with the paragraph as the Markdown writer now gives it (`\>`) and the second control's id made unique (the
 * shrunk one repeated `a`, which OSCAL forbids and which had no part in the failure).
 */
const REGRESSION_SEED = 1467595939;
const REGRESSIONS: GeneratedCatalog[] = [
  {
    catalog: {
      uuid: '00000000-0000-1000-8000-000000000000',
      metadata: { title: '`a`', 'last-modified': '2024-01-01T00:00:00Z', version: 'a', 'oscal-version': '1.1.2' },
      groups: [{ id: 'a', title: 'a', controls: [{ id: 'a', title: 'a', parts: [{ name: 'a', parts: [{ name: 'a', prose: '\\>' }] }] }, { id: 'b', title: 'a' }] }],
    },
  },
];

const roundTrips = (format: OscalFormat) =>
  fc.property(catalog, (doc) => {
    const text = writeOscalDocument(doc, format, `generated.${format}`);
    const back = readOscalDocument(`generated.${format}`, Buffer.from(text, 'utf8')).json;
    expect(back).toEqual(doc);
  });

describe.each(['json', 'yaml', 'xml'] as OscalFormat[])('write → read in %s', (format) => {
  it('is the identity for generated catalogs', () => {
    fc.assert(roundTrips(format), { numRuns: 150, examples: REGRESSIONS.map((doc) => [doc] as [GeneratedCatalog]) });
  });

  it(`is the identity for the catalogs of seed ${REGRESSION_SEED}`, () => {
    fc.assert(roundTrips(format), { numRuns: 150, seed: REGRESSION_SEED });
  });
});
