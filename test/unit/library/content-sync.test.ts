import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { PinnedContentSyncService } from '../../../src/library/content-sync-service.js';
import {
  ContentStore,
  extractZipMember,
  loadContentSources,
  parseContentSources,
  sha256Hex,
  type ContentSource,
} from '../../../src/repositories/content-store.js';
import { repoRoot, sharedDataDir, tempDir } from '../../harness/content.js';

/** A minimal zip writer (one entry per file, deflated or stored) to build archives like DISA's. */
function makeZip(entries: { name: string; data: Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.store ? e.data : deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CATALOG = Buffer.from('{"catalog":{"uuid":"x"}}\n');
const CCI = Buffer.from('<cci_list>one</cci_list>\n');

function source(overrides: Partial<ContentSource> & Pick<ContentSource, 'name' | 'file'>, data: Buffer): ContentSource {
  return { title: overrides.name, kind: 'catalog', url: `https://example.invalid/${overrides.file}`, sha256: sha256Hex(data), import: true, ...overrides };
}

const catalogSource = source({ name: 'test-catalog', file: 'catalog.json' }, CATALOG);
const cciSource = source(
  { name: 'test-cci', file: 'U_CCI_List.xml', kind: 'cci-list', url: 'https://example.invalid/U_CCI_List.zip', archive: 'U_CCI_List.zip', member: 'U_CCI_List.xml' },
  CCI,
);

let root: string;
let cacheDir: string;
let mirror: string;
beforeEach(() => {
  root = tempDir('plimsoll-sync-');
  cacheDir = path.join(root, 'cache');
  mirror = path.join(root, 'mirror');
  fs.mkdirSync(path.join(mirror, 'deep', 'er'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function service(sources: ContentSource[], offline = true, mirrors = [mirror]): PinnedContentSyncService {
  return new PinnedContentSyncService(new ContentStore({ cacheDir, mirrors, downloadTimeoutMs: 5_000 }), sources, { offline });
}

async function caught(p: Promise<unknown>): Promise<PlimsollError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlimsollError);
    return e as PlimsollError;
  }
  throw new Error('expected a rejection');
}

describe('content sync from mirrors', () => {
  it('finds a file deep in a mirror, copies it into the cache, then serves it from the cache', async () => {
    fs.writeFileSync(path.join(mirror, 'deep', 'er', 'catalog.json'), CATALOG);
    const sync = service([catalogSource]);
    const [first] = await sync.sync();
    expect(first).toMatchObject({ name: 'test-catalog', ok: true, source: 'mirror', path: path.join(cacheDir, 'catalog.json') });
    expect(fs.readFileSync(path.join(cacheDir, 'catalog.json'))).toEqual(CATALOG);
    fs.rmSync(path.join(mirror, 'deep'), { recursive: true });
    const [second] = await sync.sync();
    expect(second).toMatchObject({ ok: true, source: 'cache' });
    expect(await sync.pathOf('test-catalog')).toBe(path.join(cacheDir, 'catalog.json'));
  });

  it('rejects a mirror file with the wrong hash, naming both hashes and the path', async () => {
    const bad = path.join(mirror, 'catalog.json');
    fs.writeFileSync(bad, 'tampered');
    const sync = service([catalogSource]);
    const [result] = await sync.sync();
    expect(result!.ok).toBe(false);
    expect(result!.error).toContain(bad);
    expect(result!.error).toContain(sha256Hex(Buffer.from('tampered')));
    expect(result!.error).toContain(catalogSource.sha256);
    expect(fs.existsSync(path.join(cacheDir, 'catalog.json'))).toBe(false);
    const err = await caught(sync.pathOf('test-catalog'));
    expect(err.code).toBe(ErrorCode.CONTENT_HASH_MISMATCH);
    expect(err.problems[0]!.message).toContain(bad);
  });

  it('prefers a good copy when another mirror holds a bad one', async () => {
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(mirror, 'catalog.json'), 'tampered');
    fs.writeFileSync(path.join(other, 'catalog.json'), CATALOG);
    const [result] = await service([catalogSource], true, [mirror, other]).sync();
    expect(result).toMatchObject({ ok: true, source: 'mirror' });
  });

  it('re-verifies the cache: a damaged cached copy is replaced from the mirror', async () => {
    fs.writeFileSync(path.join(mirror, 'catalog.json'), CATALOG);
    const sync = service([catalogSource]);
    await sync.sync();
    fs.writeFileSync(path.join(cacheDir, 'catalog.json'), 'bit rot');
    const [result] = await sync.sync();
    expect(result).toMatchObject({ ok: true, source: 'mirror' });
    expect(fs.readFileSync(path.join(cacheDir, 'catalog.json'))).toEqual(CATALOG);
  });

  it('does not serve a damaged cached copy when nothing can replace it', async () => {
    fs.mkdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, 'catalog.json'), 'bit rot');
    const err = await caught(service([catalogSource]).pathOf('test-catalog'));
    expect(err.code).toBe(ErrorCode.CONTENT_MISSING);
    expect(fs.existsSync(path.join(cacheDir, 'catalog.json'))).toBe(false);
  });

  it('extracts the pinned member of a zip archive found in a mirror', async () => {
    const zip = makeZip([
      { name: 'U_CCI_List/readme.txt', data: Buffer.from('hello') },
      { name: 'U_CCI_List/U_CCI_List.xml', data: CCI },
    ]);
    fs.writeFileSync(path.join(mirror, 'deep', 'U_CCI_List.zip'), zip);
    const [result] = await service([cciSource]).sync();
    expect(result).toMatchObject({ ok: true, source: 'mirror', path: path.join(cacheDir, 'U_CCI_List.xml') });
    expect(fs.readFileSync(path.join(cacheDir, 'U_CCI_List.xml'))).toEqual(CCI);
  });

  it('offline with nothing found: names every missing file, the mirrors searched and how to provide them', async () => {
    const absent = path.join(root, 'absent');
    const sync = service([catalogSource, cciSource], true, [mirror, absent]);
    const results = await sync.sync();
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]!.error).toContain('PLIMSOLL_CONTENT_MIRROR');
    const err = await caught(sync.pathsOf(['test-catalog', 'test-cci']));
    expect(err.code).toBe(ErrorCode.CONTENT_MISSING);
    expect(err.message).toContain('catalog.json (test-catalog)');
    expect(err.message).toContain('U_CCI_List.xml (test-cci)');
    expect(err.message).toContain(mirror);
    expect(err.message).toContain(`${absent} (does not exist)`);
    expect(err.message).toContain('PLIMSOLL_CONTENT_MIRROR');
    expect(err.message).toContain('PLIMSOLL_OFFLINE');
    expect(err.message).toContain(catalogSource.url);
    expect(err.message).toContain('https://example.invalid/U_CCI_List.zip (extract U_CCI_List.xml');
    expect(err.problems.map((p) => p.file)).toEqual(['catalog.json', 'U_CCI_List.xml']);
  });

  it('names only the files that are missing', async () => {
    fs.writeFileSync(path.join(mirror, 'catalog.json'), CATALOG);
    const err = await caught(service([catalogSource, cciSource]).pathsOf(['test-catalog', 'test-cci']));
    expect(err.message).toContain('Missing pinned content: U_CCI_List.xml (test-cci).');
    expect(err.message).not.toContain('catalog.json (test-catalog)');
  });

  it('rejects unknown source names', async () => {
    const err = await caught(service([catalogSource]).pathOf('nope'));
    expect(err.code).toBe(ErrorCode.NOT_FOUND);
    expect(err.message).toContain('test-catalog');
  });
});

