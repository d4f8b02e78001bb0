/**
 * What the CLI needs from the application, implemented by src/main.ts: open the wired services
 * (config from the environment, explicit flags winning) and run the server. Commands depend on
 * this interface only, so they are tested with an in-memory runtime.
 */
import type { Config } from '../config/config.js';
import type { AppServices } from '../domain/services.js';
import type { LegacyTlsOutcome } from '../nodes/legacy-tls.js';
import type { SecretBox } from '../repositories/secret-box.js';

/** An opened application: its services and config; `close` releases the database and clients. */
export interface OpenedApp {
  services: AppServices;
  config: Config;
  close(): Promise<void>;
  /** What opening did besides wiring (nodes whose legacy TLS files were encrypted), for the server to log. */
  startup?: { legacyTls?: LegacyTlsOutcome };
  /** The secret key's box, when PLIMSOLL_SECRET_KEY is set (the server checks TLS nodes against it at start). */
  secrets?: SecretBox;
}

export interface CliRuntime {
  /** Loads config (with `db` → dbPath and `offline` → offline as overrides), opens the database and wires services. */
  open(opts: { db?: string; offline?: boolean }): Promise<OpenedApp>;
  /** Starts the server; resolves once it is listening (the process then stays up until signalled). */
  serve(opts: { port?: number; host?: string; db?: string }): Promise<void>;
}

/** The runtime, or a loader of it: `--help` and usage errors must work without wiring the application. */
export type CliRuntimeSource = CliRuntime | (() => Promise<CliRuntime>);

/** Where the CLI writes; each call is one or more complete lines without the trailing newline. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What every command module receives. */
export interface CliContext {
  io: CliIo;
  runtime(): Promise<CliRuntime>;
  /** Opens the app, runs `fn`, and always closes it. */
  withApp<T>(opts: { db?: string; offline?: boolean }, fn: (app: OpenedApp) => Promise<T>): Promise<T>;
}

/** Builds the command context over a runtime source, loading the runtime at most once. */
export function createCliContext(source: CliRuntimeSource, io: CliIo): CliContext {
  let loaded: Promise<CliRuntime> | undefined;
  const runtime = (): Promise<CliRuntime> => (loaded ??= typeof source === 'function' ? source() : Promise.resolve(source));
  return {
    io,
    runtime,
    async withApp(opts, fn) {
      const app = await (await runtime()).open(opts);
      try {
        return await fn(app);
      } finally {
        await app.close();
      }
    },
  };
}
