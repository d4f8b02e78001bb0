import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogDocument, OscalControl } from '../../../../src/domain/content.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { parseCatalogJson } from '../../../../src/formats/oscal/catalog-json.js';
import { catalogCounts, partIds, walkControls } from '../../../../src/formats/oscal/catalog-walk.js';
import { parseCatalogXml } from '../../../../src/formats/oscal/catalog-xml.js';
import { parseXml } from '../../../../src/formats/safe-xml.js';
import { OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, repoRoot, shared } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';

const schema = shared(...OSCAL_SCHEMA_112);
const UUID = '74c8ba1e-5cd4-4ad1-bbfd-fc7ac2aab2e5';
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'content', name);

function loadJson(file: string): CatalogDocument {
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'catalog' || fp.format !== 'json') throw new Error('not a JSON catalog');
  return parseCatalogJson(fp.json, file, { oscalSchemaPath: schema });
}

function loadXml(file: string): CatalogDocument {
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'catalog' || fp.format !== 'xml') throw new Error('not an XML catalog');
  return parseCatalogXml(fp.root, file);
}

describe('SP 800-53 rev5 5.0.1 catalog, JSON and XML', () => {
  const json = loadJson(shared(...REV5_CATALOG_JSON));
  const xml = loadXml(shared(...REV5_CATALOG_XML));
  const jsonControls = walkControls(json);
  const xmlControls = walkControls(xml);

  it('reads the metadata', () => {
    for (const c of [json, xml]) {
      expect(c).toMatchObject({ uuid: '613fca2d-704a-42e7-8e2b-b206fb92b456', version: '5.0.1', oscalVersion: '1.0.0', lastModified: '2021-06-08T13:57:33.013981-04:00' });
      expect(c.title).toMatch(/^NIST Special Publication 800-53 Revision 5/);
    }
  });

  it('has 1,189 controls and enhancements in 20 groups, in the same order from both formats', () => {
    expect(jsonControls).toHaveLength(1189);
    expect(xmlControls.map((v) => v.control.id)).toEqual(jsonControls.map((v) => v.control.id));
    expect(xmlControls.map((v) => [v.groupId, v.parentControlId])).toEqual(jsonControls.map((v) => [v.groupId, v.parentControlId]));
    expect(catalogCounts(json)).toEqual({ groups: 20, controls: 322, enhancements: 867, params: 1258 });
    expect(catalogCounts(xml)).toEqual(catalogCounts(json));
  });

  it('gives the same param ids and part ids from both formats', () => {
    const params = (cs: typeof jsonControls): string[] => cs.flatMap((v) => (v.control.params ?? []).map((p) => p.id));
    const parts = (cs: typeof jsonControls): string[] => cs.flatMap((v) => partIds(v.control.parts));
    expect(params(xmlControls)).toEqual(params(jsonControls));
    expect(parts(xmlControls).length).toBeGreaterThan(3000);
    expect(parts(xmlControls)).toEqual(parts(jsonControls));
  });

  it('gives the same prose, params, props and links from both formats, whitespace included', () => {
    expect(xml.groups).toEqual(json.groups);
    expect(xml.backMatter).toEqual(json.backMatter);
    expect(xml.metadata).toEqual(json.metadata);
  });

  it('renders XML markup as the JSON Markdown', () => {
    const find = (c: CatalogDocument, id: string): OscalControl => walkControls(c).find((v) => v.control.id === id)!.control;
    const ac1 = find(xml, 'ac-1');
    expect(ac1.parts![0]!.parts![0]!.prose).toBe('Develop, document, and disseminate to {{ insert: param, ac-1_prm_1 }}:');
    expect(find(xml, 'ac-7').params![2]!.select).toEqual({ howMany: 'one-or-more', choice: expect.arrayContaining(['lock the account or node for an {{ insert: param, ac-7_prm_4 }} ']) });
    const cm53 = find(xml, 'cm-5.3');
    expect(cm53.props).toContainEqual({ name: 'status', value: 'withdrawn' });
    expect(cm53.links).toContainEqual({ rel: 'moved-to', href: '#cm-14' });
  });
});

describe('catalog XML markup and errors', () => {
  it('maps a small hand-made catalog with guidelines, values, selections, lists and links', () => {
    const doc = loadXml(fixture('small-catalog.xml'));
    expect(doc.title).toBe('Small *hand-made* catalog');
    const x1 = doc.groups[0]!.controls![0]!;
    expect(x1.params).toEqual([
      { id: 'x-1_prm_1', label: 'organization-defined frequency', guidelines: ['At least **annually**.'], values: ['annually'] },
      { id: 'x-1_prm_2', select: { howMany: 'one', choice: ['daily', 'every {{ insert: param, x-1_prm_1 }} '] } },
    ]);
    expect(x1.links).toEqual([{ rel: 'related', href: '#x-2', text: 'see X-2' }]);
    expect(x1.parts![0]!.parts![0]!.prose).toBe('Review the "policy" {{ insert: param, x-1_prm_1 }}; see [X-2](#x-2).\n\n* first\n* second *item*\n');
    expect(x1.controls!.map((c) => c.id)).toEqual(['x-1.1']);
    expect(catalogCounts(doc)).toEqual({ groups: 1, controls: 2, enhancements: 1, params: 2 });
  });

  it('names the element and line of structural errors', () => {
    const ns = 'xmlns="http://csrc.nist.gov/ns/oscal/1.0"';
    const meta = '<metadata><title>t</title><last-modified>2024-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.1.2</oscal-version></metadata>';
    const read = (xml: string, file: string): CatalogDocument => parseCatalogXml(parseXml(xml, file), file, { oscalSchemaPath: schema });
    const noId = thrown(() => read(`<catalog ${ns} uuid="${UUID}">${meta}\n\n<control><title>x</title></control></catalog>`, 'c.xml'));
    expect(noId.code).toBe('SCHEMA_INVALID');
    expect(noId.problems[0]).toMatchObject({ file: 'c.xml', line: 3, pointer: '/catalog/controls/0' });
    expect(noId.message).toMatch(/^c\.xml:3:\d+: .*missing required property "id"/);
    const dup = thrown(() => read(`<catalog ${ns} uuid="${UUID}">${meta}<control id="a"><title>x</title></control>\n<control id="a"><title>y</title></control></catalog>`, 'd.xml'));
    expect(dup.code).toBe('CONTENT_INVALID');
    expect(dup.message).toMatch(/^d\.xml:2:\d+: \/catalog\/controls\/1: duplicate control id "a"/);
    const noVersion = thrown(() => read(`<catalog ${ns} uuid="${UUID}"><metadata><title>t</title></metadata></catalog>`, 'v.xml'));
    expect(noVersion.message).toContain('missing required property');
  });

  it('refuses a schema-invalid JSON catalog with a JSON pointer', () => {
    const file = fixture('schema-invalid-catalog.json');
    const e = thrown(() => loadJson(file));
    expect(e.code).toBe('SCHEMA_INVALID');
    expect(e.problems[0]).toMatchObject({ file, pointer: '/catalog/metadata' });
    expect(e.problems[0]!.message).toContain('"version"');
  });
});
