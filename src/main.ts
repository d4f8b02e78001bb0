/**
 * The composition root: config → repositories → services → transports (CLI, HTTP/GraphQL). The only
 * module that imports from every layer. `createCliRuntime()` is what `plimsoll` (src/cli/bin.ts) loads.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { DefaultAssessmentService } from './assessment/assessment-service.js';
import { ChainedAuditService } from './auth/audit-service.js';
import { Authenticator } from './auth/authenticator.js';
import { OidcAuthenticator } from './auth/oidc-authenticator.js';
import { SeparationOfDuties } from './auth/separation-of-duties.js';
import { ServiceGateway } from './auth/service-gateway.js';
import { DefaultUserService } from './auth/user-service.js';
import { automationRecordFor } from './checks/automation.js';
import { CHECKS, checkFor } from './checks/registry.js';
import { remediationFor } from './checks/remediation.js';
import { EngineInventoryCollector } from './collectors/engine-inventory.js';
import { SwarmCollector } from './collectors/swarm-collector.js';
import { DaemonConfigCollector, HostFilesCollector } from './collectors/host-collector.js';
import { RegistryCollector } from './collectors/registry-collector.js';
import { TrustCollector } from './collectors/trust-collector.js';
import { staticSupplyChainSettings } from './domain/supply-chain.js';
import { registryClientFactory } from './repositories/registry-client.js';
import { NotaryTrustClient } from './repositories/trust-client.js';
import { HostAssetCollector } from './collectors/asset-collector.js';
import { hostAccess } from './repositories/host/host-access.js';
import { HelperLedger } from './repositories/host/helper-ledger.js';
import { ENV_HASH_SALT, InstallationSecretRepository } from './repositories/installation-secret-repository.js';
import { EnvRedactor } from './domain/env-redaction.js';
import type { PartCollector } from './collectors/part-collector.js';
import type { CliRuntime, OpenedApp, WiredApp } from './cli/runtime.js';
import { EngineCollector } from './collectors/engine-collector.js';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { packageInfo } from './config/package-info.js';
import { ErrorCode, PlimsollError } from './domain/errors.js';
import { DefaultExemptionService, ruleCatalogOf } from './exemptions/exemption-service.js';
import type { AppServices, AssessmentService, ImportService } from './domain/services.js';
import { startHttpServer } from './http/server.js';
import { DefaultBaselineService, LibraryProfileResolver } from './library/baseline-service.js';
import { DefaultConvertService } from './library/convert-service.js';
import { DefaultBenchmarkDiffService } from './library/benchmark-diff.js';
import { PinnedContentSyncService } from './library/content-sync-service.js';
import { DefaultCoverageService } from './library/coverage-service.js';
import { DefaultSearchService } from './library/search.js';
import { LibraryImportService } from './library/import-service.js';
import { ContentLibraryService } from './library/library-service.js';
import { detectLocalEngine, tlsFromCertPath } from './nodes/local-engine.js';
import { DefaultNodeAssetService } from './nodes/node-asset-service.js';
import { DockerNodeService } from './nodes/node-service.js';
import { AssessmentResultsWriter } from './reporting/oscal-ar-writer.js';
import { KyselyAssessmentRepository } from './repositories/assessment-repository.js';
import { AuditRepository } from './repositories/audit-repository.js';
import { BaselineRepository } from './repositories/baseline-repository.js';
import { ContentRepository } from './repositories/content-repository.js';
import { endpointAllowList } from './repositories/docker/endpoint-allowlist.js';
import { LocalFiles } from './repositories/local-files.js';
import { SecretBox, secretKeyMissing } from './repositories/secret-box.js';
import { KyselyUploadRepository } from './repositories/upload-repository.js';
import { StoredResultsDownloadService } from './uploads/download-service.js';
import { DefaultUploadService } from './uploads/upload-service.js';
import { upgradeLegacyTls } from './nodes/legacy-tls.js';
import { sealNodeTls } from './nodes/node-tls.js';
import type { Problem } from './domain/errors.js';
import { readTlsFiles } from './cli/local-content.js';
import { LibraryIndexRepository } from './repositories/library-index-repository.js';
import { ContentStore, loadContentSources, lookupMirror } from './repositories/content-store.js';
import { KyselyExemptionRepository } from './repositories/exemption-repository.js';
import { openDatabase } from './repositories/database/database.js';
import { dockerClientFactory, type DockerClientFactory } from './repositories/docker-client.js';
import { KyselyNodeAssetRepository } from './repositories/node-asset-repository.js';
import { KyselyNodeRepository } from './repositories/node-repository.js';
import { JoseOidcVerifier } from './repositories/oidc-verifier.js';
import { KyselyTargetResultRepository } from './repositories/target-result-repository.js';
import { TokenRepository } from './repositories/token-repository.js';
import { UserRepository } from './repositories/user-repository.js';

/** The pinned source whose schema validates every OSCAL JSON document read or written. */
const OSCAL_SCHEMA_SOURCE = 'oscal-schema-1.1.2';

