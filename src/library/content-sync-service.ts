/**
 * Pinned reference content (catalogs/sources.json) into the verified cache. For each source: the
 * cache when its sha256 still matches, else the content mirrors (searched recursively by file name,
 * and for zipped DISA content by archive name), else a download unless offline. Every copy is
 * verified against the pinned sha256 before it is used; a wrong copy is an error naming both hashes.
 */
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { ContentSyncResult, ContentSyncService } from '../domain/services.js';
import {
  extractZipMember,
  lookupMirror,
  sha256Hex,
  type ContentSource,
  type ContentStore,
  type MirrorIndex,
} from '../repositories/content-store.js';

export interface ContentSyncOptions {
  /** Never download (PLIMSOLL_OFFLINE). */
  offline: boolean;
}

type Acquired = { path: string; source: NonNullable<ContentSyncResult['source']> };

/** Why one source could not be provided; `kind` decides the error code. */
class SourceFailure extends Error {
  constructor(readonly kind: 'missing' | 'mismatch', message: string) {
    super(message);
  }
}

/** ContentSyncService over a ContentStore and the pinned source list. */
export class PinnedContentSyncService implements ContentSyncService {
  constructor(
    private readonly store: ContentStore,
    private readonly sources: readonly ContentSource[],
    private readonly opts: ContentSyncOptions,
  ) {}

  /** The pinned sources, in file order. */
  listSources(): readonly ContentSource[] {
    return this.sources;
  }

  async sync(names?: string[]): Promise<ContentSyncResult[]> {
    const selected = this.select(names);
    const mirrors = this.lazyIndex();
    const results: ContentSyncResult[] = [];
    for (const source of selected) {
      try {
        const got = await this.acquire(source, mirrors);
        results.push({ name: source.name, file: source.file, path: got.path, source: got.source, ok: true });
      } catch (e) {
        results.push({ name: source.name, file: source.file, ok: false, error: reasonOf(e) });
      }
    }
    return results;
  }

  async pathOf(name: string): Promise<string> {
    const paths = await this.pathsOf([name]);
    return paths.get(name)!;
  }

  /**
   * Cached, verified paths of several sources; one CONTENT_MISSING (or CONTENT_HASH_MISMATCH) error
   * naming every file that could not be provided and how to provide it.
   */
  async pathsOf(names: string[]): Promise<Map<string, string>> {
    const selected = this.select(names);
    const mirrors = this.lazyIndex();
    const paths = new Map<string, string>();
    const failed: { source: ContentSource; failure: SourceFailure }[] = [];
    for (const source of selected) {
      try {
        paths.set(source.name, (await this.acquire(source, mirrors)).path);
      } catch (e) {
        if (!(e instanceof SourceFailure)) throw e;
        failed.push({ source, failure: e });
      }
    }
    if (failed.length > 0) throw this.missingError(failed, mirrors.current());
    return paths;
  }

