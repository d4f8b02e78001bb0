/** Profile parsing from JSON, XML and YAML; YAML catalogs; rlink choice for `#uuid` imports. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ErrorCode } from '../../../../src/domain/errors.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { parseProfileJson } from '../../../../src/formats/oscal/profile-json.js';
import { parseProfileXml } from '../../../../src/formats/oscal/profile-xml.js';
import { parseCatalogYaml, parseProfileYaml } from '../../../../src/formats/oscal/yaml.js';
import { parseXml } from '../../../../src/formats/safe-xml.js';
import { resolveProfileFile, resolvedControlIds } from '../../../../src/library/profile-resolution/builder.js';
import { rankRlinks } from '../../../../src/library/profile-resolution/import-selection.js';
import { OSCAL_SCHEMA_112, repoRoot, shared, tempDir } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';

const schema = shared(...OSCAL_SCHEMA_112);
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'oscal-profiles', name);
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('profile JSON and XML', () => {
  it('reads NIST\'s MODERATE profile the same from JSON and XML', () => {
    const jsonFile = rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
    const xmlFile = rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.xml');
    const fromJson = parseProfileJson(JSON.parse(fs.readFileSync(jsonFile, 'utf8')), jsonFile, { oscalSchemaPath: schema });
    const fromXml = parseProfileXml(parseXml(fs.readFileSync(xmlFile), xmlFile), xmlFile);
    expect(fromXml.metadata.title).toBe('NIST Special Publication 800-53 Revision 5 MODERATE IMPACT BASELINE');
    expect(fromJson.metadata).toEqual(fromXml.metadata);
    expect(fromJson.imports).toHaveLength(1);
    expect(fromJson.imports[0]!.href).toBe('NIST_SP-800-53_rev5_catalog.xml');
    expect(fromJson.imports[0]!.includeControls[0]!.withIds).toHaveLength(287);
    expect(fromXml.imports[0]!.includeControls[0]!.withIds).toEqual(fromJson.imports[0]!.includeControls[0]!.withIds);
    expect(fromXml.imports[0]!.at).toMatchObject({ pointer: '/profile/imports/0', line: expect.any(Number) });
    expect(fromJson.merge).toEqual({ structure: { kind: 'as-is' }, at: { pointer: '/profile/merge' } });
    expect(fromXml.merge!.structure).toEqual({ kind: 'as-is' });
  });

  it('rejects a JSON profile the OSCAL schema rejects, with the pointer', () => {
    const doc = { profile: { uuid: '5c1b0e7e-0001-4000-8000-0000000000ff', metadata: { title: 't', 'last-modified': '2024-01-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' } } };
    const e = thrown(() => parseProfileJson(doc, 'x_profile.json', { oscalSchemaPath: schema }));
    expect(e.code).toBe(ErrorCode.SCHEMA_INVALID);
    expect(e.problems[0]).toMatchObject({ file: 'x_profile.json', pointer: '/profile', message: 'missing required property "imports"' });
  });

  it('rejects two structuring directives in one merge', () => {
    const doc = JSON.parse(fs.readFileSync(fixture('flat_profile.json'), 'utf8')) as { profile: Record<string, unknown> };
    doc.profile.merge = { 'as-is': true, flat: {} };
    const e = thrown(() => parseProfileJson(doc, 'two_profile.json', { oscalSchemaPath: schema }));
    expect(e.code).toBe(ErrorCode.CONTENT_INVALID);
    expect(e.message).toBe('two_profile.json#/profile/merge: the merge has 2 structuring directives (flat, as-is); give at most one of flat, as-is, custom');
  });

  it('names the line of a bad XML directive', () => {
    const xml = [
      '<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="5c1b0e7e-0001-4000-8000-0000000000fe">',
      '  <metadata><title>t</title><version>1</version><oscal-version>1.1.2</oscal-version></metadata>',
      '  <import>',
      '    <include-all/>',
      '  </import>',
      '</profile>',
    ].join('\n');
    const e = thrown(() => parseProfileXml(parseXml(xml, 'bad_profile.xml'), 'bad_profile.xml', { oscalSchemaPath: schema }));
    expect(e.code).toBe(ErrorCode.SCHEMA_INVALID);
    expect(e.message).toMatch(/^bad_profile\.xml:3:\d+: .*\/profile\/imports\/0 missing required property "href"$/);
  });

  it('is told apart from a catalog by the fingerprint', () => {
    expect(fingerprint('p.xml', fs.readFileSync(fixture('custom_profile.xml'))).kind).toBe('profile');
  });
});

describe('YAML', () => {
  it('parses a YAML profile into the same model as JSON', () => {
    const file = fixture('yaml_profile.yaml');
    const p = parseProfileYaml(fs.readFileSync(file, 'utf8'), file, { oscalSchemaPath: schema });
    expect(p.imports[0]).toMatchObject({ href: '#77777777-7777-4777-8777-777777777777', includeControls: [{ withIds: ['a-2', 'b-2'] }] });
    expect(p.metadata).toMatchObject({ title: 'YAML profile', version: '1.0', oscalVersion: '1.1.2', lastModified: '2024-01-01T00:00:00Z' });
    expect(p.backMatter[0]!.rlinks).toHaveLength(3);
  });

  it('gives the line and column of YAML syntax errors', () => {
    const e = thrown(() => parseProfileYaml('profile:\n  uuid: x\n  uuid: y\n', 'broken.yaml', { oscalSchemaPath: schema }));
    expect(e.code).toBe(ErrorCode.CONTENT_INVALID);
    expect(e.message).toBe('broken.yaml:3:3: malformed YAML: duplicate key');
    expect(e.problems[0]).toMatchObject({ file: 'broken.yaml', line: 3, column: 3 });
  });

  it('gives the YAML line of a schema problem', () => {
    const text = fs.readFileSync(fixture('yaml_profile.yaml'), 'utf8').replace('- href: "#77777777-7777-4777-8777-777777777777"', '- href: 42');
    const e = thrown(() => parseProfileYaml(text, 'typed.yaml', { oscalSchemaPath: schema }));
    expect(e.code).toBe(ErrorCode.SCHEMA_INVALID);
    const line = text.split('\n').findIndex((l) => l.includes('href: 42')) + 1;
    expect(e.problems[0]).toMatchObject({ file: 'typed.yaml', pointer: '/profile/imports/0/href', line, column: 13 });
    expect(e.message.startsWith(`typed.yaml:${line}:13: `)).toBe(true);
  });

  it('parses a YAML catalog like its JSON form', () => {
    const json = JSON.parse(fs.readFileSync(fixture('abc_catalog.json'), 'utf8')) as unknown;
    const catalog = parseCatalogYaml(stringify(json), 'abc_catalog.yaml', { oscalSchemaPath: schema });
    expect(catalog.title).toBe('ABC test catalog');
    expect(resolvedControlIds(catalog)).toEqual(['a-1', 'a-1.1', 'a-1.2', 'a-1.2.1', 'a-2', 'b-2', 'b-1', 'b-1.1']);
  });
});

describe('imports through a back-matter resource', () => {
  it('ranks rlinks JSON, then XML, then YAML', () => {
    const ranked = rankRlinks({ uuid: 'u', rlinks: [{ href: 'c.yaml' }, { href: 'c.other' }, { href: 'x', mediaType: 'application/oscal.catalog+xml' }, { href: 'c.json' }] });
    expect(ranked).toEqual(['c.json', 'x', 'c.yaml', 'c.other']);
  });

  it('prefers the JSON rlink when it exists', async () => {
    const r = await resolveProfileFile(fixture('yaml_profile.yaml'), { oscalSchemaPath: schema });
    expect(r.groups.map((g) => [g.id, g.controls!.map((c) => c.id)])).toEqual([['a', ['a-2']], ['b', ['b-2']]]);
  });

  it('falls back to the YAML rlink when neither JSON nor XML exists, and reads a YAML catalog', async () => {
    const dir = tempDir();
    temps.push(dir);
    fs.copyFileSync(fixture('yaml_profile.yaml'), path.join(dir, 'yaml_profile.yaml'));
    fs.writeFileSync(path.join(dir, 'abc_catalog.yaml'), stringify(JSON.parse(fs.readFileSync(fixture('abc_catalog.json'), 'utf8'))));
    const r = await resolveProfileFile(path.join(dir, 'yaml_profile.yaml'), { oscalSchemaPath: schema });
    expect(resolvedControlIds(r)).toEqual(['a-2', 'b-2']);
    expect(r.backMatter.map((b) => b.uuid)).toEqual(['22222222-2222-4222-8222-222222222222', '44444444-4444-4444-8444-444444444444']);
  });

  it('names every rlink tried when none exists', async () => {
    const dir = tempDir();
    temps.push(dir);
    fs.copyFileSync(fixture('yaml_profile.yaml'), path.join(dir, 'yaml_profile.yaml'));
    const file = path.join(dir, 'yaml_profile.yaml');
    await expect(resolveProfileFile(file, { oscalSchemaPath: schema })).rejects.toMatchObject({
      code: ErrorCode.CONTENT_MISSING,
      message: `${file}:10:7 (#/profile/imports/0): import href "#77777777-7777-4777-8777-777777777777": none of its rlinks exists locally (tried "abc_catalog.json", "elsewhere/abc_catalog.xml", "abc_catalog.yaml")`,
    });
  });
});