/** Config errors become a PlimsollError so the CLI prints them like every other error. */
function readConfig(overrides: Parameters<typeof loadConfig>[0]): Config {
  try {
    return loadConfig(overrides);
  } catch (e) {
    if (e instanceof ConfigError) throw new PlimsollError(ErrorCode.CONFIG_INVALID, e.message, e.problems.map((message) => ({ message })));
    throw e;
  }
}

/**
 * A service built on first use. Import and assessment need the OSCAL schema, which may have to be synced
 * from the content mirror first; commands that never touch OSCAL (node list, token create) must not.
 */
function deferred<T extends object>(make: () => Promise<T>): T {
  let instance: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, prop) {
      return async (...args: unknown[]) => {
        instance ??= make();
        const service = await instance;
        const member = (service as Record<PropertyKey, unknown>)[prop];
        if (typeof member !== 'function') throw new TypeError(`${String(prop)} is not a service method`);
        return (member as (...a: unknown[]) => unknown).apply(service, args);
      };
    },
  });
}

/** The inventory parts collected after the engine's core inventory, once per node per run; helpers go into `ledger`. */
export function collectorParts(config: Config, ledger: HelperLedger = new HelperLedger()): PartCollector[] {
  const { root, helperImage, helperBusybox } = config.hostFiles;
  const access = hostAccess({ ...(root !== undefined ? { hostRoot: root } : {}), ...(helperImage !== undefined ? { helperImage } : {}), ...(helperBusybox !== undefined ? { helperBusybox } : {}), ledger });
  const supplyChain = staticSupplyChainSettings(config.supplyChain.environments);
  const remote = { timeoutMs: config.supplyChain.timeoutMs };
  // The daemon configuration first: the host files to read (TLS material, the socket) depend on it. Trust
  // last: it reads the images (engine) and the registries' tags collected before it.
  return [
    new EngineInventoryCollector(),
    new SwarmCollector(),
    new DaemonConfigCollector(access),
    new HostFilesCollector(access),
    new HostAssetCollector(access),
    new RegistryCollector(supplyChain, registryClientFactory(remote)),
    new TrustCollector(supplyChain, new NotaryTrustClient(remote)),
  ];
}

/** The authenticator: API tokens, the CLI's local users, and OIDC tokens when configured. */
function authenticatorOf(config: Config, users: UserRepository, tokens: TokenRepository, audit: ChainedAuditService): Authenticator {
  const o = config.oidc;
  const oidc =
    o === undefined
      ? undefined
      : new OidcAuthenticator({
          verifier: new JoseOidcVerifier({ jwksUrl: o.jwksUrl, issuer: o.issuer, audience: o.audience, clockToleranceSec: o.clockToleranceSec }),
          users,
          audit,
          settings: { issuer: o.issuer, rolesClaim: o.rolesClaim, roleMap: o.roleMap, usernameClaim: o.usernameClaim, autoProvision: o.autoProvision },
        });
  return new Authenticator({ users, tokens, audit, ...(oidc !== undefined ? { oidc } : {}) });
}

/**
 * Opens the database and wires every service behind the service gateway. `clients` replaces the Docker client
 * factory (integration tests wrap the real one, e.g. to stop a daemon in the middle of a collection).
 */
