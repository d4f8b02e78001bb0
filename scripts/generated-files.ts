/**
 * What the generators in scripts/ share: where the repository and the reference content are, and writing
 * (or, with `--check`, comparing) the committed files they produce.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above `moduleUrl` holding package.json (scripts/ or dist/scripts/). */
export function repoRootOf(moduleUrl: string): string {
  for (let dir = path.dirname(fileURLToPath(moduleUrl)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package.json not found above ${fileURLToPath(moduleUrl)}`);
}

/** A file of the reference content: under PLIMSOLL_CONTENT_MIRROR's first entry, else ../shared/data beside the repository. */
export function mirrorPath(repoRoot: string, ...segments: string[]): string {
  const mirror = process.env.PLIMSOLL_CONTENT_MIRROR;
  const base = mirror !== undefined && mirror !== '' ? path.resolve(repoRoot, mirror.split(path.delimiter)[0]!) : path.resolve(repoRoot, '..', 'shared', 'data');
  return path.join(base, ...segments);
}

/**
 * Writes each generated file (path relative to `repoRoot` → content) that differs from the committed one; with
 * `check`, writes nothing and reports the stale ones. Returns the process exit code (1: something is stale).
 */
export function writeGenerated(repoRoot: string, files: ReadonlyMap<string, string>, check: boolean): number {
  let stale = 0;
  for (const [rel, content] of files) {
    const file = path.join(repoRoot, rel);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === content) {
      console.log(`${rel}: up to date`);
    } else if (check) {
      console.log(`${rel}: out of date`);
      stale += 1;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, 'utf8');
      console.log(`${rel}: written`);
    }
  }
  return stale > 0 ? 1 : 0;
}

/** Whether the module at `moduleUrl` is the script being run (node, or vite-node, which drops the script from argv), not a test's import. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && (/vite-node(\.m?js)?$/.test(entry) || fileURLToPath(moduleUrl) === fs.realpathSync(entry));
}
