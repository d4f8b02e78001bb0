/** Paths of the shared reference content (never copied into the repository). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The package's executable as package.json's bin names it (the build's CLI bundle, dist/cli/plimsoll.js): what
 * `npm install -g` links and a user runs, so tests and benchmarks run that, not the unbundled dist/src/cli/bin.js.
 */
export function packageBin(root: string = repoRoot): string {
  const { bin } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return path.join(root, bin.plimsoll!);
}

/** `shared/data` beside `dir` or beside one of its ancestors, if any. */
function sharedDataNear(dir: string): string | undefined {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'shared', 'data');
    if (fs.existsSync(candidate)) return candidate;
    if (d === path.dirname(d)) return undefined;
  }
}

/** The local checkout this repository was cloned from (git's `origin`, when it is a directory here). */
function originCheckout(): string | undefined {
  try {
    const url = execFileSync('git', ['-C', repoRoot, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dir = url.startsWith('file://') ? fileURLToPath(url) : url;
    return path.isAbsolute(dir) && fs.existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The default content mirror of the project's configuration: `shared/data` beside the repository. */
const DEFAULT_MIRROR = path.resolve(repoRoot, '..', 'shared', 'data');

/**
 * The first content mirror: PLIMSOLL_CONTENT_MIRROR, else `shared/data` beside the repository (../shared/data)
 * or beside one of its ancestors (a clone placed deeper than the checkout it was made from), else beside the
 * local checkout it was cloned from (a clone in a temporary directory).
 */
export const sharedDataDir = ((): string => {
  const configured = process.env.PLIMSOLL_CONTENT_MIRROR;
  if (configured !== undefined && configured !== '') return path.resolve(repoRoot, configured.split(path.delimiter)[0]!);
  const origin = originCheckout();
  return sharedDataNear(repoRoot) ?? (origin !== undefined ? sharedDataNear(origin) : undefined) ?? DEFAULT_MIRROR;
})();

/**
 * The mirror the suite gives the processes it runs when none is configured and the configuration's default
 * (../shared/data) does not exist here, but the harness found one (vitest.config.ts sets it); else undefined.
 */
export function mirrorBeyondDefault(): string | undefined {
  const configured = process.env.PLIMSOLL_CONTENT_MIRROR;
  if ((configured !== undefined && configured !== '') || fs.existsSync(DEFAULT_MIRROR)) return undefined;
  return fs.existsSync(sharedDataDir) ? sharedDataDir : undefined;
}

/** A file of the shared reference content, e.g. shared('stig', 'U_CCI_List.xml'). */
export function shared(...segments: string[]): string {
  const p = path.join(sharedDataDir, ...segments);
  if (!fs.existsSync(p)) throw new Error(`reference content missing: ${p} (set PLIMSOLL_CONTENT_MIRROR)`);
  return p;
}

export const DOCKER_STIG_V2R2 = ['stig', 'U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml'];
export const DOCKER_STIG_V2R1 = ['stig', 'U_Docker_Enterprise_2-x_Linux-UNIX_STIG_V2R1_Manual-xccdf.xml'];
export const CCI_LIST = ['stig', 'U_CCI_List.xml'];
export const REV5_CATALOG_JSON = ['oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.json'];
export const REV5_CATALOG_XML = ['oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.xml'];
export const OSCAL_SCHEMA_112 = ['oscal', 'schemas', 'oscal_complete_schema-1.1.2.json'];

/** A fresh temp directory, removed by the caller. */
export function tempDir(prefix = 'plimsoll-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Local files as the content a caller hands to the services (named by their path, as the CLI does). */
export function localContents(paths: readonly string[]): { name: string; bytes: Buffer }[] {
  return paths.map((p) => ({ name: p, bytes: fs.readFileSync(p) }));
}

/** One local file as content. */
export function localContent(p: string): { name: string; bytes: Buffer } {
  return { name: p, bytes: fs.readFileSync(p) };
}
