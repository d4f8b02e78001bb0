#!/usr/bin/env node
/**
 * Entry point of the `plimsoll` executable. The application is loaded lazily from src/main.ts
 * (which exports `createCliRuntime(): CliRuntime`) so that `--help` and usage errors need no wiring; the
 * server's modules (and reflect-metadata, which only its GraphQL types need) load with `serve`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageInfo } from '../config/package-info.js';
import { runCli } from './program.js';
import type { CliIo, CliRuntime } from './runtime.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Loads main.ts's runtime. A literal specifier, so that the build's bundle (scripts/bundle-cli.mjs) splits the
 * application into chunks of its own, loaded only here.
 */
async function loadRuntime(): Promise<CliRuntime> {
  const { createCliRuntime } = await import('../main.js');
  return createCliRuntime();
}

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

// exitCode, not exit(): `serve` keeps the process alive after its command resolves.
process.exitCode = await runCli(process.argv.slice(2), loadRuntime, io, { version: () => packageInfo(here).version });
