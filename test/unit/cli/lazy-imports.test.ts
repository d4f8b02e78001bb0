/**
 * What a CLI process loads before its command runs: the static import graph (value imports; `import type` is
 * erased) from the executable and from the composition root. Server-only packages must stay behind dynamic
 * `import()` where they are used, or every `plimsoll` command pays for loading them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../harness/content.js';

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The files and packages reached through static value imports from `entry` (a file under src/), with one chain each. */
function staticGraph(entry: string): { files: Map<string, string[]>; packages: Map<string, string[]> } {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  const packages = new Map<string, string[]>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    for (const [, spec] of source.matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith('.')) {
        const target = path.relative(repoRoot, path.resolve(path.dirname(path.join(repoRoot, file)), spec!.replace(/\.js$/, '.ts')));
        if (!chains.has(target) && fs.existsSync(path.join(repoRoot, target))) {
          chains.set(target, [...chains.get(file)!, target]);
          queue.push(target);
        }
      } else if (!spec!.startsWith('node:')) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, chains.get(file)!);
      }
    }
  }
  return { files: chains, packages };
}

const staticPackages = (entry: string): Map<string, string[]> => staticGraph(entry).packages;

const SERVER_ONLY = ['@apollo/server', 'type-graphql', 'graphql', 'graphql-ws', 'ws', 'graphql-scalars', 'graphql-query-complexity', 'reflect-metadata', 'pdfkit', 'ajv'];

function offending(entry: string, forbidden: readonly string[]): string[] {
  const packages = staticPackages(entry);
  return forbidden.filter((p) => packages.has(p)).map((p) => `${p}: ${packages.get(p)!.join(' > ')}`);
}

describe('modules a CLI process loads before its command runs', () => {
  it('--help and usage errors load commander and the command definitions only', () => {
    const packages = [...staticPackages('src/cli/bin.ts').keys()];
    expect(packages).toEqual(['commander']);
  });

  it('--help loads the index of commands, no command module nor formatter (each is imported when its command runs)', () => {
    expect([...staticGraph('src/cli/bin.ts').files.keys()].filter((f) => f.startsWith('src/cli/')).sort()).toEqual(
      ['src/cli/bin.ts', 'src/cli/commands/index.ts', 'src/cli/exit-codes.ts', 'src/cli/program.ts', 'src/cli/runtime.ts'],
    );
  });

  it('opening the application (every command but --help) loads no server-only module', () => {
    expect(offending('src/main.ts', SERVER_ONLY)).toEqual([]);
  });

  it('the YAML libraries wait for the first YAML document (a supply-chain file, an OSCAL YAML upload), jsonc-parser for malformed JSON', () => {
    expect(offending('src/main.ts', ['yaml', 'js-yaml', 'jsonc-parser'])).toEqual([]);
  });

  it('the walk sees through the files it reads (it would catch a server module imported statically)', () => {
    expect(offending('src/http/server.ts', SERVER_ONLY).map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['@apollo/server', 'type-graphql', 'graphql-ws']));
    // What the library needs is reached through several files from the composition root, what assessments need from its second half.
    expect([...staticPackages('src/main.ts').keys()]).toEqual(expect.arrayContaining(['better-sqlite3', 'kysely']));
    expect([...staticPackages('src/wiring/services.ts').keys()]).toEqual(expect.arrayContaining(['pino', 'croner']));
    expect([...staticGraph('src/wiring/services.ts').files.keys()]).toEqual(expect.arrayContaining(['src/collectors/engine-collector.ts', 'src/checks/registry.ts']));
  });

  it('opening the application loads the library core only: the other services (collectors, checks, Docker, monitoring) wait for their first call', () => {
    const { files, packages } = staticGraph('src/main.ts');
    const later = [...files.keys()].filter((f) => /^src\/(collectors|checks|monitoring|assessment|remediation|nodes|reporting|supply-chain)\/|^src\/wiring\/(services|monitoring|serve)\.ts$/.test(f));
    expect(later.map((f) => files.get(f)!.join(' > '))).toEqual([]);
    expect(['pino', 'croner', 'dockerode', 'p-limit', 'microdiff'].filter((p) => packages.has(p)).map((p) => `${p}: ${packages.get(p)!.join(' > ')}`)).toEqual([]);
  });
});
