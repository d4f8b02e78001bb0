/**
 * The library keeps whole documents, and profiles resolve offline (items 3 and 4 of #13), over a real SQLite
 * database. NIST's LOW and MODERATE baselines resolved against the catalog stored from its XML form equal
 * NIST's published resolutions in every field; FedRAMP-style imports (a back-matter resource with only an
 * https:// rlink) are satisfied by the library (uuid, then title and version), then by a file of the same
 * name beside the profile or in the content mirror, and the resolved metadata names the source used.
 *
 * FedRAMP's own baseline files are not in the reference content (and nothing is downloaded here): the
 * FedRAMP-style profiles below copy the import of FedRAMP's rev5 LOW baseline (its back-matter resource
 * 051a77c1…, title, version prop and rlink URL) and of its rev4 LOW baseline (resource ad005eae…).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvedCatalogToJson } from '../../../src/formats/oscal/catalog-writer.js';
import { readOscalDocument } from '../../../src/formats/oscal/document.js';
import { LibraryProfileResolver } from '../../../src/library/baseline-service.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { LocalRelatedFiles } from '../../../src/library/profile-resolution/source-loader.js';
import { resolveProfileFile } from '../../../src/library/profile-resolution/builder.js';
import { BaselineRepository } from '../../../src/repositories/baseline-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { ContentStore, lookupMirror } from '../../../src/repositories/content-store.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, localContents, shared, tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { differences } from './profile-resolution/compare.js';

const schema = shared(...OSCAL_SCHEMA_112);
const rev501 = (name: string): string => shared('oscal', 'nist-800-53-rev5-5.0.1', name);
const NIST_CATALOG_UUID = '613fca2d-704a-42e7-8e2b-b206fb92b456';
const NIST_CATALOG_TITLE = readOscalDocument(shared(...REV5_CATALOG_JSON), fs.readFileSync(shared(...REV5_CATALOG_JSON))).json.catalog as { metadata: { title: string } };
const RESOLUTION_OWN = new Set(['/uuid', '/metadata/last-modified', '/metadata/props', '/metadata/links/0/href', '/metadata/links/0/rel']);

/** A profile importing NIST's catalog the way FedRAMP's baselines do: a back-matter resource with https rlinks only. */
function fedrampStyleProfile(resource: { uuid: string; title: string; version: string; href: string }, withIds: string[]): Record<string, unknown> {
  return {
    profile: {
      uuid: '512149a6-7f04-4c01-bb1b-78eafd6a950d',
      metadata: { title: 'FedRAMP Rev 5 Low Baseline', 'last-modified': '2024-01-11T23:40:17Z', version: '5.1.1+fedramp-20240111-0', 'oscal-version': '1.1.1' },
      imports: [{ href: `#${resource.uuid}`, 'include-controls': [{ 'with-ids': withIds }] }],
      merge: { 'as-is': true },
      modify: { 'set-parameters': [{ 'param-id': 'ac-1_prm_2', constraints: [{ description: 'at least every 3 years' }] }] },
      'back-matter': {
        resources: [{ uuid: resource.uuid, title: resource.title, props: [{ name: 'version', value: resource.version }], rlinks: [{ href: resource.href, 'media-type': 'application/oscal+json' }] }],
      },
    },
  };
}
const FEDRAMP_REV5 = { uuid: '051a77c1-b61d-4995-8275-dacfe688d510', title: 'NIST Special Publication (SP) 800-53', version: '5.1.1', href: 'https://raw.githubusercontent.com/usnistgov/oscal-content/v1.2.0/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json' };
const FEDRAMP_REV4 = { uuid: 'ad005eae-cc63-4e64-9109-3905a9a825e4', title: 'NIST Special Publication (SP) 800-53 Revision 4', version: '4.0', href: 'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json' };
const LOW_IDS = ['ac-1', 'ac-2', 'ac-3', 'ac-7', 'at-2.2', 'ia-2.1', 'sr-11.2'];
/** With merge as-is, at-2, ia-2 and sr-11 come along as shells of their selected enhancements: 7 + 3. */
const LOW_COUNT = 10;

