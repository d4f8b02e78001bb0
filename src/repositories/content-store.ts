/**
 * The file side of pinned reference content: reading catalogs/sources.json, the verified cache,
 * searching content mirrors by file name, downloading with a timeout, sha256 and extracting one
 * member of a zip archive (DISA ships STIGs and the CCI list as zips). No policy lives here: the
 * content sync service decides which source to use and what counts as an error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';

/** What a pinned source holds; `schema` documents are used, never imported. */
export type ContentSourceKind = 'catalog' | 'profile' | 'benchmark' | 'cci-list' | 'schema';
const SOURCE_KINDS: readonly ContentSourceKind[] = ['catalog', 'profile', 'benchmark', 'cci-list', 'schema'];

/** One entry of catalogs/sources.json. */
export interface ContentSource {
  name: string;
  title: string;
  kind: ContentSourceKind;
  /** The pinned file's name: searched for in mirrors, kept under this name in the cache. */
  file: string;
  /** Official download location: the file itself, or the zip archive holding it. */
  url: string;
  /** File name of the official zip archive, when `url` is one (also searched for in mirrors). */
  archive?: string;
  /** Name of the pinned file inside the archive (matched by base name at any depth). */
  member?: string;
  /** Lower-case hex sha256 of `file`. */
  sha256: string;
  /** Whether this release imports the source into the library. */
  import: boolean;
}

/** The largest download or archive member accepted (the biggest pinned file is about 12 MB). */
const MAX_CONTENT_BYTES = 256 * 1024 * 1024;
const SHA256_RE = /^[0-9a-f]{64}$/;

/** Reads and validates catalogs/sources.json; CONTENT_INVALID listing every bad field. */
export async function loadContentSources(file: string): Promise<ContentSource[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `Cannot read the content source list ${file}: ${(e as Error).message}`, [], { cause: e });
  }
  return parseContentSources(doc, file);
}

/** Validates the parsed sources.json document; exported for tests. */
export function parseContentSources(doc: unknown, file: string): ContentSource[] {
  const problems: Problem[] = [];
  const list = (doc as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file} must be an object with a "sources" array`, [{ file, pointer: '/sources', message: 'missing or not an array' }]);
  }
  const names = new Set<string>();
  const sources: ContentSource[] = [];
  list.forEach((raw: unknown, i) => {
    const at = (field: string): string => `/sources/${i}/${field}`;
    const bad = (field: string, message: string): void => void problems.push({ file, pointer: at(field), message });
    const s = (raw ?? {}) as Record<string, unknown>;
    const str = (field: string, required: boolean): string | undefined => {
      const v = s[field];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v.trim() === '') {
        bad(field, 'must be a non-empty string');
        return undefined;
      }
      return v;
    };
    const name = str('name', true);
    const title = str('title', true);
    const kind = str('kind', true);
    const fileName = str('file', true);
    const url = str('url', true);
    const archive = str('archive', false);
    const member = str('member', false);
    const sha256 = str('sha256', true);
    if (name !== undefined && names.has(name)) bad('name', `duplicate source name "${name}"`);
    if (name !== undefined) names.add(name);
    if (kind !== undefined && !SOURCE_KINDS.includes(kind as ContentSourceKind)) bad('kind', `must be one of ${SOURCE_KINDS.join(', ')}`);
    if (fileName !== undefined && (fileName.includes('/') || fileName.includes('\\'))) bad('file', 'must be a bare file name');
    if (url !== undefined && !/^https?:\/\//.test(url)) bad('url', 'must be an http(s) URL');
    if ((archive === undefined) !== (member === undefined)) bad(archive === undefined ? 'archive' : 'member', '"archive" and "member" go together');
    if (sha256 !== undefined && !SHA256_RE.test(sha256)) bad('sha256', 'must be 64 lower-case hex digits');
    if (typeof s.import !== 'boolean') bad('import', 'must be true or false');
    if (name && title && kind && fileName && url && sha256 && typeof s.import === 'boolean') {
      sources.push({
        name, title, kind: kind as ContentSourceKind, file: fileName, url, sha256, import: s.import,
        ...(archive !== undefined && member !== undefined ? { archive, member } : {}),
      });
    }
  });
  if (problems.length > 0) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file} is not a valid content source list`, problems);
  return sources;
}

/** Hex sha256 of a buffer. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Where mirror files were found, by exact file name. */
export interface MirrorIndex {
  /** Every mirror directory, with whether it exists. */
  dirs: { dir: string; exists: boolean }[];
  /** Paths of files by base name. */
  files: Map<string, string[]>;
}

export interface ContentStoreOptions {
  cacheDir: string;
  mirrors: readonly string[];
  /** Per-download timeout; default 120 s. */
  downloadTimeoutMs?: number;
}

/** Filesystem and network access for pinned content. */
export class ContentStore {
  readonly cacheDir: string;
  readonly mirrors: readonly string[];
  private readonly downloadTimeoutMs: number;

  constructor(opts: ContentStoreOptions) {
    this.cacheDir = path.resolve(opts.cacheDir);
    this.mirrors = opts.mirrors.map((m) => path.resolve(m));
    this.downloadTimeoutMs = opts.downloadTimeoutMs ?? 120_000;
  }

  /** The cache path of a pinned file name. */
  cachePath(file: string): string {
    return path.join(this.cacheDir, file);
  }

  /** sha256 of a file, or undefined when it does not exist. */
  async hashFile(file: string): Promise<string | undefined> {
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return hash.digest('hex');
  }

