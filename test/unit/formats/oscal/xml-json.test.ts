/**
 * One model, three formats: every OSCAL document the reference content holds in both NIST/GSA XML and JSON
 * (the SP 800-53 rev5 5.0.1 catalog, the MODERATE profile, FedRAMP's SAR template) reads to the same JSON
 * model from either, and the model writes back what the publisher put in each format: the JSON as data,
 * the XML element for element (attributes, order, text with XML's whitespace runs taken as one space).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oscalJsonToXml, oscalXmlToJson } from '../../../../src/formats/oscal/xml-json.js';
import { type XmlElement, parseXml } from '../../../../src/formats/safe-xml.js';
import { shared } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';
import { differences } from '../../library/profile-resolution/compare.js';
import { xmlTree } from './xml-tree.js';

/** The reference pairs, and what each publisher deliberately made differ between its XML and JSON files. */
const PAIRS = [
  { name: 'SP 800-53 rev5 5.0.1 catalog', dir: 'nist-800-53-rev5-5.0.1', base: 'NIST_SP-800-53_rev5_catalog', formatSpecific: [] as string[] },
  { name: 'SP 800-53 rev5 5.0.1 MODERATE profile', dir: 'nist-800-53-rev5-5.0.1', base: 'NIST_SP-800-53_rev5_MODERATE-baseline_profile', formatSpecific: [] },
  // FedRAMP's SAR links the SAP in its own format: the XML file names the XML SAP, the JSON file the JSON one.
  {
    name: 'FedRAMP SAR template',
    dir: 'fedramp-rev5',
    base: 'FedRAMP-SAR-OSCAL-Template',
    formatSpecific: ['/assessment-results/back-matter/resources/1(5cce2310-8fcc-49f8-8cae-8e31dc8048f1)/rlinks/0/href', '/assessment-results/back-matter/resources/1(5cce2310-8fcc-49f8-8cae-8e31dc8048f1)/rlinks/0/media-type'],
  },
];

describe.each(PAIRS)('$name', ({ dir, base, formatSpecific }) => {
  const xmlFile = shared('oscal', dir, `${base}.xml`);
  const jsonFile = shared('oscal', dir, `${base}.json`);
  const published = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
  const xmlRoot = parseXml(fs.readFileSync(xmlFile), xmlFile);

  it('XML reads to the model NIST publishes as JSON (every field, whitespace included)', () => {
    const fromXml = oscalXmlToJson(xmlRoot, xmlFile).json;
    expect(differences(fromXml, published, { max: 50 }).map((d) => d.path)).toEqual(formatSpecific);
  });

  it('the model writes the published XML back, element for element', () => {
    const written = parseXml(oscalJsonToXml(published), 'written.xml');
    const paths = differences(xmlTree(written), xmlTree(xmlRoot), { max: 50 }).map((d) => d.path);
    expect(paths).toHaveLength(formatSpecific.length);
  });

  it('JSON → XML → JSON is the identity', () => {
    const back = oscalXmlToJson(parseXml(oscalJsonToXml(published), 'w.xml'), 'w.xml').json;
    expect(differences(back, published, { max: 20 })).toEqual([]);
  });
});

describe('the XML reader keeps positions and refuses what the model does not define', () => {
  const doc = (body: string): XmlElement =>
    parseXml(`<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="u">\n<metadata><title>T</title></metadata>\n${body}\n</catalog>`, 'c.xml');

  it('keeps links inside parts and spaces around inserted parameters', () => {
    const { json } = oscalXmlToJson(
      doc('<control id="c-1"><title>C</title><param id="p1"><select><choice>\n  <insert type="param" id-ref="p2"/>\n</choice></select></param><part name="guidance"><p>See.</p><link href="#r1" rel="related"/></part></control>'),
      'c.xml',
    );
    const control = (json.catalog as { controls: Record<string, unknown>[] }).controls[0]!;
    expect(control).toEqual({
      id: 'c-1',
      title: 'C',
      params: [{ id: 'p1', select: { choice: [' {{ insert: param, p2 }} '] } }],
      parts: [{ name: 'guidance', prose: 'See.', links: [{ href: '#r1', rel: 'related' }] }],
    });
  });

  it('names the line of an element OSCAL does not define', () => {
    const e = thrown(() => oscalXmlToJson(doc('<control id="c-1"><title>C</title><colour>red</colour></control>'), 'c.xml'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toBe('c.xml:3:42: <colour> is not allowed in <control>');
  });

  it('names an attribute OSCAL does not define', () => {
    const e = thrown(() => oscalXmlToJson(doc('<control id="c-1" secret="x"><title>C</title></control>'), 'c.xml'));
    expect(e.message).toContain('<control> has an attribute "secret" that OSCAL does not define');
  });

  it('locates JSON pointers at their XML lines (a missing property at its parent)', () => {
    const r = oscalXmlToJson(doc('<control id="c-1">\n<title>C</title>\n<part name="x"><p>P</p></part></control>'), 'c.xml');
    expect(r.locate('/catalog/controls/0/parts/0')).toEqual({ line: 5, column: 15 });
    expect(r.locate('/catalog/controls/0/parts/0/id')).toEqual({ line: 5, column: 15 });
  });

  it('the writer refuses a JSON property the model does not define, with its pointer', () => {
    const e = thrown(() => oscalJsonToXml({ catalog: { uuid: 'u', metadata: { title: 'T', colour: 'red' } } }));
    expect(e.message).toBe('document#/catalog/metadata/colour: "colour" is not part of the OSCAL metadata model');
  });
});
