/**
 * The composition root: config → repositories → services → transports (CLI, HTTP/GraphQL). With
 * src/wiring/ (the services beyond the library, the monitoring, the server's start) the only modules that
 * import from every layer. `createCliRuntime()` is what `plimsoll` (src/cli/bin.ts) loads.
 *
 * This module wires the library core (content sync, library, import, baselines, uploads, users, audit) and the
 * service gateway; src/wiring/services.ts wires the rest. A CLI process opens the application lazily: the rest is
 * loaded and wired on the first call of one of its services, so `plimsoll import` loads neither the collectors,
 * the checks, Docker's client nor the monitoring (issue #12 item 4). The server and the tests wire everything
 * when they open. What only some commands use is imported where it is first used (the HTTP server and GraphQL,
 * report renderers and PDF, the OIDC verifier).
 */
import path from 'node:path';
import { ChainedAuditService } from './auth/audit-service.js';
import { Authenticator } from './auth/authenticator.js';
import { OidcAuthenticator, type OidcVerifier } from './auth/oidc-authenticator.js';
import { ServiceGateway } from './auth/service-gateway.js';
import { DefaultUserService } from './auth/user-service.js';
import type { CliRuntime, OpenedApp, WiredApp } from './cli/runtime.js';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import type { EventPublisher } from './domain/events.js';
import { ErrorCode, PlimsollError } from './domain/errors.js';
import type { AppServices, ImportService } from './domain/services.js';
import { OSCAL_SCHEMA_SOURCE } from './formats/oscal/generated-validators.js';
import { DefaultBaselineService, LibraryProfileResolver } from './library/baseline-service.js';
import { PinnedContentSyncService } from './library/content-sync-service.js';
import { LibraryImportService } from './library/import-service.js';
import { ContentLibraryService } from './library/library-service.js';
import type { LegacyTlsOutcome } from './nodes/legacy-tls.js';
import { AuditRepository } from './repositories/audit-repository.js';
import { BaselineRepository } from './repositories/baseline-repository.js';
import type { Clock } from './repositories/clock.js';
import { ContentRepository } from './repositories/content-repository.js';
import { ContentStore, loadContentSources, lookupMirror } from './repositories/content-store.js';
import { openDatabase, type Db } from './repositories/database/database.js';
import type { DockerClientFactory } from './repositories/docker-client.js';
import { LocalFiles } from './repositories/local-files.js';
import type { JoseVerifierOptions } from './repositories/oidc-verifier.js';
import { SecretBox } from './repositories/secret-box.js';
import { TokenRepository } from './repositories/token-repository.js';
import { KyselyUploadRepository } from './repositories/upload-repository.js';
import { UserRepository } from './repositories/user-repository.js';
import { DefaultUploadService } from './uploads/upload-service.js';
import { deferred } from './wiring/deferred.js';
import { LATER_SERVICES, type LaterService } from './wiring/service-groups.js';
import type { LaterServices, LibraryCore } from './wiring/services.js';

/** Config errors become a PlimsollError so the CLI prints them like every other error. */
function readConfig(overrides: Parameters<typeof loadConfig>[0]): Config {
  try {
    return loadConfig(overrides);
  } catch (e) {
    if (e instanceof ConfigError) throw new PlimsollError(ErrorCode.CONFIG_INVALID, e.message, e.problems.map((message) => ({ message })));
    throw e;
  }
}

/** The OIDC verifier (jose), loaded when the first OIDC token arrives: CLI processes never verify one. */
function lazyOidcVerifier(options: JoseVerifierOptions): OidcVerifier {
  let verifier: Promise<OidcVerifier> | undefined;
  return {
    verify: async (jwt) => {
      verifier ??= import('./repositories/oidc-verifier.js').then(({ JoseOidcVerifier }) => new JoseOidcVerifier(options));
      return (await verifier).verify(jwt);
    },
  };
}

/** The authenticator: API tokens, the CLI's local users, and OIDC tokens when configured. */
function authenticatorOf(config: Config, users: UserRepository, tokens: TokenRepository, audit: ChainedAuditService): Authenticator {
  const o = config.oidc;
  const oidc =
    o === undefined
      ? undefined
      : new OidcAuthenticator({
          verifier: lazyOidcVerifier({ jwksUrl: o.jwksUrl, issuer: o.issuer, audience: o.audience, clockToleranceSec: o.clockToleranceSec }),
          users,
          audit,
          settings: { issuer: o.issuer, rolesClaim: o.rolesClaim, roleMap: o.roleMap, usernameClaim: o.usernameClaim, autoProvision: o.autoProvision },
        });
  return new Authenticator({ users, tokens, audit, ...(oidc !== undefined ? { oidc } : {}) });
}

/** Nodes registered with TLS file paths before migration 0007, encrypted with the secret key (their modules load only then). */
async function upgradeLegacyTlsOf(db: Db, secrets: SecretBox): Promise<LegacyTlsOutcome> {
  const [{ upgradeLegacyTls }, { KyselyNodeRepository }] = await Promise.all([import('./nodes/legacy-tls.js'), import('./repositories/node-repository.js')]);
  return upgradeLegacyTls(new KyselyNodeRepository(db), new LocalFiles(), secrets);
}

/** The services of src/wiring/services.ts, each wired (all of them at once) on the first call of one of its methods. */
function laterServicesOnFirstCall(wire: () => Promise<LaterServices>): Pick<AppServices, LaterService> {
  return Object.fromEntries(LATER_SERVICES.map((name) => [name, deferred(async () => (await wire()).services[name])])) as unknown as Pick<AppServices, LaterService>;
}

