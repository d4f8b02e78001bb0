/**
 * Oracle tests: NIST's own resolutions of the SP 800-53 rev5 LOW and MODERATE baselines (release 5.0.1)
 * are the expected output. Groups, controls (order and nesting), params, parts, props, links and the
 * back matter must be the same; uuids, timestamps and metadata aside.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../../../../src/domain/content.js';
import type { BackMatterResource, ResolvedCatalog } from '../../../../src/domain/profile.js';
import { parseCatalogJson } from '../../../../src/formats/oscal/catalog-json.js';
import { resolvedCatalogToJson } from '../../../../src/formats/oscal/catalog-writer.js';
import { parseBackMatterJson } from '../../../../src/formats/oscal/profile-json.js';
import { resolveProfileFile, resolvedControlIds } from '../../../../src/library/profile-resolution/builder.js';
import { type LoadedSource, parseOscalSource } from '../../../../src/library/profile-resolution/source-loader.js';
import { OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared } from '../../../harness/content.js';
import { differences, firstDifferences } from './compare.js';

const schema = shared(...OSCAL_SCHEMA_112);
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);

function expected(level: 'LOW' | 'MODERATE'): { catalog: CatalogDocument; backMatter: BackMatterResource[] } {
  const file = rev501(`NIST_SP-800-53_rev5_${level}-baseline-resolved-profile_catalog.json`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { catalog: Record<string, unknown> };
  return { catalog: parseCatalogJson(json, file, { oscalSchemaPath: schema }), backMatter: parseBackMatterJson(json.catalog, '/catalog') };
}

const withoutLocations = (resources: readonly BackMatterResource[]): BackMatterResource[] => resources.map(({ at: _at, ...r }) => r);

/** A library lookup that hands out the JSON form of the 5.0.1 catalog whatever form the profile names. */
function jsonCatalogLookup(): (req: { href: string }) => Promise<LoadedSource | undefined> {
  let catalog: LoadedSource | undefined;
  return async (req) => {
    if (!/NIST_SP-800-53_rev5_catalog\.(xml|json)$/.test(req.href)) return undefined;
    const file = shared(...REV5_CATALOG_JSON);
    catalog ??= parseOscalSource(file, fs.readFileSync(file), { oscalSchemaPath: schema });
    return catalog;
  };
}

const cases = [
  { level: 'LOW', profile: 'NIST_SP-800-53_rev5_LOW-baseline_profile.json', controls: 149, resources: 135 },
  { level: 'MODERATE', profile: 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json', controls: 287, resources: 147 },
  { level: 'MODERATE', profile: 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.xml', controls: 287, resources: 147 },
] as const;

describe.each(cases)('$profile resolved against the 5.0.1 catalog', ({ level, profile, controls, resources }) => {
  let viaXml: ResolvedCatalog;
  let viaJson: ResolvedCatalog;
  const oracle = expected(level);

  beforeAll(async () => {
    const now = (): Date => new Date('2024-01-02T03:04:05Z');
    viaXml = await resolveProfileFile(rev501(profile), { oscalSchemaPath: schema, now });
    viaJson = await resolveProfileFile(rev501(profile), { oscalSchemaPath: schema, now, lookup: jsonCatalogLookup() });
  });

  it(`has NIST's ${controls} controls and enhancements, in NIST's order and nesting, in the same family groups`, () => {
    for (const r of [viaXml, viaJson]) {
      expect(resolvedControlIds(r)).toHaveLength(controls);
      expect(resolvedControlIds(r)).toEqual(resolvedControlIds(oracle.catalog));
      expect(r.groups.map((g) => [g.id, g.class, g.title])).toEqual(oracle.catalog.groups.map((g) => [g.id, g.class, g.title]));
      expect(r.controls).toEqual([]);
      expect(r.params).toBeUndefined();
      expect(r.warnings).toEqual([]);
    }
  });

  it('matches NIST exactly (params, parts, prose, props, links) when the catalog is read from its JSON form', () => {
    expect(firstDifferences(viaJson.groups, oracle.catalog.groups)).toEqual([]);
  });

  it('matches NIST exactly, whitespace included, from the XML catalog the profile names', () => {
    expect(firstDifferences(viaXml.groups, oracle.catalog.groups)).toEqual([]);
  });

  it("writes NIST's resolved catalog document in every field but the resolution's own (uuid, timestamp, tool, source link)", () => {
    const published = JSON.parse(fs.readFileSync(rev501(`NIST_SP-800-53_rev5_${level}-baseline-resolved-profile_catalog.json`), 'utf8')) as { catalog: Record<string, unknown> };
    for (const r of [viaXml, viaJson]) {
      const ours = resolvedCatalogToJson(r).catalog;
      const paths = differences(ours, published.catalog, { max: 20 }).map((d) => d.path);
      // Only the resolution's own record differs: a new uuid and timestamp, Plimsoll's resolution props, and the
      // source link (NIST names it rel="resolution-source", Plimsoll rel="source-profile", with the profile's file name).
      const own = new Set(['/uuid', '/metadata/last-modified', '/metadata/props', '/metadata/links/0/href', '/metadata/links/0/rel']);
      expect(paths.filter((p) => !own.has(p))).toEqual([]);
      expect(paths).toContain('/uuid');
    }
  });

  it(`keeps the ${resources} back-matter resources the result references, as NIST does`, () => {
    expect(viaJson.backMatter).toHaveLength(resources);
    expect(firstDifferences(withoutLocations(viaJson.backMatter), withoutLocations(oracle.backMatter))).toEqual([]);
    expect(firstDifferences(withoutLocations(viaXml.backMatter), withoutLocations(oracle.backMatter))).toEqual([]);
  });

  it('takes title and version from the profile and records the resolution', () => {
    expect(viaXml.title).toBe(oracle.catalog.title);
    expect(viaXml.version).toBe(oracle.catalog.version);
    expect(viaXml.oscalVersion).toBe('1.0.0');
    expect(viaXml.lastModified).toBe('2024-01-02T03:04:05.000Z');
    expect(viaXml.metadataProps).toContainEqual({ name: 'resolution-timestamp', value: '2024-01-02T03:04:05.000Z' });
    expect(viaXml.metadataLinks).toContainEqual({ href: path.basename(profile), rel: 'source-profile' });
    expect(viaXml.uuid).not.toBe(oracle.catalog.uuid);
    expect(viaXml.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
