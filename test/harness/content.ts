/** Paths of the shared reference content (never copied into the repository). */
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

/**
 * The first content mirror: PLIMSOLL_CONTENT_MIRROR, else `shared/data` beside the repository (../shared/data)
 * or beside one of its ancestors (a clone placed deeper than the checkout it was made from).
 */
export const sharedDataDir = ((): string => {
  const configured = process.env.PLIMSOLL_CONTENT_MIRROR;
  if (configured !== undefined && configured !== '') return path.resolve(repoRoot, configured.split(path.delimiter)[0]!);
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'data');
    if (fs.existsSync(candidate)) return candidate;
    if (dir === path.dirname(dir)) return path.resolve(repoRoot, '..', 'shared', 'data');
  }
})();

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
