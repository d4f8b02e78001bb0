/**
 * The files of a Docker host as a repository: owner, group, mode and (for small configuration files) content
 * of paths as the host sees them, directory trees, the dockerd processes' command lines and the kernel's FIPS
 * flag. Two implementations: `HostRootFiles` reads a host root mounted or present in this process's file
 * system (`/` when Plimsoll runs on the node); `HelperContainerFiles` (helper-container-files.ts) runs a
 * short-lived read-only container on the node. Both resolve symbolic links inside the host root, as a chroot
 * would, so an absolute link such as `/var/run → /run` never escapes to Plimsoll's own file system.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostFileFacts } from '../domain/facts.js';

/** A file to stat (following symbolic links); `content` also reads it as text (never ask for keys). */
export interface HostFileRequest {
  path: string;
  content?: boolean;
}

/** A directory whose entries (recursively) are stat'ed; regular files ending in `contentSuffix` are also read. */
export interface HostTreeRequest {
  path: string;
  contentSuffix?: string;
}

/** One batch of reads: a helper container answers it in one run. */
export interface HostReadRequest {
  files?: readonly HostFileRequest[];
  trees?: readonly HostTreeRequest[];
  /** Process names (`/proc/<pid>/comm`) whose command lines to read, e.g. `dockerd`. */
  processes?: readonly string[];
  /** Read `/proc/sys/crypto/fips_enabled`. */
  fips?: boolean;
}

/** A file as read (its facts, with `error` / `contentError` when it or its content could not be read). */
export type HostFileRead = HostFileFacts;

export interface HostProcess {
  pid: number;
  comm: string;
  /** argv, from `/proc/<pid>/cmdline`. */
  cmdline: string[];
}

export interface HostFipsRead {
  path: string;
  /** The file's trimmed text; null when it does not exist or can't be read (`error` then says why). */
  value: string | null;
  /** Why the flag could not be read, when it exists (or may exist) but reading failed: the FIPS state is unknown. */
  error?: string;
  /** False when the proc file system itself was not found (then nothing can be said about FIPS). */
  procPresent: boolean;
}

export interface HostReadResult {
  /** How and where the files were read, for the evidence (host root path, helper container id). */
  via: 'host-root' | 'helper-container';
  source: string;
  /** One entry per requested file, in request order. */
  files: HostFileRead[];
  /** Per requested tree path: the tree root itself (first) and every entry below it, sorted by path. */
  trees: Record<string, HostFileRead[]>;
  processes: HostProcess[];
  fips?: HostFipsRead;
}

/** Read-only access to one host's files. */
export interface HostFiles {
  read(request: HostReadRequest): Promise<HostReadResult>;
}

/** Thrown when the host's files can't be reached at all (e.g. no helper image on the node): the part is `unavailable`. */
export class HostFilesUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostFilesUnavailableError';
  }
}

/** Content larger than this is not kept (a configuration file this large is not what the checks expect). */
export const MAX_CONTENT_BYTES = 1024 * 1024;

export const FIPS_PATH = '/proc/sys/crypto/fips_enabled';

/** uid → user name and gid → group name from the host's /etc/passwd and /etc/group. */
export interface NameTables {
  users: Map<number, string>;
  groups: Map<number, string>;
}

