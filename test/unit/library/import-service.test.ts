import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { BenchmarkDocument } from '../../../src/domain/content.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentRepository, type DocumentMeta, type Executor } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, repoRoot, shared, tempDir, localContents } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'content', name);
const actor = LOCAL_CLI_PRINCIPAL;

describe('LibraryImportService', () => {
  let dir: string;
  let db: Db;
  let repo: ContentRepository;
  let importer: LibraryImportService;
  const documentCount = async (): Promise<number> => (await db.selectFrom('document').select('id').execute()).length;

  beforeEach(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    repo = new ContentRepository(db);
    importer = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112), now: () => new Date('2025-01-02T03:04:05Z') });
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the Docker STIG, the CCI list and the rev5 JSON catalog in one call, then finds them already present', async () => {
    const files = [shared(...DOCKER_STIG_V2R2), shared(...CCI_LIST), shared(...REV5_CATALOG_JSON)];
    const first = await importer.importDocuments(localContents(files), actor);
    expect(first.map((s) => [s.kind, s.alreadyPresent])).toEqual([['benchmark', false], ['cci-list', false], ['catalog', false]]);
    expect(first[0]).toMatchObject({ id: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', version: '2', release: '2', file: files[0], counts: { rules: 101, groups: 101, profiles: 9 } });
    expect(first[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first[1]).toMatchObject({ id: 'cci-list', version: '2023-06-07', counts: { items: 5098 } });
    expect(first[2]).toMatchObject({ id: '613fca2d-704a-42e7-8e2b-b206fb92b456', version: '5.0.1', counts: { groups: 20, controls: 322, enhancements: 867, params: 1258 } });
    expect(await documentCount()).toBe(3);
    expect(await db.selectFrom('benchmark_rule').select('rule_id').execute()).toHaveLength(101);
    expect(await db.selectFrom('cci_item').select('cci_id').execute()).toHaveLength(5098);
    expect(await db.selectFrom('catalog_control').select('control_id').execute()).toHaveLength(1189);

    const stored = await repo.getDocument(first[0]!.documentId);
    expect(stored).toMatchObject({ kind: 'benchmark', releaseDate: '2024-07-24', importedBy: 'local-operator', importedAt: '2025-01-02T03:04:05.000Z', sourceFile: files[0] });

    const again = await importer.importDocuments(localContents(files), actor);
    expect(again.map((s) => s.alreadyPresent)).toEqual([true, true, true]);
    expect(again.map((s) => s.documentId)).toEqual(first.map((s) => s.documentId));
    expect(again.map((s) => s.counts)).toEqual(first.map((s) => s.counts));
    expect(await documentCount()).toBe(3);
  });

  it('stores a file listed twice in one call once', async () => {
    const file = shared(...DOCKER_STIG_V2R2);
    const [a, b] = await importer.importDocuments(localContents([file, file]), actor);
    expect([a!.alreadyPresent, b!.alreadyPresent]).toEqual([false, true]);
    expect(b!.documentId).toBe(a!.documentId);
    expect(await documentCount()).toBe(1);
  });

  it('answers a file whose content is already stored from the stored record, without parsing it', async () => {
    // A stored record under the hash of bytes that cannot be parsed: answered as present only if nothing parses them.
    const bytes = fs.readFileSync(fixture('malformed.xml'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const meta: DocumentMeta = { documentId: 'stored-cci', sourceFile: 'cci.xml', sha256, counts: { items: 0 }, importedAt: '2025-01-01T00:00:00.000Z', importedBy: 'someone' };
    await db.transaction().execute((trx) => repo.storeCciList(trx, meta, { kind: 'cci-list', version: '2023-06-07', items: [] }));
    const [s] = await importer.importDocuments([{ name: 'again.xml', bytes }], actor);
    expect(s).toMatchObject({ alreadyPresent: true, documentId: 'stored-cci', kind: 'cci-list', file: 'again.xml', sha256 });
    // The kinds a caller asks for are checked against the stored kind.
    const e = await rejection(importer.importDocuments([{ name: 'again.xml', bytes }], actor, { kinds: ['benchmark'] }));
    expect(e.code).toBe('CONTENT_UNKNOWN_KIND');
    // Other bytes are parsed, and the same file is refused with its place.
    expect((await rejection(importer.importDocuments([{ name: 'other.xml', bytes: Buffer.concat([bytes, Buffer.from('\n')]) }], actor))).code).toBe('CONTENT_INVALID');
    expect(await documentCount()).toBe(1);
  });

  it('imports the XML form of the catalog with the same counts', async () => {
    const [s] = await importer.importDocuments(localContents([shared(...REV5_CATALOG_XML)]), actor);
    expect(s).toMatchObject({ kind: 'catalog', alreadyPresent: false, counts: { groups: 20, controls: 322, enhancements: 867, params: 1258 } });
  });

  describe('refuses bad input, names the file and the place, and stores nothing', () => {
    const cases: [string, string, Record<string, unknown>, RegExp][] = [
      ['malformed.xml', 'CONTENT_INVALID', { line: 6, column: 10 }, /Unexpected close tag/],
      ['xxe.xml', 'CONTENT_INVALID', { line: 2, column: 1 }, /DOCTYPE declarations are not allowed/],
      ['billion-laughs.xml', 'CONTENT_INVALID', { line: 2, column: 1 }, /DOCTYPE declarations are not allowed/],
      ['unknown-kind.xml', 'CONTENT_UNKNOWN_KIND', {}, /an XML document in another vocabulary/],
      // Profiles are resolved on import (test/unit/library/baseline-service.test.ts); this one imports a catalog that is nowhere.
      ['profile.json', 'CONTENT_MISSING', { pointer: '/profile/imports/0' }, /"catalog\.json" cannot be loaded/],
      ['schema-invalid-catalog.json', 'SCHEMA_INVALID', { pointer: '/catalog/metadata' }, /"version"/],
      ['malformed.json', 'CONTENT_INVALID', { line: 4, column: 46 }, /malformed JSON/],
    ];
    it.each(cases)('%s → %s', async (name, code, where, message) => {
      const bad = fixture(name);
      // A good file first: it must not be stored either.
      const e = await rejection(importer.importDocuments(localContents([shared(...DOCKER_STIG_V2R2), bad]), actor));
      expect(e.code).toBe(code);
      expect(e.message).toContain(bad);
      expect(e.problems[0]).toMatchObject({ file: bad, ...where });
      expect(e.problems[0]!.message).toMatch(message);
      expect(await documentCount()).toBe(0);
    });

    it('an upload id where no upload store is wired', async () => {
      const e = await rejection(importer.importDocuments([...localContents([shared(...CCI_LIST)]), { uploadId: '/etc/shadow' }], actor));
      expect(e.code).toBe('BAD_INPUT');
      expect(await documentCount()).toBe(0);
    });

    it('a file over the size limit', async () => {
      const small = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112), maxBytes: 100_000 });
      const e = await rejection(small.importDocuments(localContents([shared(...DOCKER_STIG_V2R2)]), actor));
      expect(e.code).toBe('CONTENT_INVALID');
      expect(e.message).toMatch(/larger than the import limit of 100000 bytes/);
      expect(await documentCount()).toBe(0);
    });

    it('an empty list of files', async () => {
      expect((await rejection(importer.importDocuments(localContents([]), actor))).code).toBe('BAD_INPUT');
    });
  });

  describe('a benchmark release (id, version, release) has one content', () => {
    const v2r2 = (): { name: string; bytes: Buffer } => localContents([shared(...DOCKER_STIG_V2R2)])[0]!;
    const altered = (): { name: string; bytes: Buffer } => {
      const text = v2r2().bytes.toString('utf8');
      const changed = text.replace(/<title>([^<]*)<\/title>/, '<title>$1 (edited)</title>');
      expect(changed).not.toBe(text);
      return { name: 'edited-V2R2-xccdf.xml', bytes: Buffer.from(changed, 'utf8') };
    };

    it('refuses a second document claiming a stored release with other content as CONFLICT, naming both', async () => {
      const [first] = await importer.importDocuments([v2r2()], actor);
      const e = await rejection(importer.importDocuments([altered()], actor));
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toContain('edited-V2R2-xccdf.xml');
      expect(e.message).toContain('Docker_Enterprise_2-x_Linux-UNIX_STIG version 2 release 2');
      expect(e.message).toContain(first!.documentId);
      expect(await documentCount()).toBe(1);
      expect((await importer.importDocuments([v2r2()], actor))[0]).toMatchObject({ alreadyPresent: true, documentId: first!.documentId });
    });

    it('refuses two such documents in one batch and stores neither', async () => {
      const e = await rejection(importer.importDocuments([...localContents([shared(...CCI_LIST)]), v2r2(), altered()], actor));
      expect(e.code).toBe('CONFLICT');
      expect(await documentCount()).toBe(0);
    });

    it('accepts another release of the same benchmark', async () => {
      const [a, b] = await importer.importDocuments(localContents([shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2)]), actor);
      expect([a!.release, b!.release]).toEqual(['1', '2']);
    });
  });

  it('rolls back documents stored earlier in the call when storing a later one fails', async () => {
    class FailingRepository extends ContentRepository {
      override async storeBenchmark(trx: Executor, meta: DocumentMeta, doc: BenchmarkDocument): Promise<void> {
        await super.storeBenchmark(trx, meta, doc);
        throw new Error('disk full');
      }
    }
    const failing = new LibraryImportService(new FailingRepository(db), db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
    await expect(failing.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]), actor)).rejects.toThrow('disk full');
    expect(await documentCount()).toBe(0);
    expect(await db.selectFrom('cci_item').select('cci_id').execute()).toHaveLength(0);
  });
});
