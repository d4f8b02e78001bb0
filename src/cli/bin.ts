#!/usr/bin/env node
/**
 * Entry point of the `plimsoll` executable. The application is loaded lazily from src/main.ts
 * (which exports `createCliRuntime(): CliRuntime`) so that `--help` and usage errors need no wiring; the
 * server's modules (and reflect-metadata, which only its GraphQL types need) load with `serve`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageInfo } from '../config/package-info.js';
import { runsBounded } from './commands/index.js';
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

const args = process.argv.slice(2);
const inProcess = (): Promise<number> => runCli(args, loadRuntime, io, { version: () => packageInfo(here).version });
// exitCode, not exit(): `serve` keeps the process alive after its command resolves. Commands whose memory grows
// with the fleet run this same module again in a worker thread with bounded heap limits (bounded-worker.ts).
process.exitCode = runsBounded(args) ? await (await import('./bounded-worker.js')).runBounded(new URL(import.meta.url), args, io, inProcess) : await inProcess();
