/**
 * What the CLI needs from the application, implemented by src/main.ts: open the wired services
 * (config from the environment, explicit flags winning) and run the server. Commands depend on
 * this interface only, so they are tested with an in-memory runtime.
 */
import type { CallerServices } from '../auth/service-policy.js';
import type { ServiceGateway } from '../auth/service-gateway.js';
import type { Config } from '../config/config.js';
import type { Caller } from '../domain/auth.js';
import type { LegacyTlsOutcome } from '../nodes/legacy-tls.js';
import type { SecretBox } from '../repositories/secret-box.js';

/** The wired application: its config and the gateway to its services; `close` releases the database and clients. */
export interface WiredApp {
  config: Config;
  gateway: ServiceGateway;
  close(): Promise<void>;
  /** What opening did besides wiring (nodes whose legacy TLS files were encrypted), for the server to log. */
  startup?: { legacyTls?: LegacyTlsOutcome };
  /** The secret key's box, when PLIMSOLL_SECRET_KEY is set (the server checks TLS nodes against it at start). */
  secrets?: SecretBox;
}

/** The application as the CLI uses it: the services bound to the CLI's user (every call role-checked and audited). */
export interface OpenedApp extends WiredApp {
  /** Who the CLI acts as: a user, or anonymous (an unknown --as) with the reason, refused at the first service call. */
  caller: Caller;
  services: CallerServices;
}

/** What opening the application takes: `db` → dbPath, `offline` → offline, `as` → the user the CLI acts as. */
export interface OpenOptions {
  db?: string;
  offline?: boolean;
  as?: string;
}

export interface CliRuntime {
  /** Loads config (the options overriding the environment), opens the database and wires services. */
  open(opts: OpenOptions): Promise<OpenedApp>;
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
  /** Opens the app (as the user of the global --as option, when given), runs `fn`, and always closes it. */
  withApp<T>(opts: { db?: string | undefined; offline?: boolean }, fn: (app: OpenedApp) => Promise<T>): Promise<T>;
}

/** Builds the command context over a runtime source, loading the runtime at most once; `actingAs` reads the global --as. */
export function createCliContext(source: CliRuntimeSource, io: CliIo, actingAs: () => string | undefined = () => undefined): CliContext {
  let loaded: Promise<CliRuntime> | undefined;
  const runtime = (): Promise<CliRuntime> => (loaded ??= typeof source === 'function' ? source() : Promise.resolve(source));
  return {
    io,
    runtime,
    async withApp(opts, fn) {
      const as = actingAs();
      const app = await (await runtime()).open({ ...(opts.db !== undefined ? { db: opts.db } : {}), ...(opts.offline ? { offline: true } : {}), ...(as !== undefined ? { as } : {}) });
      try {
        return await fn(app);
      } finally {
        await app.close();
      }
    },
  };
}
