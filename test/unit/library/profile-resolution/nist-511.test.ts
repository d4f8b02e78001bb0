/**
 * NIST's 5.1.1 baselines import the catalog through a back-matter resource (`#uuid` with XML, JSON and
 * YAML rlinks). The shared data has no 5.1.1 catalog, so these tests hand the resolver the 5.0.1 catalog
 * (same control ids, older prose and no 800-53A objectives). They prove the `#uuid` import, the rlink
 * choice and the selection against NIST's 5.1.1 control lists; they do not prove 5.1.1 content.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../../../../src/domain/content.js';
import type { BackMatterResource, ProfileDocument } from '../../../../src/domain/profile.js';
import { parseCatalogJson } from '../../../../src/formats/oscal/catalog-json.js';
import { parseProfileJson } from '../../../../src/formats/oscal/profile-json.js';
import { resolveProfile, resolveProfileFile, resolvedControlIds } from '../../../../src/library/profile-resolution/builder.js';
import { FileSourceLoader, type LoadedSource, parseOscalSource } from '../../../../src/library/profile-resolution/source-loader.js';
import { OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, shared, tempDir } from '../../../harness/content.js';

const schema = shared(...OSCAL_SCHEMA_112);
const rev511 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.1.1', name);
const CATALOG_RESOURCE = '84cbf061-eb87-4ec1-8112-1f529232e907';
const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function nist511(level: 'LOW' | 'MODERATE'): { profile: ProfileDocument; expected: CatalogDocument } {
  const profileFile = rev511(`NIST_SP-800-53_rev5_${level}-baseline_profile.json`);
  const resolvedFile = rev511(`NIST_SP-800-53_rev5_${level}-baseline-resolved-profile_catalog.json`);
  return {
    profile: parseProfileJson(readJson(profileFile), profileFile, { oscalSchemaPath: schema }),
    expected: parseCatalogJson(readJson(resolvedFile), resolvedFile, { oscalSchemaPath: schema }),
  };
}

const catalog501 = parseOscalSource(shared(...REV5_CATALOG_JSON), fs.readFileSync(shared(...REV5_CATALOG_JSON)), { oscalSchemaPath: schema });

describe.each([
  { level: 'LOW' as const, controls: 149 },
  { level: 'MODERATE' as const, controls: 287 },
])('5.1.1 $level baseline through the library lookup', ({ level, controls }) => {
  it(`asks the lookup for resource ${CATALOG_RESOURCE} and selects NIST's ${controls} 5.1.1 controls in order`, async () => {
    const { profile, expected } = nist511(level);
    const asked: { href: string; resource?: BackMatterResource }[] = [];
    const lookup = async (req: { href: string; resource?: BackMatterResource }): Promise<LoadedSource | undefined> => {
      asked.push(req);
      return req.resource?.uuid === CATALOG_RESOURCE ? catalog501 : undefined;
    };
    const noFiles = { load: () => Promise.reject(new Error('the lookup should answer')), exists: () => Promise.resolve(false) };
    const r = await resolveProfile(profile, noFiles, { lookup });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.href).toBe(`#${CATALOG_RESOURCE}`);
    expect(asked[0]!.resource!.rlinks!.map((l) => l.mediaType)).toEqual(['application/oscal.catalog+xml', 'application/oscal.catalog+json', 'application/oscal.catalog+yaml']);
    expect(resolvedControlIds(r)).toHaveLength(controls);
    expect(resolvedControlIds(r)).toEqual(resolvedControlIds(expected));
    expect(r.groups.map((g) => [g.id, g.title])).toEqual(expected.groups.map((g) => [g.id, g.title]));
    expect(r.title).toBe(expected.title);
    expect(r.version).toBe('5.1.1+u4');
    // The import's own resource is not referenced from the result: like NIST, it is not carried over.
    expect(r.backMatter.some((b) => b.uuid === CATALOG_RESOURCE)).toBe(false);
    expect(r.warnings).toEqual([]);
  });
});

describe('5.1.1 LOW baseline through its rlinks on disk', () => {
  /** Lays out the profile four levels down, as in usnistgov/oscal-content, with the catalog forms given. */
  function layout(forms: { json?: string; xml?: string }): string {
    const root = tempDir();
    temps.push(root);
    const profileDir = path.join(root, 'src', 'nist.gov', 'SP800-53', 'rev5');
    fs.mkdirSync(profileDir, { recursive: true });
    const profile = path.join(profileDir, 'NIST_SP-800-53_rev5_LOW-baseline_profile.json');
    fs.copyFileSync(rev511('NIST_SP-800-53_rev5_LOW-baseline_profile.json'), profile);
    for (const [kind, target] of Object.entries(forms)) {
      const dir = path.join(root, 'nist.gov', 'SP800-53', 'rev5', kind);
      fs.mkdirSync(dir, { recursive: true });
      fs.symlinkSync(target, path.join(dir, `NIST_SP-800-53_rev5_catalog.${kind}`));
    }
    return profile;
  }

  class RecordingLoader extends FileSourceLoader {
    readonly loaded: string[] = [];
    override load(href: string, baseFile: string): Promise<LoadedSource> {
      this.loaded.push(href);
      return super.load(href, baseFile);
    }
  }

  async function resolveWith(profileFile: string): Promise<{ loaded: string[]; ids: string[] }> {
    const loader = new RecordingLoader({ oscalSchemaPath: schema });
    const source = await loader.load(profileFile, profileFile);
    if (source.kind !== 'profile') throw new Error('not a profile');
    const r = await resolveProfile(source.profile, loader);
    return { loaded: loader.loaded.slice(1), ids: resolvedControlIds(r) };
  }

  it('takes the XML rlink when only the XML form exists', async () => {
    const { loaded, ids } = await resolveWith(layout({ xml: shared(...REV5_CATALOG_XML) }));
    expect(loaded).toEqual(['../../../../nist.gov/SP800-53/rev5/xml/NIST_SP-800-53_rev5_catalog.xml']);
    expect(ids).toEqual(resolvedControlIds(nist511('LOW').expected));
  });

  it('prefers the JSON rlink when both exist', async () => {
    const { loaded, ids } = await resolveWith(layout({ xml: shared(...REV5_CATALOG_XML), json: shared(...REV5_CATALOG_JSON) }));
    expect(loaded).toEqual(['../../../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json']);
    expect(ids).toHaveLength(149);
  });

  it('fails naming the profile, the import and the rlinks tried when no form exists', async () => {
    const profile = layout({});
    await expect(resolveProfileFile(profile, { oscalSchemaPath: schema })).rejects.toMatchObject({
      code: 'CONTENT_MISSING',
      problems: [expect.objectContaining({ file: profile, pointer: '/profile/imports/0' })],
      message: expect.stringContaining('none of its rlinks exists locally (tried "../../../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json", "../../../../nist.gov/SP800-53/rev5/xml/NIST_SP-800-53_rev5_catalog.xml", "../../../../nist.gov/SP800-53/rev5/yaml/NIST_SP-800-53_rev5_catalog.yaml")'),
    });
  });
});