export async function wireApp(overrides: { db?: string; offline?: boolean; clients?: DockerClientFactory } = {}): Promise<WiredApp> {
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
  const endpoints = endpointAllowList(config.nodeAllowlist);
  const uploads = new DefaultUploadService(new KyselyUploadRepository(db, secrets), config.uploads);
  const contentRepo = new ContentRepository(db);
  const library = new ContentLibraryService(contentRepo);
  const baselineRepo = new BaselineRepository(db);
  const profileResolver = async (): Promise<LibraryProfileResolver> =>
    new LibraryProfileResolver({ listDocuments: (kind) => contentRepo.listDocuments(kind), loadCatalog: (id) => baselineRepo.loadCatalog(id) }, { oscalSchemaPath: await schemaPath(), mirror });
  const imports: ImportService = deferred(async () => new LibraryImportService(contentRepo, db, { oscalSchemaPath: await schemaPath(), baselines: baselineRepo, profiles: await profileResolver(), uploads }));
  const baselines = new DefaultBaselineService({ repo: baselineRepo, imports, resolver: profileResolver, uploads });
  const libraryIndex = new LibraryIndexRepository(db);
  const clients = overrides.clients ?? dockerClientFactory({ timeoutMs: config.docker.timeoutMs, ...(secrets ? { secrets } : {}), endpoints });
  const nodeRepo = new KyselyNodeRepository(db);
  const nodes = new DockerNodeService(nodeRepo, clients, { uploads, ...(secrets ? { secrets } : {}), endpoints });
  const nodeAssets = new DefaultNodeAssetService({ nodes, assets: new KyselyNodeAssetRepository(db) });
  // Nodes registered with TLS file paths before migration 0007: encrypted now when a key is configured.
  const legacyTls = secrets ? await upgradeLegacyTls(nodeRepo, new LocalFiles(), secrets) : undefined;
  const assessmentRepo = new KyselyAssessmentRepository(db);
  // The helper containers this instance creates: the only containers the inventory leaves out (by id).
  const helperLedger = new HelperLedger();
  // Environment values are stored as HMACs keyed by this salt: configured, else generated once and kept.
  const envHashSalt = async (): Promise<string> => config.envHashSalt ?? (await new InstallationSecretRepository(db).getOrCreate(ENV_HASH_SALT));
  const users = new UserRepository(db);
  const tokens = new TokenRepository(db);
  const audit = new ChainedAuditService({ audit: new AuditRepository(db) });
  const exemptions = new DefaultExemptionService({ repo: new KyselyExemptionRepository(db), rules: ruleCatalogOf(library), separation: new SeparationOfDuties(users) });
  const assessments: AssessmentService = deferred(
    async () =>
      new DefaultAssessmentService({
        repo: assessmentRepo,
        targetResults: new KyselyTargetResultRepository(db),
        library,
        imports,
        nodes,
        collector: new EngineCollector(clients, { parts: collectorParts(config, helperLedger), helpers: helperLedger, redactor: new EnvRedactor(await envHashSalt()) }),
        checks: { checkFor, automationFor: automationRecordFor, remediationFor },
        writer: AssessmentResultsWriter.fromSchema(await schemaPath()),
        exemptions,
        assets: nodeAssets,
      }, { tool: { name: 'Plimsoll', version: packageInfo(config.projectRoot).version } }),
  );
  const services: AppServices = {
    library,
    imports,
    nodes,
    nodeAssets,
    assessments,
    users: new DefaultUserService({ users, tokens, ...(config.oidc !== undefined ? { oidcIssuer: config.oidc.issuer } : {}) }),
    audit,
    contentSync,
    exemptions,
    baselines,
    convert: new DefaultConvertService({ schemaPath }),
    benchmarkDiff: new DefaultBenchmarkDiffService({ library, uploads }),
    coverage: new DefaultCoverageService({ library, index: libraryIndex, baselines: { get: (ref) => baselines.get(ref), controlsOf: (id) => baselineRepo.controlsOf(id) }, automated: (stigId) => checkFor(stigId) !== undefined }),
    search: new DefaultSearchService({ index: libraryIndex, library, baselines }),
    uploads,
    downloads: new StoredResultsDownloadService({ assessments, baselines }),
  };
  const gateway = new ServiceGateway({ services, audit, authenticator: authenticatorOf(config, users, tokens, audit) });
  return { gateway, config, close: () => db.destroy(), ...(legacyTls ? { startup: { legacyTls } } : {}), ...(secrets ? { secrets } : {}) };
}

