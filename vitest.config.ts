import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { mirrorBeyondDefault } from './test/harness/content.js';

// A clone made elsewhere (a temporary directory) has no shared/data beside it: the suite then gives its
// processes the one the harness found (beside the checkout it was cloned from) through the documented setting.
const mirror = mirrorBeyondDefault();
if (mirror !== undefined) process.env.PLIMSOLL_CONTENT_MIRROR = mirror;

// SWC (not esbuild) transforms the tests so that type-graphql sees decorator metadata.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  // graphql ships CommonJS and ESM builds. Node (and so type-graphql and Apollo) load the CommonJS one;
  // without this alias vite would hand our code the ESM one, and schema objects would not be recognised.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: [],
  },
});
