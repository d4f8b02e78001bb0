#!/usr/bin/env node
/**
 * Entry point of the `plimsoll` executable. The application is loaded lazily from src/main.ts
 * (which exports `createCliRuntime(): CliRuntime`) so that `--help` and usage errors need no wiring; the
 * server's modules (and reflect-metadata, which only its GraphQL types need) load with `serve`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageInfo } from '../config/package-info.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { runCli } from './program.js';
import type { CliIo, CliRuntime } from './runtime.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Loads main.ts's runtime; the module path is computed so that this file compiles on its own. */
async function loadRuntime(): Promise<CliRuntime> {
  const mainUrl = new URL('../main.js', import.meta.url).href;
  let mod: { createCliRuntime?: () => CliRuntime | Promise<CliRuntime> };
  try {
    mod = (await import(mainUrl)) as typeof mod;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes(fileURLToPath(mainUrl))) {
      throw new PlimsollError(ErrorCode.INTERNAL, `The application is not built: ${fileURLToPath(mainUrl)} is missing (run npm run build)`);
    }
    throw e;
  }
  if (typeof mod.createCliRuntime !== 'function') {
    throw new PlimsollError(ErrorCode.INTERNAL, `${fileURLToPath(mainUrl)} does not export createCliRuntime()`);
  }
  return mod.createCliRuntime();
}

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const { version } = packageInfo(here);
// exitCode, not exit(): `serve` keeps the process alive after its command resolves.
process.exitCode = await runCli(process.argv.slice(2), loadRuntime, io, { version });