/** Parses passwd/group text (`name:x:id:…`) into id → name; the first name of an id wins. */
export function parseIdNames(text: string | undefined): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of (text ?? '').split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , id] = line.split(':');
    if (name === undefined || name === '' || id === undefined || !/^\d+$/.test(id)) continue;
    if (!names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

/** Adds owner and group names to a file read, where the host's tables know them. */
export function withNames(file: HostFileRead, names: NameTables): HostFileRead {
  if (!file.exists || file.error !== undefined) return file;
  const owner = file.uid === undefined ? undefined : names.users.get(file.uid);
  const group = file.gid === undefined ? undefined : names.groups.get(file.gid);
  return { ...file, ...(owner !== undefined ? { owner } : {}), ...(group !== undefined ? { group } : {}) };
}

/** Splits a NUL-separated /proc/<pid>/cmdline into argv. */
export function splitCmdline(raw: string): string[] {
  const parts = raw.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The file type word used in HostFileFacts. */
function typeOf(st: { isFile(): boolean; isDirectory(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSocket()) return 'socket';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

const MAX_LINKS = 40;

/** The errno code of a file system error (`EACCES`), if it has one. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Only "no such file or directory" means a file is absent; every other failure leaves its existence unknown. */
export function isAbsent(e: unknown): boolean {
  return errnoOf(e) === 'ENOENT';
}

/** A file system error in words, without the path under the host root: `EACCES: permission denied (stat)`. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | null;
  const code = errnoOf(e);
  const text = err instanceof Error ? err.message.split(',')[0] ?? err.message : String(e);
  const words = code !== undefined && text.startsWith(`${code}:`) ? text : code !== undefined ? `${code}: ${text}` : text;
  return err?.syscall !== undefined ? `${words} (${err.syscall})` : words;
}

/** The file system calls HostRootFiles makes; injectable so that tests can make a real file fail to read. */
export type HostFs = Pick<typeof fs, 'stat' | 'lstat' | 'readFile' | 'readdir' | 'readlink'>;

/**
 * Reads the host tree under `rootPath` as if it were `/`. `procRoot` is where the host's proc file system is
 * (default `<rootPath>/proc`; tests point it at the real `/proc` to see real processes).
 */
export class HostRootFiles implements HostFiles {
  readonly rootPath: string;
  readonly procRoot: string;

  private readonly fs: HostFs;

  constructor(rootPath: string, options: { procRoot?: string; fs?: HostFs } = {}) {
    this.rootPath = path.resolve(rootPath);
    this.procRoot = path.resolve(options.procRoot ?? path.join(this.rootPath, 'proc'));
    this.fs = options.fs ?? fs;
  }

  async read(request: HostReadRequest): Promise<HostReadResult> {
    const [passwd, group] = await Promise.all([this.readRaw('/etc/passwd'), this.readRaw('/etc/group')]);
    const names: NameTables = { users: parseIdNames(passwd), groups: parseIdNames(group) };
    const files = await Promise.all((request.files ?? []).map(async (f) => withNames(await this.readFile(f.path, f.content === true), names)));
    const trees: Record<string, HostFileRead[]> = {};
    for (const t of request.trees ?? []) trees[t.path] = (await this.readTree(t)).map((f) => withNames(f, names));
    const processes = (request.processes ?? []).length > 0 ? await this.readProcesses(new Set(request.processes)) : [];
    const result: HostReadResult = { via: 'host-root', source: this.rootPath, files, trees, processes };
    if (request.fips === true) result.fips = await this.readFips();
    return result;
  }

  /**
   * The real path of a host path under the root, every symbolic link resolved inside the root; null on a link
   * loop. A component that can't be examined (anything but ENOENT) rejects: its link target is unknown.
   */
  async resolve(hostPath: string): Promise<string | null> {
    let resolved = '';
    let rest = hostPath.split('/');
    let links = 0;
    while (rest.length > 0) {
      const c = rest.shift() as string;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        resolved = resolved.slice(0, Math.max(0, resolved.lastIndexOf('/')));
        continue;
      }
      const candidate = `${resolved}/${c}`;
      const st = await this.fs.lstat(this.under(candidate)).catch((e: unknown) => {
        if (isAbsent(e)) return undefined;
        throw e;
      });
      if (st?.isSymbolicLink()) {
        if (++links > MAX_LINKS) return null;
        const target = await this.fs.readlink(this.under(candidate), 'utf8');
        if (target.startsWith('/')) resolved = '';
        rest = [...target.split('/'), ...rest];
      } else {
        resolved = candidate;
      }
    }
    return resolved === '' ? '/' : resolved;
  }

  private under(hostPath: string): string {
    return path.join(this.rootPath, hostPath);
  }

  /** The text of a host file; undefined when it can't be read (owner names then stay unknown: ids are kept). */
  private async readRaw(hostPath: string): Promise<string | undefined> {
    const real = await this.resolve(hostPath).catch(() => null);
    return real === null ? undefined : this.fs.readFile(this.under(real), 'utf8').catch(() => undefined);
  }

  private async readFile(hostPath: string, withContent: boolean): Promise<HostFileRead> {
    let real: string | null;
    try {
      real = await this.resolve(hostPath);
    } catch (e) {
      return { path: hostPath, exists: false, error: describeFsError(e) };
    }
    if (real === null) return { path: hostPath, exists: false, type: 'symlink', contentError: 'too many levels of symbolic links' };
    let st: Awaited<ReturnType<HostFs['stat']>>;
    try {
      st = await this.fs.stat(this.under(real));
    } catch (e) {
      return isAbsent(e) ? { path: hostPath, exists: false } : { path: hostPath, exists: false, error: describeFsError(e) };
    }
    const file: HostFileRead = { path: hostPath, exists: true, type: typeOf(st), uid: st.uid, gid: st.gid, mode: (st.mode & 0o7777).toString(8).padStart(3, '0') };
    if (withContent && file.type === 'file') {
      if (st.size > MAX_CONTENT_BYTES) return { ...file, contentError: `larger than ${MAX_CONTENT_BYTES} bytes` };
      try {
        file.content = await this.fs.readFile(this.under(real), 'utf8');
      } catch (e) {
        file.contentError = describeFsError(e);
      }
    }
    return file;
  }

  private async readTree(tree: HostTreeRequest): Promise<HostFileRead[]> {
    const root = await this.readFile(tree.path, false);
    const out: HostFileRead[] = [root];
    if (root.type !== 'directory') return out;
    const unlisted: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries: Dirent[];
      try {
        const real = await this.resolve(dir);
        if (real === null || depth > 16) return;
        entries = await this.fs.readdir(this.under(real), { withFileTypes: true });
      } catch (e) {
        // An unlisted directory hides its entries: the tree is incomplete, which the tree root records.
        unlisted.push(`${dir}: ${describeFsError(e)}`);
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = `${dir === '/' ? '' : dir}/${e.name}`;
        const suffix = tree.contentSuffix;
        const file = await this.readFile(p, suffix !== undefined && p.endsWith(suffix));
        out.push(file);
        // Like find(1): symbolic links are reported (as their targets) but not descended into.
        if (e.isDirectory()) await walk(p, depth + 1);
      }
    };
    await walk(tree.path, 0);
    const head = unlisted.length > 0 ? { ...root, contentError: `its entries could not all be listed (${unlisted.join('; ')})` } : root;
    return [head, ...out.slice(1).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))];
  }

  private async readProcesses(wanted: Set<string>): Promise<HostProcess[]> {
    const pids = (await this.fs.readdir(this.procRoot).catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
    const found: HostProcess[] = [];
    for (const pid of pids) {
      const comm = await this.fs.readFile(path.join(this.procRoot, pid, 'comm'), 'utf8').then((c) => c.trim(), () => undefined);
      if (comm === undefined || !wanted.has(comm)) continue;
      const raw = await this.fs.readFile(path.join(this.procRoot, pid, 'cmdline'), 'utf8').catch(() => undefined);
      // A process that exited between the listing and the read has no command line left: skip it.
      if (raw === undefined || raw === '') continue;
      found.push({ pid: Number(pid), comm, cmdline: splitCmdline(raw) });
    }
    return found.sort((a, b) => a.pid - b.pid);
  }

  private async readFips(): Promise<HostFipsRead> {
    const file = path.join(this.procRoot, 'sys', 'crypto', 'fips_enabled');
    try {
      return { path: file, value: (await this.fs.readFile(file, 'utf8')).trim(), procPresent: true };
    } catch (e) {
      const procPresent = await this.fs.stat(path.join(this.procRoot, 'sys')).then(() => true, () => false);
      return isAbsent(e) ? { path: file, value: null, procPresent } : { path: file, value: null, procPresent, error: describeFsError(e) };
    }
  }
}
