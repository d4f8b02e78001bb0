/**
 * `convert` over real files: NIST's catalog and profile, FedRAMP's assessment plan, results and POA&M
 * templates, in every direction; the 1.0.0 catalog upgraded to 1.1.2; bad input refused with its place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOscalDocument } from '../../../src/formats/oscal/document.js';
import { parseXml } from '../../../src/formats/safe-xml.js';
import { DefaultConvertService } from '../../../src/library/convert-service.js';
import type { ConvertOptions, ConvertResult } from '../../../src/domain/services.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { xmlTree } from '../formats/oscal/xml-tree.js';
import { differences } from './profile-resolution/compare.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const service = new DefaultConvertService({ schemaPath: async () => shared(...OSCAL_SCHEMA_112) });
/** What the CLI does around the service: read the user's file, convert its content, write the text to --out. */
async function convertFile(input: string, options: Omit<ConvertOptions, 'outName'> & { out: string }): Promise<Omit<ConvertResult, 'text'>> {
  const { out: outFile, ...rest } = options;
  const { text, ...result } = await service.convert({ name: input, bytes: fs.readFileSync(input) }, { ...rest, outName: outFile });
  fs.writeFileSync(outFile, text);
  return result;
}
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const fedramp = (name: string): string => shared('oscal', 'fedramp-rev5', name);
const out = (name: string): string => path.join(dir, name);
const model = (file: string): unknown => readOscalDocument(file, fs.readFileSync(file)).json;

describe('convert', () => {
  it("writes NIST's XML catalog as the JSON NIST publishes (as data)", async () => {
    const r = await convertFile(rev501('NIST_SP-800-53_rev5_catalog.xml'), { to: 'json', out: out('catalog.json') });
    expect(r).toMatchObject({ model: 'catalog', from: 'xml', to: 'json', oscalVersion: '1.0.0', notes: [] });
    expect(differences(JSON.parse(fs.readFileSync(out('catalog.json'), 'utf8')), JSON.parse(fs.readFileSync(rev501('NIST_SP-800-53_rev5_catalog.json'), 'utf8')))).toEqual([]);
  });

  it("writes NIST's JSON profile as the XML NIST publishes, element for element", async () => {
    await convertFile(rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'), { to: 'xml', out: out('profile.xml') });
    const ours = parseXml(fs.readFileSync(out('profile.xml')), 'profile.xml');
    const theirs = parseXml(fs.readFileSync(rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.xml')), 'theirs.xml');
    expect(differences(xmlTree(ours), xmlTree(theirs))).toEqual([]);
  });

  /** Markdown as XML markup holds it: escapes resolved, whitespace runs as one space. */
  const rendered = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim() : v);

  it.each([
    ['FedRAMP-SAP-OSCAL-Template.json', 'assessment-plan', 1],
    ['FedRAMP-SAR-OSCAL-Template.json', 'assessment-results', 0],
    ['FedRAMP-POAM-OSCAL-Template.json', 'plan-of-action-and-milestones', 0],
  ])('%s (%s) goes JSON → XML → YAML → JSON unchanged (but for spacing XML markup cannot hold)', async (file, kind, spaced) => {
    const base = file.replace('.json', '');
    const toXml = await convertFile(fedramp(file), { to: 'xml', out: out(`${base}.xml`) });
    expect(toXml.model).toBe(kind);
    expect(toXml.notes.length).toBe(spaced);
    await convertFile(out(`${base}.xml`), { to: 'yaml', out: out(`${base}.yaml`) });
    await convertFile(out(`${base}.yaml`), { to: 'json', out: out(`${base}.json`) });
    const diffs = differences(model(out(`${base}.json`)), model(fedramp(file)), { max: 100 });
    // FedRAMP's SAP has list items written with runs of spaces ("to:    * create …"); XML keeps the words.
    expect(diffs.filter((d) => rendered(d.actual) !== rendered(d.expected))).toEqual([]);
    expect(diffs.length > 0).toBe(spaced > 0);
  });

  it('upgrades the OSCAL 1.0.0 catalog to 1.1.2, keeping the deprecated depends-on and saying so', async () => {
    const r = await convertFile(rev501('NIST_SP-800-53_rev5_catalog.json'), { to: 'yaml', out: out('upgraded.yaml'), oscalVersion: '1.1.2' });
    expect(r).toMatchObject({ oscalVersion: '1.1.2', upgradedFrom: '1.0.0' });
    expect(r.notes).toEqual([expect.stringMatching(/^\d+ parameter\(s\) keep "depends-on", which OSCAL 1\.1 deprecates but accepts$/)]);
    const upgraded = model(out('upgraded.yaml')) as { catalog: { metadata: Record<string, unknown> } };
    expect(upgraded.catalog.metadata['oscal-version']).toBe('1.1.2');
    const original = model(rev501('NIST_SP-800-53_rev5_catalog.json')) as { catalog: { metadata: Record<string, unknown> } };
    expect(differences(upgraded, original).map((d) => d.path)).toEqual(['/catalog/metadata/oscal-version']);
  });

  it('refuses an unsupported upgrade target and a newer document', async () => {
    expect((await rejection(convertFile(rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'), { to: 'json', out: out('x.json'), oscalVersion: '1.0.4' }))).code).toBe('BAD_INPUT');
    fs.writeFileSync(out('future.json'), JSON.stringify({ profile: { uuid: 'b0f6b0f6-1111-4111-8111-111111111111', metadata: { title: 't', 'last-modified': '2024-01-01T00:00:00Z', version: '1', 'oscal-version': '1.2.0' }, imports: [{ href: '#x', 'include-all': {} }] } }));
    const e = await rejection(convertFile(out('future.json'), { to: 'xml', out: out('f.xml'), oscalVersion: '1.1.2' }));
    expect(e.message).toContain('oscal-version "1.2.0" cannot be upgraded to 1.1.2');
  });

  it('refuses schema-invalid XML input with its line, and writes nothing', async () => {
    fs.writeFileSync(out('bad.xml'), '<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="74c8ba1e-5cd4-4ad1-bbfd-fc7ac2aab2e5">\n<metadata><title>T</title></metadata>\n</catalog>');
    const e = await rejection(convertFile(out('bad.xml'), { to: 'json', out: out('bad.json') }));
    expect(e.code).toBe('SCHEMA_INVALID');
    expect(e.problems[0]).toMatchObject({ line: 2, pointer: '/catalog/metadata' });
    expect(fs.existsSync(out('bad.json'))).toBe(false);
  });

  it('refuses an unknown target format', async () => {
    const e = await rejection(convertFile(rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'), { to: 'csv' as 'json', out: out('x.csv') }));
    expect(e.code).toBe('BAD_INPUT');
  });
});
