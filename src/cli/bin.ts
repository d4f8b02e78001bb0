#!/usr/bin/env node
/**
 * Entry point of the `plimsoll` executable. The application is loaded lazily from src/main.ts
 * (which exports `createCliRuntime(): CliRuntime`) so that `--help` and usage errors need no wiring.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** The package version, from the nearest package.json above this file (src/cli or dist/src/cli). */
function packageVersion(): string | undefined {
  for (let dir = here; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version;
  }
  return undefined;
}

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const version = packageVersion();
// exitCode, not exit(): `serve` keeps the process alive after its command resolves.
process.exitCode = await runCli(process.argv.slice(2), loadRuntime, io, version !== undefined ? { version } : {});
