/**
 * The package's own name and version, read from its package.json: the version OSCAL metadata and
 * `plimsoll --version` report is the one being run, never a literal that drifts from the release.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What package.json says about the tool. */
export interface PackageInfo {
  name: string;
  version: string;
}

/**
 * The package.json nearest above `startDir` (src/… or dist/src/…), read once per directory. Throws when
 * none is found or it names no version: a build without one can't say what produced its documents.
 */
export function packageInfo(startDir: string): PackageInfo {
  const cached = cache.get(startDir);
  if (cached !== undefined) return cached;
  const file = path.join(packageRoot(startDir), 'package.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  if (typeof json.version !== 'string' || json.version === '') throw new Error(`${file} has no version`);
  const info = { name: typeof json.name === 'string' ? json.name : 'plimsoll', version: json.version };
  cache.set(startDir, info);
  return info;
}

/** The directory of the package.json nearest above `startDir` (the same from src/… and dist/src/…); throws when there is none. */
export function packageRoot(startDir: string): string {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${startDir}`);
  }
}

const cache = new Map<string, PackageInfo>();
