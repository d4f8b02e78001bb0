/**
 * Baselines over a real SQLite database: importing OSCAL profiles resolves and stores them, imports come
 * from files beside the profile, the same batch or the library; the stored and written catalogs match
 * NIST's published resolutions control for control.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { CatalogDocument } from '../../../src/domain/content.js';
import { parseCatalogJson } from '../../../src/formats/oscal/catalog-json.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { DefaultBaselineService, LibraryProfileResolver } from '../../../src/library/baseline-service.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { resolvedControlIds } from '../../../src/library/profile-resolution/builder.js';
import { BaselineRepository } from '../../../src/repositories/baseline-repository.js';
import { LocalRelatedFiles } from '../../../src/library/profile-resolution/source-loader.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, repoRoot, shared, tempDir, localContent, localContents } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const schema = shared(...OSCAL_SCHEMA_112);
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const rev511 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.1.1', name);
const actor = LOCAL_CLI_PRINCIPAL;

/** Control ids of one of NIST's resolved catalogs, in document order. */
function nistResolvedIds(file: string): string[] {
  return resolvedControlIds(parseCatalogJson(JSON.parse(fs.readFileSync(file, 'utf8')), file, { oscalSchemaPath: schema }));
}
const LOW_IDS = nistResolvedIds(rev501('NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json'));
const MODERATE_IDS = nistResolvedIds(rev501('NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json'));

