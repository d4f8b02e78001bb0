/**
 * Replaces the build's dist/src/repositories/database/kysely.js (a re-export of the `kysely` package) with a
 * single-file ES module bundle of the installed package, so a process loads one file instead of ~260
 * (src/repositories/database/kysely.ts says why). Run after `tsc` by `npm run build` and `prepare`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// An explicit output path (tests) is written as is; the build's must exist, from tsc.
const out = process.argv[2] !== undefined ? path.resolve(process.argv[2]) : path.join(root, 'dist', 'src', 'repositories', 'database', 'kysely.js');
if (process.argv[2] === undefined && !fs.existsSync(out)) {
  console.error(`bundle-kysely: ${path.relative(root, out)} is missing: run tsc first`);
  process.exit(1);
}
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'kysely', 'package.json'), 'utf8'));
const { build } = await import('esbuild');
await build({
  stdin: { contents: "export * from 'kysely';", resolveDir: root, sourcefile: 'kysely-entry.js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: out,
  allowOverwrite: true,
  legalComments: 'inline',
  banner: { js: `// kysely ${version}, bundled by scripts/bundle-kysely.mjs (one file instead of ~260 ES modules).` },
  logLevel: 'error',
});