describe('whole documents and offline resolution', () => {
  let dir: string;
  let db: Db;
  let content: ContentRepository;
  let repo: BaselineRepository;
  let mirrorDir: string;
  let importer: LibraryImportService;

  beforeEach(async () => {
    dir = tempDir();
    mirrorDir = path.join(dir, 'mirror');
    fs.mkdirSync(mirrorDir);
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    content = new ContentRepository(db);
    repo = new BaselineRepository(db);
    const store = new ContentStore({ cacheDir: path.join(dir, 'cache'), mirrors: [mirrorDir] });
    const mirror = { find: async (name: string) => lookupMirror(await store.indexMirrors(), name)[0] };
    const resolver = new LibraryProfileResolver({ listDocuments: (k) => content.listDocuments(k), loadCatalog: (id) => repo.loadCatalog(id) }, { oscalSchemaPath: schema, mirror });
    importer = new LibraryImportService(content, db, { oscalSchemaPath: schema, baselines: repo, profiles: resolver });
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** As the CLI imports: the user's files read as content, the files a profile names found beside it. */
  const importFiles = (paths: string[]) => importer.importDocuments(localContents(paths), LOCAL_CLI_PRINCIPAL, { related: new LocalRelatedFiles() });

  const profileFile = (name: string, json: Record<string, unknown>): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(json));
    return file;
  };

  it("stores the XML catalog whole: its document reads back as NIST's JSON in every field (metadata, params, back matter)", async () => {
    const [summary] = await importFiles([shared(...REV5_CATALOG_XML)]);
    const stored = await repo.oscalDocument(summary!.documentId);
    const published = JSON.parse(fs.readFileSync(shared(...REV5_CATALOG_JSON), 'utf8')) as unknown;
    expect(differences(stored, published)).toEqual([]);
    const catalog = await repo.loadCatalog(summary!.documentId);
    expect(catalog!.backMatter).toHaveLength(192);
    expect(catalog!.metadata).toHaveProperty('parties');
  });

  it.each(['LOW', 'MODERATE'])("resolves NIST's %s against the stored XML catalog to NIST's resolved catalog in every field, as against the file", async (level) => {
    await importFiles([shared(...REV5_CATALOG_XML)]);
    // The profile alone: its href (NIST_SP-800-53_rev5_catalog.xml) is not beside it, the library has it.
    const copy = path.join(dir, `NIST_SP-800-53_rev5_${level}-baseline_profile.json`);
    fs.copyFileSync(rev501(`NIST_SP-800-53_rev5_${level}-baseline_profile.json`), copy);
    const [summary] = await importFiles([copy]);
    const stored = JSON.parse((await repo.catalogJson(summary!.documentId))!) as { catalog: Record<string, unknown> };
    const published = JSON.parse(fs.readFileSync(rev501(`NIST_SP-800-53_rev5_${level}-baseline-resolved-profile_catalog.json`), 'utf8')) as { catalog: Record<string, unknown> };
    expect(differences(stored.catalog, published.catalog, { max: 50 }).map((d) => d.path).filter((p) => !RESOLUTION_OWN.has(p))).toEqual([]);
    const fromFile = resolvedCatalogToJson(await resolveProfileFile(rev501(`NIST_SP-800-53_rev5_${level}-baseline_profile.json`), { oscalSchemaPath: schema })).catalog;
    // The same resolution but its timestamp, uuid and the import source it names (library here, file there).
    expect(differences(stored.catalog, fromFile).map((d) => d.path).filter((p) => !RESOLUTION_OWN.has(p) && !p.startsWith('/metadata/props/'))).toEqual([]);
    const props = (stored.catalog.metadata as { props: { name: string; value: string }[] }).props;
    expect(props.find((p) => p.name === 'import-source')?.value).toMatch(/^library [0-9a-f-]{36} \(NIST Special Publication 800-53 Revision 5.* 5\.0\.1, same file name\)$/);
  });

  it('a FedRAMP-style import is satisfied by a stored catalog with the same uuid', async () => {
    await importFiles([shared(...REV5_CATALOG_XML)]);
    const file = profileFile('fedramp-uuid.json', fedrampStyleProfile({ ...FEDRAMP_REV5, uuid: NIST_CATALOG_UUID }, LOW_IDS));
    const [summary] = await importFiles([file]);
    const baseline = await repo.get(summary!.documentId);
    expect(baseline!.controlCount).toBe(LOW_COUNT);
    expect(await importSource(summary!.documentId)).toMatch(/^library .*, same uuid\)$/);
  });

  it('… else by a stored catalog with the same title and version', async () => {
    await importFiles([shared(...REV5_CATALOG_XML)]);
    const file = profileFile('fedramp-title.json', fedrampStyleProfile({ ...FEDRAMP_REV5, href: 'https://example.invalid/elsewhere/catalog.json', title: NIST_CATALOG_TITLE.metadata.title, version: '5.0.1' }, LOW_IDS));
    const [summary] = await importFiles([file]);
    expect(await importSource(summary!.documentId)).toMatch(/^library .*, same title and version\)$/);
  });

  it('… else by a file of the same name beside the profile', async () => {
    fs.copyFileSync(shared(...REV5_CATALOG_JSON), path.join(dir, 'NIST_SP-800-53_rev5_catalog.json'));
    const file = profileFile('fedramp-beside.json', fedrampStyleProfile(FEDRAMP_REV5, LOW_IDS));
    const [summary] = await importFiles([file]);
    expect(await importSource(summary!.documentId)).toBe(`file ${path.join(dir, 'NIST_SP-800-53_rev5_catalog.json')} (same name, beside the profile)`);
    const resolved = JSON.parse((await repo.catalogJson(summary!.documentId))!) as { catalog: { groups: unknown[] } };
    expect(resolved.catalog.groups.length).toBeGreaterThan(0);
  });

  it('… else by a file of the same name in the content mirror (any depth)', async () => {
    fs.mkdirSync(path.join(mirrorDir, 'nist', 'rev5'), { recursive: true });
    fs.copyFileSync(shared(...REV5_CATALOG_JSON), path.join(mirrorDir, 'nist', 'rev5', 'NIST_SP-800-53_rev5_catalog.json'));
    const file = profileFile('fedramp-mirror.json', fedrampStyleProfile(FEDRAMP_REV5, LOW_IDS));
    const [summary] = await importFiles([file]);
    expect(await importSource(summary!.documentId)).toMatch(/^file .*mirror\/nist\/rev5\/NIST_SP-800-53_rev5_catalog\.json \(same name, content mirror\)$/);
    expect((await repo.get(summary!.documentId))!.controlCount).toBe(LOW_COUNT);
  });

  it('the library comes before a file beside the profile', async () => {
    await importFiles([shared(...REV5_CATALOG_XML)]);
    fs.copyFileSync(shared(...REV5_CATALOG_JSON), path.join(dir, 'NIST_SP-800-53_rev5_catalog.json'));
    const file = profileFile('fedramp-both.json', fedrampStyleProfile({ ...FEDRAMP_REV5, uuid: NIST_CATALOG_UUID }, LOW_IDS));
    const [summary] = await importFiles([file]);
    expect(await importSource(summary!.documentId)).toMatch(/^library /);
  });

  it('a rev4 import nothing local satisfies fails offline, naming the import and the rlinks tried', async () => {
    const file = profileFile('fedramp-rev4.json', fedrampStyleProfile(FEDRAMP_REV4, ['ac-1']));
    const e = await rejection(importFiles([file]));
    expect(e.code).toBe('CONTENT_MISSING');
    expect(e.problems[0]).toMatchObject({ file, pointer: '/profile/imports/0' });
    expect(e.message).toContain(`none of its rlinks exists locally (tried "${FEDRAMP_REV4.href}")`);
  });

  async function importSource(documentId: string): Promise<string | undefined> {
    const json = JSON.parse((await repo.catalogJson(documentId))!) as { catalog: { metadata: { props: { name: string; value: string }[] } } };
    return json.catalog.metadata.props.find((p) => p.name === 'import-source')?.value;
  }
});
