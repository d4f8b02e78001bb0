/**
 * dockerode, loaded without the parts Plimsoll never uses. At require time dockerode loads its BuildKit session
 * support (gRPC and protobufjs, about a third of the modules an assessment loads) and docker-modem loads ssh2, yet
 * Plimsoll builds no images and reaches engines over unix:// and tcp:// only. Both modules export one function:
 * they are entered in the CommonJS cache as functions that load the real module on their first call, before
 * dockerode itself is required. A dockerode whose files are laid out otherwise is loaded as it is.
 */
import { createRequire, Module } from 'node:module';
import type DockerModule from 'dockerode';

const load = createRequire(import.meta.url);

/** Registers `file` (a CommonJS module exporting one function) as a function loading the real module when called. */
export function deferFunctionModule(file: string | undefined): void {
  if (file === undefined || load.cache[file] !== undefined) return;
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  let real: ((...args: unknown[]) => unknown) | undefined;
  stub.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    if (real === undefined) {
      delete load.cache[file];
      real = load(file) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  load.cache[file] = stub;
}

/** The file `request` resolves to from `from`, or undefined when it does not (another layout). */
function resolveFrom(from: string, request: string): string | undefined {
  try {
    return createRequire(from).resolve(request);
  } catch {
    return undefined;
  }
}

const dockerodeMain = load.resolve('dockerode');
/** The files deferred: dockerode's BuildKit session and docker-modem's SSH agent (undefined: not found, loaded as they are). */
export const DEFERRED_DOCKERODE_FILES = [resolveFrom(dockerodeMain, './session.js'), resolveFrom(resolveFrom(dockerodeMain, 'docker-modem') ?? dockerodeMain, './ssh.js')];

let docker: typeof DockerModule | undefined;

/**
 * dockerode's Docker class, required on the first call: commands that reach no engine (`plimsoll import`) never
 * pay for loading dockerode and docker-modem (about 0.2 s of CPU), though the composition root wires the clients.
 */
export function dockerClass(): typeof DockerModule {
  if (docker === undefined) {
    DEFERRED_DOCKERODE_FILES.forEach(deferFunctionModule);
    docker = load('dockerode') as typeof DockerModule;
  }
  return docker;
}
