/**
 * Bundles the compiled CLI (dist/src/cli/bin.js and everything it imports from dist/src, the composition root
 * and the server included) into dist/cli/: the executable `plimsoll.js` and shared chunks, split at every
 * dynamic import() so that `--help` loads only commander and the index of commands (src/cli/commands/index.ts), a
 * command its own module, and `assess` no server module.
 * A process then opens a handful of files instead of ~330 ES modules, which is most of what Node's module
 * loader costs it (`plimsoll --help` about half its instructions above a bare `node -e 0`; README, Cold start).
 * Installed packages stay external (native addons, CommonJS packages that require files at run time), but for
 * a few small pure ES module packages that ship as many files (uuid alone is some 20) and commander, which every
 * process loads first (CommonJS: the banner gives the bundle a `require` for its Node built-ins); Kysely too, whether
 * dist/src/repositories/database/kysely.js is already its bundle (scripts/bundle-kysely.mjs) or, after a bare tsc,
 * the re-export of the package's ~260 modules.
 * Function and class names are kept: GraphQL type names, error names and log fields read them.
 *
 * Run after tsc and bundle-kysely by `npm run build` and `prepare`; package.json's bin points here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Dependencies bundled in: no native code, no files read at run time. */
const BUNDLED = new Set(['uuid', 'p-limit', 'microdiff', 'croner', 'commander', 'kysely']);
const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const entry = path.join(root, 'dist', 'src', 'cli', 'bin.js');
const outdir = path.join(root, 'dist', 'cli');
if (!fs.existsSync(entry)) {
  console.error(`bundle-cli: ${path.relative(root, entry)} is missing: run tsc first`);
  process.exit(1);
}
const { build } = await import('esbuild');

/**
 * commander requires node:child_process at load, for executable subcommands (`plimsoll-NAME` files) this program
 * never has: that module brings net, dgram and perf_hooks, some 6 M instructions of every `--help`. Inside commander
 * it becomes an object that requires the module on first use.
 */
const lazyChildProcessInCommander = {
  name: 'lazy-child-process-in-commander',
  setup(b) {
    b.onResolve({ filter: /^(?:node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let m;\nmodule.exports = new Proxy({}, { get: (_, key) => (m ??= require('node:child_process'))[key] });\n",
      loader: 'js',
    }));
  },
};
// Chunks of an earlier build would otherwise stay beside the new ones.
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { plimsoll: entry },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  keepNames: true,
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'inline',
  banner: { js: "import { createRequire as __plimsollCreateRequire } from 'node:module';\nconst require = __plimsollCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcessInCommander],
  logLevel: 'error',
});