/** The wired application with the services bound to the CLI's user (`as`, else PLIMSOLL_USER, else the local operator). */
export async function openApp(overrides: { db?: string; offline?: boolean; as?: string; clients?: DockerClientFactory } = {}): Promise<OpenedApp> {
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

/** First-start work of the server, done as Plimsoll's system user: TLS keys, reference content, interrupted runs, the admin token, the local engine. */
async function prepareServer(app: WiredApp, log: Logger): Promise<void> {
  const { config } = app;
  const services = app.gateway.servicesFor(await app.gateway.system());
  // TLS nodes need the key that opens their private keys: say so before anything else takes time.
  for (const f of app.startup?.legacyTls?.failed ?? []) log.warn({ node: f.node, reason: f.reason }, 'a node registered with TLS file paths could not be encrypted; register it again with its PEM content');
  if (app.startup?.legacyTls?.upgraded.length) log.info({ nodes: app.startup.legacyTls.upgraded }, 'encrypted the TLS material of nodes registered with file paths');
  const tlsNodes = (await services.nodes.list()).filter((n) => n.tls !== undefined);
  if (tlsNodes.length > 0 && app.secrets === undefined) throw secretKeyMissing(`${tlsNodes.length} registered node(s) use mutual TLS (${tlsNodes.slice(0, 5).map((n) => n.name).join(', ')}): the server`);

  // Content first: a missing file is named (all of them, with the way to provide them) before anything else.
  const sources = services.contentSync.listSources();
  const paths = await services.contentSync.pathsOf(sources.map((s) => s.name));
  // The server's own pinned content, read from its cache and imported under its file name.
  const local = new LocalFiles();
  const files = await Promise.all(sources.filter((s) => s.import).map(async (s) => ({ ...(await local.readContent(paths.get(s.name)!)), name: s.file })));
  for (const s of await services.imports.importDocuments(files)) {
    log.info({ kind: s.kind, id: s.id, version: s.version, release: s.release, counts: s.counts, alreadyPresent: s.alreadyPresent }, 'reference content');
  }

  const interrupted = await services.assessments.markInterrupted();
  if (interrupted > 0) log.warn({ interrupted }, 'assessments left running by a stopped process were marked interrupted');

  const { createdSecret } = await services.users.bootstrapAdmin(config.adminToken);
  if (createdSecret !== undefined) {
    process.stdout.write(`\nAdmin token (shown once; set PLIMSOLL_ADMIN_TOKEN to choose your own):\n  ${createdSecret}\n\n`);
  }

  // DOCKER_CERT_PATH holds the operator's own TLS files for a tcp:// DOCKER_HOST: read them, encrypt the key.
  const dockerHost = config.docker.host;
  const tlsFiles = dockerHost?.startsWith('tcp://') && config.docker.certPath ? await readTlsFiles(tlsFromCertPath(config.docker.certPath)) : undefined;
  const problems: Problem[] = [];
  const tls = tlsFiles ? sealNodeTls(tlsFiles, app.secrets, problems) : undefined;
  if (problems.length > 0) throw new PlimsollError(ErrorCode.CONFIG_INVALID, `DOCKER_CERT_PATH does not hold usable TLS material: ${problems.map((p) => p.message).join('; ')}`, problems);
  const endpoint = await detectLocalEngine({ dockerHost, ...(tls ? { tls } : {}) });
  if (endpoint === undefined) {
    log.info('no local Docker engine answered (DOCKER_HOST or /var/run/docker.sock); register nodes with `plimsoll node add`');
  } else if ((await services.nodes.find(endpoint)) === undefined) {
    const name = (await services.nodes.find('local')) === undefined ? 'local' : `local-${Date.now()}`;
    const node = await services.nodes.register({ name, endpoint, ...(tlsFiles ? { tls: tlsFiles } : {}) });
    log.info({ node: node.name, endpoint }, 'registered the local Docker engine');
  }
}

/** Runs the HTTP server until SIGINT/SIGTERM. */
async function serve(opts: { port?: number; host?: string; db?: string }): Promise<void> {
  const app = await wireApp(opts.db !== undefined ? { db: opts.db } : {});
  const log = pino({ level: app.config.logLevel });
  try {
    await prepareServer(app, log);
    const server = await startHttpServer({
      gateway: app.gateway,
      host: opts.host ?? app.config.host,
      port: opts.port ?? app.config.port,
      logger: log,
    });
    log.info({ url: server.url, checks: CHECKS.length }, 'Plimsoll is listening');
    process.stdout.write(`Plimsoll GraphQL API at ${server.url} (health: ${server.url.replace(/\/graphql$/, '/health')})\n`);
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      void server
        .close()
        .then(() => app.close())
        .finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    await app.close();
    throw e;
  }
}

export function createCliRuntime(): CliRuntime {
  return { open: openApp, serve };
}