describe('baselines', () => {
  let dir: string;
  let db: Db;
  let content: ContentRepository;
  let repo: BaselineRepository;
  let importer: LibraryImportService;
  let service: DefaultBaselineService;
  const count = async (table: 'document' | 'baseline' | 'catalog_control'): Promise<number> => (await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  beforeEach(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    content = new ContentRepository(db);
    repo = new BaselineRepository(db);
    const resolver = new LibraryProfileResolver({ listDocuments: (k) => content.listDocuments(k), loadCatalog: (id) => repo.loadCatalog(id) }, { oscalSchemaPath: schema });
    importer = new LibraryImportService(content, db, { oscalSchemaPath: schema, baselines: repo, profiles: resolver });
    service = new DefaultBaselineService({ repo, imports: importer, resolver: async () => resolver, uploads: { resolve: async (inputs) => inputs as { name: string; bytes: Buffer }[] } });
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the 5.0.1 LOW and MODERATE profiles (catalog beside them, as the CLI offers) as baselines with NIST’s controls, in order', async () => {
    const [low, moderate] = await importer.importDocuments(localContents([rev501('NIST_SP-800-53_rev5_LOW-baseline_profile.json'), rev501('NIST_SP-800-53_rev5_MODERATE-baseline_profile.xml')]), actor, { related: new LocalRelatedFiles() });
    expect(low).toMatchObject({ kind: 'profile', id: '8742196d-86ba-4e72-a411-28867dab43bb', alreadyPresent: false });
    expect(low!.counts.controls! + low!.counts.enhancements!).toBe(149);
    expect(moderate!.counts.controls! + moderate!.counts.enhancements!).toBe(287);

    const stored = await service.list();
    expect(stored.map((b) => [b.title, b.controlCount])).toEqual([[low!.title, 149], [moderate!.title, 287]]);
    expect(stored[0]!.sources).toEqual([rev501('NIST_SP-800-53_rev5_catalog.xml')]);
    expect((await repo.controlsOf(low!.documentId)).map((c) => c.id)).toEqual(LOW_IDS);
    expect((await repo.controlsOf(moderate!.documentId)).map((c) => c.id)).toEqual(MODERATE_IDS);
    // A profile is not a catalog: the catalogs list (and CCI mapping over it) is unchanged.
    expect(await content.listDocuments('catalog')).toEqual([]);
    expect((await content.getDocument(low!.documentId))?.kind).toBe('profile');

    // The stored OSCAL JSON is schema-valid and holds the same controls.
    const json = JSON.parse((await repo.catalogJson(moderate!.documentId))!) as unknown;
    expect(createOscalValidator(schema).validate(json, 'stored')).toEqual([]);
    expect(resolvedControlIds(parseCatalogJson(json, 'stored', { oscalSchemaPath: schema }))).toEqual(MODERATE_IDS);

    // Which baselines select a control.
    const titles = async (id: string): Promise<string[]> => (await service.selecting(id)).map((b) => b.title);
    expect(await titles('ac-2')).toEqual([low!.title, moderate!.title]);
    expect(await titles('ac-2.1')).toEqual([moderate!.title]);
    expect(await titles('ac-2.7')).toEqual([]);
    expect(MODERATE_IDS.includes('ac-2.1') && !LOW_IDS.includes('ac-2.1')).toBe(true);

    // By document id or profile uuid; importing the same file again stores nothing new.
    expect((await service.get(low!.id))?.documentId).toBe(low!.documentId);
    const again = await importer.importDocuments(localContents([rev501('NIST_SP-800-53_rev5_LOW-baseline_profile.json')]), actor);
    expect(again[0]).toMatchObject({ alreadyPresent: true, documentId: low!.documentId });
    expect(await count('baseline')).toBe(2);
  });

  it('resolves a 5.1.1 profile whose rlinks are not local against the stored catalog, found by file name', async () => {
    const [catalog] = await importer.importDocuments(localContents([shared(...REV5_CATALOG_JSON)]), actor);
    const baseline = await service.resolveAndStore(localContent(rev511('NIST_SP-800-53_rev5_LOW-baseline_profile.json')), actor);
    expect(baseline.sources).toEqual([`library:${catalog!.documentId}`]);
    expect(baseline.controlCount).toBe(149);
    const expected = nistResolvedIds(rev511('NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json'));
    expect((await repo.controlsOf(baseline.documentId)).map((c) => c.id)).toEqual(expected);
  });

  it('resolves against a catalog of the same import batch, and stores nothing when the import is nowhere', async () => {
    const profile = rev511('NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
    const e = await rejection(importer.importDocuments(localContents([profile]), actor));
    expect(e.code).toBe('CONTENT_MISSING');
    expect(e.message).toContain(profile);
    expect(e.problems[0]).toMatchObject({ file: profile, pointer: '/profile/imports/0' });
    expect(await count('document')).toBe(0);

    const [catalog, moderate] = await importer.importDocuments(localContents([shared(...REV5_CATALOG_JSON), profile]), actor);
    expect(moderate!.kind).toBe('profile');
    const stored = await service.get(moderate!.documentId);
    expect(stored?.sources).toEqual([catalog!.file]);
    expect(stored?.controlCount).toBe(nistResolvedIds(rev511('NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json')).length);
  });

  it('rebuilds a stored catalog exactly as parsed (for profiles importing from the library)', async () => {
    const [catalog] = await importer.importDocuments(localContents([shared(...REV5_CATALOG_JSON)]), actor);
    const file = shared(...REV5_CATALOG_JSON);
    const parsed: CatalogDocument = parseCatalogJson(JSON.parse(fs.readFileSync(file, 'utf8')), file, { oscalSchemaPath: schema });
    const rebuilt = await repo.loadCatalog(catalog!.documentId);
    expect(rebuilt?.groups).toEqual(parsed.groups);
    expect(rebuilt?.controls).toEqual(parsed.controls);
    expect(rebuilt).toMatchObject({ uuid: parsed.uuid, title: parsed.title, version: parsed.version, oscalVersion: parsed.oscalVersion });
    expect(await repo.loadCatalog('no-such-document')).toBeUndefined();
  });

  it('resolves a profile to schema-valid OSCAL JSON text without storing anything, its catalog given as an import', async () => {
    const out = 'low-resolved.json';
    const result = await service.resolveToText(localContent(rev501('NIST_SP-800-53_rev5_LOW-baseline_profile.json')), actor, { imports: [{ name: 'NIST_SP-800-53_rev5_catalog.xml', bytes: fs.readFileSync(shared(...REV5_CATALOG_XML)) }] });
    expect(result).toMatchObject({ controlCount: 149, warnings: [] });
    const written = JSON.parse(result.catalogJson) as { catalog: { uuid: string; metadata: { props: { name: string }[] } } };
    expect(createOscalValidator(schema).validate(written, out)).toEqual([]);
    expect(written.catalog.uuid).toBe(result.catalogUuid);
    expect(written.catalog.metadata.props.map((p) => p.name)).toContain('resolution-timestamp');
    expect(resolvedControlIds(parseCatalogJson(written, out, { oscalSchemaPath: schema }))).toEqual(LOW_IDS);
    expect(await count('document')).toBe(0);
  });

  it('never reads a server file an uploaded profile names: imports come only from the documents given and the library', async () => {
    const secret = path.join(dir, 'secret_catalog.json');
    fs.copyFileSync(shared(...REV5_CATALOG_JSON), secret);
    const profile = (href: string): { name: string; bytes: Buffer } => ({
      name: 'uploaded_profile.json',
      bytes: Buffer.from(JSON.stringify({
        profile: {
          uuid: '0b0e8c9a-2222-4c1a-8a51-2c3f1b0e6a10',
          metadata: { title: 'Reaches out', 'last-modified': '2024-01-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' },
          imports: [{ href, 'include-all': {} }],
        },
      })),
    });
    for (const href of [secret, `file://${secret}`, path.relative(process.cwd(), secret)]) {
      const e = await rejection(service.resolveToText(profile(href), actor));
      expect(e.code, href).toBe('CONTENT_MISSING');
      expect(await count('document')).toBe(0);
    }
    // The same href is matched by file name against a document given with the profile.
    const given = await service.resolveToText(profile(`file://${secret}`), actor, { imports: [{ name: 'secret_catalog.json', bytes: fs.readFileSync(shared(...REV5_CATALOG_JSON)) }] });
    expect(given.controlCount).toBe(1189);
  });

  it('refuses a catalog as a profile and duplicate controls, naming the file', async () => {
    const catalogFile = shared(...REV5_CATALOG_JSON);
    const notProfile = await rejection(service.resolveAndStore(localContent(catalogFile), actor));
    expect(notProfile).toMatchObject({ code: 'CONTENT_UNKNOWN_KIND' });
    expect(notProfile.message).toContain(catalogFile);
    expect(await count('document')).toBe(0);
    expect((await rejection(service.resolveToText(localContent(catalogFile), actor))).code).toBe('CONTENT_UNKNOWN_KIND');

    // Two imports of the same catalog with combine "keep" give ac-1 twice: not a valid baseline.
    const fixtures = path.join(repoRoot, 'test', 'fixtures', 'oscal-profiles');
    fs.writeFileSync(path.join(dir, 'keep-twice_profile.json'), JSON.stringify({
      profile: {
        uuid: '0b0e8c9a-1111-4c1a-8a51-2c3f1b0e6a10',
        metadata: { title: 'Twice', 'last-modified': '2024-01-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' },
        imports: [
          { href: path.join(fixtures, 'abc_catalog.json'), 'include-controls': [{ 'with-ids': ['a-1'] }] },
          { href: path.join(fixtures, 'abc_catalog.json'), 'include-controls': [{ 'with-ids': ['a-1'] }] },
        ],
        merge: { combine: { method: 'keep' }, flat: {} },
      },
    }));
    const dup = await rejection(importer.importDocuments(localContents([path.join(dir, 'keep-twice_profile.json')]), actor, { related: new LocalRelatedFiles() }));
    expect(dup.code).toBe('CONTENT_INVALID');
    expect(dup.message).toMatch(/same control more than once \(a-1\)/);
    expect(await count('document')).toBe(0);
  });
});
