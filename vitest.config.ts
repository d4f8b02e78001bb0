import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

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
