/**
 * The single-file Kysely bundle the build puts in place of src/repositories/database/kysely.ts's re-export: the
 * same exports as the installed package, from the same version, and working (a query compiled by both agrees).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as kysely from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../harness/content.js';

const dir = tempDir('plimsoll-kysely-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the Kysely bundle', () => {
  it('exports what the installed package exports, names its version, and compiles the same SQL', async () => {
    const out = path.join(dir, 'kysely.js');
    await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts', 'bundle-kysely.mjs'), out]);
    const text = fs.readFileSync(out, 'utf8');
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', 'kysely', 'package.json'), 'utf8')) as { version: string };
    expect(text.split('\n')[0]).toBe(`// kysely ${version}, bundled by scripts/bundle-kysely.mjs (one file instead of ~260 ES modules).`);
    expect(text).not.toMatch(/^\s*(import|export)\b[^\n]*from ['"]kysely/m);
    const bundled = (await import(pathToFileURL(out).href)) as typeof kysely;
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(kysely).sort());
    const compile = (k: typeof kysely) =>
      new k.Kysely<{ t: { a: number; b: string } }>({ dialect: { createAdapter: () => new k.SqliteAdapter(), createDriver: () => new k.DummyDriver(), createIntrospector: (db) => new k.SqliteIntrospector(db), createQueryCompiler: () => new k.SqliteQueryCompiler() } })
        .selectFrom('t').select(['a', k.sql<string>`upper(b)`.as('u')]).where('a', '>', 3).orderBy('a').limit(5).compile();
    expect(compile(bundled)).toEqual(compile(kysely));
  });
});
