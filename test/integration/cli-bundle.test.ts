/**
 * The package's executable is the build's bundle (scripts/bundle-cli.mjs): a few files instead of ~330 ES
 * modules. These checks read the built output: what `--help` loads (the static imports of the entry, followed
 * through its chunks) must stay the index of commands and commander (bundled in), with each command's module and the
 * application behind dynamic imports; and the bundle runs as the bin a user gets.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageBin, repoRoot } from '../harness/content.js';

const execFileAsync = promisify(execFile);
const STATIC_IMPORT = /^(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?"([^"]+)";/gm;
const DYNAMIC_IMPORT = /\bimport\("([^"]+)"\)/g;

/** The files and packages reached through static imports from `entry`, an output file of the bundle. */
function staticClosure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec!);
        if (!files.has(target)) {
          files.add(target);
          queue.push(target);
        }
      } else if (!spec!.startsWith('node:')) packages.add(spec!);
    }
  }
  return { files: [...files], packages: [...packages].sort() };
}

describe('the CLI bundle', () => {
  const bin = packageBin();

  it('is the bin package.json names: an executable ES module with a node shebang', () => {
    expect(path.relative(repoRoot, bin)).toBe(path.join('dist', 'cli', 'plimsoll.js'));
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('loads the command index (and commander, bundled in) before a command runs, command modules and the application only through dynamic imports', () => {
    const { files, packages } = staticClosure(bin);
    expect(packages).toEqual([]);
    const staticText = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(staticText).not.toMatch(/function createCliRuntime\b/);
    const lazy = [...fs.readFileSync(bin, 'utf8').matchAll(DYNAMIC_IMPORT)].map((m) => path.resolve(path.dirname(bin), m[1]!));
    expect(lazy.some((f) => /function createCliRuntime\b/.test(fs.readFileSync(f, 'utf8')))).toBe(true);
    // A handful of files, not one per source module.
    expect(files.length).toBeLessThan(30);
  });

  it('carries Kysely and commander inside: no file of it imports them (Kysely as published is ~260 modules)', () => {
    const dir = path.dirname(bin);
    const files = [bin, ...fs.readdirSync(path.join(dir, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, 'chunks', f))];
    const imported = new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(STATIC_IMPORT)].map((m) => m[1]!)));
    expect([...imported].filter((spec) => /^(?:kysely|commander)(?:\/|$)/.test(spec))).toEqual([]);
  });

  it('--help loads no command module and none of the Node built-ins commands use (crypto, child_process, fs/promises, os)', async () => {
    expect(fs.readFileSync(bin, 'utf8')).not.toMatch(/function register\w+Commands?\b/);
    // What Node itself loaded, read from inside the process as it exits.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-bundle-'));
    try {
      const probe = path.join(dir, 'loaded.mjs');
      fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
      const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', probe, bin, '--help']);
      expect(stdout).toContain('Usage: plimsoll');
      const loaded = (JSON.parse(stderr) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
      expect(loaded).toContain('fs');
      // (net is there: the test reads stdout through a pipe, a socket to Node.)
      expect(loaded.filter((m) => ['crypto', 'child_process', 'dgram', 'fs/promises', 'os'].includes(m))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the package bin: --version prints package.json version', async () => {
    const { stdout } = await execFileAsync(bin, ['--version']);
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(version);
  });
});