  async readFile(file: string): Promise<Buffer> {
    return fs.readFile(file);
  }

  async removeCached(file: string): Promise<void> {
    await fs.rm(this.cachePath(file), { force: true });
  }

  /** Copies a verified file into the cache atomically (temp file + rename). */
  async installFile(src: string, file: string): Promise<string> {
    return this.installWith(file, (tmp) => fs.copyFile(src, tmp));
  }

  /** Writes verified bytes into the cache atomically. */
  async installBytes(data: Buffer, file: string): Promise<string> {
    return this.installWith(file, (tmp) => fs.writeFile(tmp, data));
  }

  private async installWith(file: string, write: (tmp: string) => Promise<void>): Promise<string> {
    await fs.mkdir(this.cacheDir, { recursive: true });
    const dest = this.cachePath(file);
    const tmp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await write(tmp);
      await fs.rename(tmp, dest);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return dest;
  }

  /** Walks every mirror directory once (recursively, following symlinks without loops) and indexes files by name. */
  async indexMirrors(): Promise<MirrorIndex> {
    const files = new Map<string, string[]>();
    const dirs: MirrorIndex['dirs'] = [];
    const visited = new Set<string>();
    const walk = async (dir: string, depth: number): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(dir);
      } catch {
        return;
      }
      if (visited.has(real) || depth > 16) return;
      visited.add(real);
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return; // unreadable directories are skipped; the search reports what it found
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const st = await fs.stat(full).catch(() => undefined);
          isDir = st?.isDirectory() ?? false;
          isFile = st?.isFile() ?? false;
        }
        if (isDir) await walk(full, depth + 1);
        else if (isFile) files.set(entry.name, [...(files.get(entry.name) ?? []), full]);
      }
    };
    for (const dir of this.mirrors) {
      const st = await fs.stat(dir).catch(() => undefined);
      dirs.push({ dir, exists: st?.isDirectory() ?? false });
      if (st?.isDirectory()) await walk(dir, 0);
    }
    return { dirs, files };
  }

  /** Downloads a URL into memory with a timeout; throws a plain Error with the reason. */
  async download(url: string): Promise<Buffer> {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.downloadTimeoutMs), redirect: 'follow' });
    } catch (e) {
      const err = e as Error & { cause?: { message?: string } };
      const reason = err.name === 'TimeoutError' ? `timed out after ${this.downloadTimeoutMs} ms` : (err.cause?.message ?? err.message);
      throw new Error(`download of ${url} failed: ${reason}`, { cause: e });
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`download of ${url} failed: HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > MAX_CONTENT_BYTES) throw new Error(`download of ${url} refused: ${declared} bytes is over the ${MAX_CONTENT_BYTES}-byte limit`);
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > MAX_CONTENT_BYTES) throw new Error(`download of ${url} refused: over the ${MAX_CONTENT_BYTES}-byte limit`);
    return data;
  }
}

/** Finds paths indexed under `name`, exactly or else ignoring case (DISA spells "UNIX"/"Unix" both ways). */
export function lookupMirror(index: MirrorIndex, name: string): string[] {
  const exact = index.files.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return [...index.files.entries()].filter(([k]) => k.toLowerCase() === lower).flatMap(([, v]) => v);
}

/**
 * Extracts the member whose base name is `member` from a zip archive (stored or deflated entries;
 * no zip64, no encryption). Throws a plain Error naming what is wrong.
 */
export function extractZipMember(zip: Buffer, member: string, label = 'archive'): Buffer {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd < 0) throw new Error(`${label} is not a zip archive (no end-of-central-directory record)`);
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error(`${label} is a zip64 archive, which is not supported: extract ${member} into a content mirror directory`);
  const entries: { name: string; method: number; flags: number; compSize: number; size: number; localOffset: number }[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${label}: corrupt central directory at entry ${i}`);
    const nameLen = zip.readUInt16LE(p + 28);
    entries.push({
      flags: zip.readUInt16LE(p + 8),
      method: zip.readUInt16LE(p + 10),
      compSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  const base = (n: string): string => n.split('/').pop() ?? n;
  const entry =
    entries.find((e) => base(e.name) === member) ?? entries.find((e) => base(e.name).toLowerCase() === member.toLowerCase());
  if (!entry) throw new Error(`${label} has no member named ${member} (it holds ${entries.length} entries)`);
  if (entry.flags & 1) throw new Error(`${label}: ${entry.name} is encrypted`);
  if (entry.size > MAX_CONTENT_BYTES) throw new Error(`${label}: ${entry.name} is over the ${MAX_CONTENT_BYTES}-byte limit`);
  const lh = entry.localOffset;
  if (lh + 30 > zip.length || zip.readUInt32LE(lh) !== 0x04034b50) throw new Error(`${label}: corrupt local header of ${entry.name}`);
  const start = lh + 30 + zip.readUInt16LE(lh + 26) + zip.readUInt16LE(lh + 28);
  const data = zip.subarray(start, start + entry.compSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) {
    try {
      // zlib loads with the first zipped source (DISA's STIGs), not with every process that opens the library.
      return process.getBuiltinModule('node:zlib').inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (e) {
      throw new Error(`${label}: cannot inflate ${entry.name}: ${(e as Error).message}`, { cause: e });
    }
  }
  throw new Error(`${label}: ${entry.name} uses compression method ${entry.method}; extract it into a content mirror directory`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const min = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= min; i--) if (zip.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}