  private select(names: string[] | undefined): readonly ContentSource[] {
    if (names === undefined || names.length === 0) return this.sources;
    const known = new Map(this.sources.map((s) => [s.name, s]));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new PlimsollError(
        ErrorCode.NOT_FOUND,
        `Unknown content source${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known sources: ${this.sources.map((s) => s.name).join(', ')}`,
      );
    }
    return [...new Set(names)].map((n) => known.get(n)!);
  }

  /** The mirror index, built at most once per call and only when some source is not cached. */
  private lazyIndex(): { get(): Promise<MirrorIndex>; current(): MirrorIndex | undefined } {
    let built: MirrorIndex | undefined;
    let pending: Promise<MirrorIndex> | undefined;
    return {
      get: () => (pending ??= this.store.indexMirrors().then((i) => (built = i))),
      current: () => built,
    };
  }

  private async acquire(source: ContentSource, mirrors: { get(): Promise<MirrorIndex> }): Promise<Acquired> {
    const cached = this.store.cachePath(source.file);
    const cachedHash = await this.store.hashFile(cached);
    if (cachedHash === source.sha256) return { path: cached, source: 'cache' };
    // A cached copy with another hash is stale or damaged: drop it and fetch a verified one.
    if (cachedHash !== undefined) await this.store.removeCached(source.file);

    const index = await mirrors.get();
    const rejected: string[] = [];
    for (const candidate of lookupMirror(index, source.file)) {
      const hash = await this.store.hashFile(candidate);
      if (hash === source.sha256) return { path: await this.store.installFile(candidate, source.file), source: 'mirror' };
      if (hash !== undefined) rejected.push(`mirror file ${candidate} has sha256 ${hash}, expected ${source.sha256}`);
    }
    if (source.archive !== undefined && source.member !== undefined) {
      for (const zipPath of lookupMirror(index, source.archive)) {
        try {
          const data = extractZipMember(await this.store.readFile(zipPath), source.member, `mirror archive ${zipPath}`);
          const hash = sha256Hex(data);
          if (hash === source.sha256) return { path: await this.store.installBytes(data, source.file), source: 'mirror' };
          rejected.push(`${source.member} in mirror archive ${zipPath} has sha256 ${hash}, expected ${source.sha256}`);
        } catch (e) {
          rejected.push((e as Error).message);
        }
      }
    }
    if (rejected.length > 0) {
      throw new SourceFailure(
        'mismatch',
        `${rejected.join('; ')} (pinned in catalogs/sources.json as ${source.name}): replace it with the official file from ${source.url} or remove it`,
      );
    }

    const searched = describeSearch(this.store.cacheDir, index);
    if (this.opts.offline) {
      throw new SourceFailure(
        'missing',
        `not found in ${searched}; offline, so not downloaded: set PLIMSOLL_CONTENT_MIRROR to a directory holding ${source.file}, or unset PLIMSOLL_OFFLINE to download ${downloadHint(source)}`,
      );
    }
    let data: Buffer;
    try {
      data = await this.store.download(source.url);
      if (source.member !== undefined) data = extractZipMember(data, source.member, `downloaded archive ${source.url}`);
    } catch (e) {
      throw new SourceFailure(
        'missing',
        `not found in ${searched}; ${(e as Error).message}; set PLIMSOLL_CONTENT_MIRROR to a directory holding ${source.file}`,
      );
    }
    const hash = sha256Hex(data);
    if (hash !== source.sha256) {
      throw new SourceFailure('mismatch', `${source.file} downloaded from ${source.url} has sha256 ${hash}, expected ${source.sha256}; it was not cached`);
    }
    return { path: await this.store.installBytes(data, source.file), source: 'download' };
  }

  private missingError(failed: { source: ContentSource; failure: SourceFailure }[], index: MirrorIndex | undefined): PlimsollError {
    const problems: Problem[] = failed.map(({ source, failure }) => ({ file: source.file, message: `${source.name}: ${failure.message}` }));
    const missing = failed.filter((f) => f.failure.kind === 'missing').map((f) => f.source);
    if (missing.length < failed.length) {
      const names = failed.filter((f) => f.failure.kind === 'mismatch').map((f) => f.source.file);
      return new PlimsollError(ErrorCode.CONTENT_HASH_MISMATCH, `Pinned content failed sha256 verification: ${names.join(', ')}`, problems);
    }
    const lines = [
      `Missing pinned content: ${missing.map((s) => `${s.file} (${s.name})`).join(', ')}.`,
      `Searched ${index ? describeSearch(this.store.cacheDir, index) : `the cache ${this.store.cacheDir}`}.`,
      'Provide them in one of these ways:',
      `  - set PLIMSOLL_CONTENT_MIRROR to a directory holding ${missing.map((s) => s.file).join(', ')} (searched recursively by file name);`,
      this.opts.offline
        ? '  - or go online (unset PLIMSOLL_OFFLINE) so that they are downloaded from:'
        : '  - or fix the download (reasons below), or fetch them yourself from:',
      ...missing.map((s) => `      ${s.file}: ${downloadHint(s)}`),
    ];
    return new PlimsollError(ErrorCode.CONTENT_MISSING, lines.join('\n'), problems);
  }
}

function describeSearch(cacheDir: string, index: MirrorIndex): string {
  const dirs = index.dirs.map((d) => (d.exists ? d.dir : `${d.dir} (does not exist)`));
  return `the cache ${cacheDir} and the content mirrors ${dirs.length > 0 ? dirs.join(', ') : '(none configured)'}`;
}

function downloadHint(source: ContentSource): string {
  return source.member !== undefined ? `${source.url} (extract ${source.member} from the archive)` : source.url;
}

function reasonOf(e: unknown): string {
  if (e instanceof SourceFailure || e instanceof PlimsollError) return e.message;
  return `unexpected error: ${(e as Error).message ?? String(e)}`;
}