/**
 * How to open the application: `db` → dbPath, `offline` → offline; `clients` replaces the Docker client factory
 * (integration tests wrap the real one, e.g. to stop a daemon in the middle of a collection); `events` receives
 * the domain events the services publish; `lazy` wires the services beyond the library core on the first call
 * of one of them instead of now (the CLI: a command loads only what it uses; the app then has no `monitor`).
 */
export interface WireOptions {
  db?: string;
  offline?: boolean;
  clients?: DockerClientFactory;
  events?: EventPublisher;
  clock?: Clock;
  lazy?: boolean;
}

/** Opens the database and wires every service behind the service gateway. */
export async function wireApp(overrides: WireOptions = {}): Promise<WiredApp> {
  const config = readConfig({ ...(overrides.db ? { dbPath: path.resolve(overrides.db) } : {}), ...(overrides.offline ? { offline: true } : {}) });
  const db = await openDatabase(config.dbPath);
  const sources = await loadContentSources(path.join(config.projectRoot, 'catalogs', 'sources.json'));
  const contentStore = new ContentStore({ cacheDir: config.contentCacheDir, mirrors: config.contentMirrors });
  const contentSync = new PinnedContentSyncService(contentStore, sources, { offline: config.offline });
  // Imports named only by URL are looked up by file name in the content mirror (indexed once per process).
  let mirrorIndex: ReturnType<ContentStore['indexMirrors']> | undefined;
  const mirror = { find: async (name: string) => lookupMirror(await (mirrorIndex ??= contentStore.indexMirrors()), name)[0] };
  const schemaPath = (): Promise<string> => contentSync.pathOf(OSCAL_SCHEMA_SOURCE);

  const secrets = config.secretKey ? new SecretBox(config.secretKey) : undefined;
  const uploads = new DefaultUploadService(new KyselyUploadRepository(db, secrets), config.uploads);
  const contentRepo = new ContentRepository(db);
  const library = new ContentLibraryService(contentRepo);
  const baselineRepo = new BaselineRepository(db);
  const profileResolver = async (): Promise<LibraryProfileResolver> =>
    new LibraryProfileResolver({ listDocuments: (kind) => contentRepo.listDocuments(kind), loadCatalog: (id) => baselineRepo.loadCatalog(id) }, { oscalSchemaPath: await schemaPath(), mirror });
  const imports: ImportService = deferred(async () => new LibraryImportService(contentRepo, db, { oscalSchemaPath: await schemaPath(), baselines: baselineRepo, profiles: await profileResolver(), uploads }));
  const baselines = new DefaultBaselineService({ repo: baselineRepo, imports, resolver: profileResolver, uploads });
  // Nodes registered with TLS file paths before migration 0007: encrypted now when a key is configured.
  const legacyTls = secrets ? await upgradeLegacyTlsOf(db, secrets) : undefined;
  const users = new UserRepository(db);
  const tokens = new TokenRepository(db);
  const audit = new ChainedAuditService({ audit: new AuditRepository(db) });
  // The gateway is built after the services; the scheduler reaches it late, to run schedules as their owners.
  let gatewayRef: ServiceGateway | undefined;
  const { clients, events, clock } = overrides;
  const core: LibraryCore = {
    config, db, secrets, uploads, library, imports, baselines, baselineRepo, users, audit, schemaPath,
    gateway: () => gatewayRef!,
    overrides: { ...(clients !== undefined ? { clients } : {}), ...(events !== undefined ? { events } : {}), ...(clock !== undefined ? { clock } : {}) },
  };
  let later: Promise<LaterServices> | undefined;
  const wireLater = (): Promise<LaterServices> => (later ??= import('./wiring/services.js').then((m) => m.wireLaterServices(core)));
  const wired = overrides.lazy === true ? undefined : await wireLater();
  const services: AppServices = {
    library,
    imports,
    users: new DefaultUserService({ users, tokens, ...(config.oidc !== undefined ? { oidcIssuer: config.oidc.issuer } : {}) }),
    audit,
    contentSync,
    baselines,
    uploads,
    ...(wired?.services ?? laterServicesOnFirstCall(wireLater)),
  };
  const gateway = new ServiceGateway({ services, audit, authenticator: authenticatorOf(config, users, tokens, audit) });
  gatewayRef = gateway;
  return {
    gateway,
    config,
    ...(wired !== undefined ? { monitor: wired.monitor } : {}),
    close: async () => {
      // A half that failed to wire has nothing to stop.
      if (later !== undefined) await later.then((l) => l.close(), () => undefined);
      await db.destroy();
    },
    ...(legacyTls ? { startup: { legacyTls } } : {}),
    ...(secrets ? { secrets } : {}),
  };
}

/** The wired application with the services bound to the CLI's user (`as`, else PLIMSOLL_USER, else the local operator). */
export async function openApp(overrides: WireOptions & { as?: string } = {}): Promise<OpenedApp> {
  const { as, ...rest } = overrides;
  const app = await wireApp(rest);
  try {
    const caller = await app.gateway.localCaller(as ?? app.config.cliUser);
    return { ...app, caller, services: app.gateway.servicesFor(caller) };
  } catch (e) {
    await app.close();
    throw e;
  }
}

/** The CLI's runtime: the application opened lazily for commands; `serve` loads the server's start and wires everything. */
export function createCliRuntime(): CliRuntime {
  return {
    open: (opts) => openApp({ ...opts, lazy: true }),
    serve: async (opts) => (await import('./wiring/serve.js')).serve(opts, wireApp),
  };
}
