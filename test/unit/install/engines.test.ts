/**
 * package.json `engines` stays true (issue #12 item 5): every package the lockfile installs (runtime and
 * development, since `npm ci && npm start` builds from source) accepts the lowest Node release of each line
 * `engines` allows, and the Node running this test. A dependency upgrade that asks for a newer Node fails here
 * instead of printing EBADENGINE on a user's `npm ci`; fix it with an override or by raising `engines`.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../harness/content.js';

interface LockedPackage { version?: string; engines?: { node?: string } | string[]; optional?: boolean }

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

/** The lowest version of each `||` alternative of a range: ">=20.19 <21 || >=22.13" gives 20.19.0 and 22.13.0. */
function lowestOfEachLine(range: string): string[] {
  return new semver.Range(range).set.map((comparators) => semver.minVersion(comparators.map((c) => c.value).join(' '))!.version);
}

/** Locked packages whose engines.node rejects `node`. */
function rejecting(node: string): string[] {
  return Object.entries(lock.packages)
    .filter(([loc, pkg]) => loc !== '' && !Array.isArray(pkg.engines) && pkg.engines?.node !== undefined)
    .filter(([, pkg]) => !semver.satisfies(node, (pkg.engines as { node: string }).node))
    .map(([loc, pkg]) => `${loc.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${(pkg.engines as { node: string }).node}`);
}

describe('package.json engines', () => {
  const lowest = lowestOfEachLine(manifest.engines.node);

  it('names lines that start on Node 20', () => {
    expect(lowest.length).toBeGreaterThan(0);
    expect(semver.major(lowest[0]!)).toBe(20);
  });

  it.each(lowest)('is accepted by every locked package on Node %s', (node) => {
    expect(rejecting(node)).toEqual([]);
  });

  it('is met by the Node running the tests, which every locked package accepts', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
    expect(rejecting(process.version)).toEqual([]);
  });

  it('would catch a package that asks for more than engines allows', () => {
    // The check itself: Node 20.0.0 is below what eslint and vite ask for.
    expect(rejecting('20.0.0').length).toBeGreaterThan(0);
  });
});