describe('content sync downloads', () => {
  let server: http.Server;
  let base: string;
  const routes = new Map<string, Buffer>();
  beforeEach(async () => {
    routes.clear();
    server = http.createServer((req, res) => {
      const body = routes.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end('not here');
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads a plain file and a zipped member when online, verifying both', async () => {
    routes.set('/catalog.json', CATALOG);
    routes.set('/U_CCI_List.zip', makeZip([{ name: 'x/U_CCI_List.xml', data: CCI, store: true }]));
    const sync = service([{ ...catalogSource, url: `${base}/catalog.json` }, { ...cciSource, url: `${base}/U_CCI_List.zip` }], false);
    const results = await sync.sync();
    expect(results.map((r) => [r.ok, r.source])).toEqual([[true, 'download'], [true, 'download']]);
    expect(fs.readFileSync(path.join(cacheDir, 'U_CCI_List.xml'))).toEqual(CCI);
  });

  it('reports an HTTP failure and a download with the wrong hash', async () => {
    routes.set('/catalog.json', Buffer.from('something else'));
    const sync = service([{ ...catalogSource, url: `${base}/catalog.json` }, { ...cciSource, url: `${base}/missing.zip` }], false);
    const [wrong, notFound] = await sync.sync();
    expect(wrong!.ok).toBe(false);
    expect(wrong!.error).toContain(`has sha256 ${sha256Hex(Buffer.from('something else'))}, expected ${catalogSource.sha256}`);
    expect(notFound!.error).toContain('HTTP 404');
    const cached = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : [];
    expect(cached).toEqual([]);
  });

  it('never downloads when offline', async () => {
    routes.set('/catalog.json', CATALOG);
    const [result] = await service([{ ...catalogSource, url: `${base}/catalog.json` }], true).sync();
    expect(result!.ok).toBe(false);
  });
});

describe('source list and archives', () => {
  it('rejects a malformed source list with a pointer per problem', () => {
    try {
      parseContentSources({ sources: [{ name: 'a', title: 't', kind: 'nope', file: 'x/y', url: 'ftp://x', sha256: 'ABC', import: 'yes', archive: 'a.zip' }] }, 'sources.json');
      throw new Error('expected a rejection');
    } catch (e) {
      const err = e as PlimsollError;
      expect(err.code).toBe(ErrorCode.CONTENT_INVALID);
      expect(err.problems.map((p) => p.pointer).sort()).toEqual(
        ['/sources/0/file', '/sources/0/import', '/sources/0/kind', '/sources/0/member', '/sources/0/sha256', '/sources/0/url'].sort(),
      );
    }
  });

  it('explains a zip that lacks the member', () => {
    expect(() => extractZipMember(makeZip([{ name: 'a.txt', data: Buffer.from('a') }]), 'b.xml', 'test.zip')).toThrow(/test.zip has no member named b.xml/);
    expect(() => extractZipMember(Buffer.from('not a zip at all, really not'), 'b.xml', 'junk')).toThrow(/junk is not a zip archive/);
  });

  it('catalogs/sources.json pins every reference file of the shared mirror by name and sha256', async () => {
    const sources = await loadContentSources(path.join(repoRoot, 'catalogs', 'sources.json'));
    expect(sources.map((s) => s.name)).toEqual(
      expect.arrayContaining(['nist-800-53-rev5-catalog-json', 'docker-stig-v2r2', 'cci-list', 'oscal-schema-1.1.2']),
    );
    expect(sources.filter((s) => s.import).map((s) => s.kind).sort()).toEqual(['benchmark', 'catalog', 'cci-list']);
    if (!fs.existsSync(sharedDataDir)) return; // the sha256 check needs the shared reference content
    const results = await service(sources, true, [sharedDataDir]).sync();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(sources.length);
    expect(results.every((r) => r.source === 'mirror')).toBe(true);
  });
});
