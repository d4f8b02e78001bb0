/**
 * Built-in benchmarks on any database: named by short name or XCCDF id, imported from catalogs/ the first time a
 * run names them (once, in the import's transaction, also when two runs ask at once), refused when the file no
 * longer matches its pin. Real SQLite, the real importer, the real catalogs/ directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchmarkIdMatches, benchmarkShortName } from '../../../src/domain/benchmark-names.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { BuiltinBenchmarks } from '../../../src/library/builtin-benchmarks.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { BuiltinBenchmarkFiles, parseBuiltinBenchmarks } from '../../../src/repositories/builtin-benchmark-files.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { OSCAL_SCHEMA_112, repoRoot, shared, tempDir } from '../../harness/content.js';
import { rejection, thrown } from '../../harness/errors.js';

const ID = 'xccdf_io.plimsoll_benchmark_plimsoll_container_platform';
const actor = LOCAL_CLI_PRINCIPAL;

describe('benchmark names', () => {
  it('takes the short name of XCCDF 1.2 ids only', () => {
    expect(benchmarkShortName(ID)).toBe('plimsoll_container_platform');
    expect(benchmarkShortName('xccdf_org.ssgproject.content_benchmark_RHEL-8')).toBe('RHEL-8');
    expect(benchmarkShortName('Docker_Enterprise_2-x_Linux-UNIX_STIG')).toBeUndefined();
    expect(benchmarkIdMatches(ID, 'plimsoll_container_platform')).toBe(true);
    expect(benchmarkIdMatches(ID, ID)).toBe(true);
    expect(benchmarkIdMatches(ID, 'container_platform')).toBe(false);
  });
});

describe('BuiltinBenchmarks', () => {
  let dir: string;
  let db: Db;
  let repo: ContentRepository;
  let library: ContentLibraryService;
  let importer: LibraryImportService;
  const documents = async (): Promise<number> => (await db.selectFrom('document').select('id').execute()).length;
  const builtins = (catalogs = path.join(repoRoot, 'catalogs')): BuiltinBenchmarks => new BuiltinBenchmarks({ files: new BuiltinBenchmarkFiles(catalogs), imports: importer, library });

  beforeEach(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    repo = new ContentRepository(db);
    library = new ContentLibraryService(repo);
    importer = new LibraryImportService(repo, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the built-in benchmark on first use by its short name, then finds it stored', async () => {
    expect(await library.findBenchmark('plimsoll_container_platform')).toBeUndefined();
    const first = await builtins().resolve('plimsoll_container_platform', actor);
    expect(first).toMatchObject({ id: ID, version: '1', release: '1', sourceFile: 'catalogs/plimsoll-container-platform-xccdf.xml', importedBy: 'local-operator' });
    expect(await documents()).toBe(1);
    // Stored now: every way of naming it finds the same document, and nothing is imported again.
    for (const ref of ['plimsoll_container_platform', ID, first!.documentId]) expect((await builtins().resolve(ref, actor))?.documentId).toBe(first!.documentId);
    expect((await library.findBenchmark('plimsoll_container_platform'))?.documentId).toBe(first!.documentId);
    expect(await documents()).toBe(1);
    expect((await library.listRules(first!.documentId)).total).toBe(7);
  });

  it('stores it once when two runs name it at the same moment', async () => {
    const [a, b] = await Promise.all([builtins().resolve('plimsoll_container_platform', actor), builtins().resolve(ID, actor)]);
    expect(a?.documentId).toBe(b?.documentId);
    expect(await documents()).toBe(1);
  });

  it('answers undefined for a reference that names no stored and no built-in benchmark', async () => {
    expect(await builtins().resolve('Docker_Enterprise_2-x_Linux-UNIX_STIG', actor)).toBeUndefined();
    expect(await documents()).toBe(0);
  });

  it('importAll imports every built-in benchmark, and reports it present the second time', async () => {
    expect((await builtins().importAll(actor)).map((s) => [s.id, s.alreadyPresent])).toEqual([[ID, false]]);
    expect((await builtins().importAll(actor)).map((s) => [s.id, s.alreadyPresent])).toEqual([[ID, true]]);
  });

  it('refuses a file that no longer matches its pin, naming the file and both hashes, and stores nothing', async () => {
    const catalogs = path.join(dir, 'catalogs');
    fs.mkdirSync(catalogs);
    fs.copyFileSync(path.join(repoRoot, 'catalogs', 'builtin-benchmarks.json'), path.join(catalogs, 'builtin-benchmarks.json'));
    const original = fs.readFileSync(path.join(repoRoot, 'catalogs', 'plimsoll-container-platform-xccdf.xml'), 'utf8');
    fs.writeFileSync(path.join(catalogs, 'plimsoll-container-platform-xccdf.xml'), original.replace('severity="high"', 'severity="low"'));
    const e = await rejection(builtins(catalogs).resolve('plimsoll_container_platform', actor));
    expect(e.code).toBe(ErrorCode.CONTENT_HASH_MISMATCH);
    expect(e.message).toContain(path.join(catalogs, 'plimsoll-container-platform-xccdf.xml'));
    expect(e.message).toMatch(/sha256 [0-9a-f]{64}, but builtin-benchmarks.json pins [0-9a-f]{64}/);
    expect(await documents()).toBe(0);
  });

  it('validates the list, naming each bad field by JSON pointer', () => {
    const e = thrown(() => parseBuiltinBenchmarks({ benchmarks: [{ name: 'x', benchmarkId: 'y', title: 't', file: '../x.xml', sha256: 'nope' }, { name: '' }] }, 'list.json'));
    expect(e.code).toBe(ErrorCode.CONTENT_INVALID);
    expect(e.problems.map((p) => p.pointer)).toEqual(['/benchmarks/0/file', '/benchmarks/0/sha256', '/benchmarks/1/name', '/benchmarks/1/benchmarkId', '/benchmarks/1/title', '/benchmarks/1/file', '/benchmarks/1/sha256']);
  });
});
