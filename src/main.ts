/**
 * The composition root: config → repositories → services → transports (CLI, HTTP/GraphQL). The only
 * module that imports from every layer. `createCliRuntime()` is what `plimsoll` (src/cli/bin.ts) loads.
 *
 * What only some commands use is imported where it is first used (the HTTP server and GraphQL, report renderers
 * and PDF, the OIDC verifier): a CLI process loads only the modules its command needs.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { localRunnerHost, runnerIdOf } from './assessment/runner.js';
import type { ExemptionService, LibraryService, NodeService } from './domain/services.js';
import { InProcessEventBus } from './monitoring/event-bus.js';
import { ExpiryWatcher, type ExpirySource } from './monitoring/expiry-watcher.js';
import { JobRunner } from './monitoring/job-runner.js';
import { Monitor } from './monitoring/monitor.js';
import { LiveNotificationService, nodeVisibility } from './monitoring/notification-service.js';
import { DefaultScheduleService } from './monitoring/schedule-service.js';
import { Scheduler } from './monitoring/scheduler.js';
import { DefaultWebhookService, type WebhookSecretBox } from './monitoring/webhook-service.js';
import { WebhookWorker, startWebhookDispatcher } from './monitoring/webhook-worker.js';
import { systemClock, type Clock } from './repositories/clock.js';
import { CronerRepository } from './repositories/cron.js';
import type { Db } from './repositories/database/database.js';
import { HttpWebhookTransport, WebhookTargetRules } from './repositories/http/webhook-http.js';
import { KyselyExpiryNoticeRepository } from './repositories/monitoring/expiry-notice-repository.js';
import { KyselyScheduleRepository } from './repositories/monitoring/schedule-repository.js';
import { KyselyWebhookRepository } from './repositories/monitoring/webhook-repository.js';
import { pino, type Logger } from 'pino';
import { DefaultAssessmentService } from './assessment/assessment-service.js';
import { ChainedAuditService } from './auth/audit-service.js';
import { Authenticator } from './auth/authenticator.js';
import { OidcAuthenticator, type OidcVerifier } from './auth/oidc-authenticator.js';
import type { JoseVerifierOptions } from './repositories/oidc-verifier.js';
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
import { staticSupplyChainSettings, type SupplyChainSettingsSource } from './domain/supply-chain.js';
import { KyselySupplyChainRepository } from './repositories/supply-chain-repository.js';
import { RegisteredSupplyChainSettings } from './supply-chain/registered-settings.js';
import { DefaultSupplyChainService } from './supply-chain/supply-chain-service.js';
import { EnvironmentPolicyCollector } from './collectors/environment-policy-collector.js';
import { registryClientFactory } from './repositories/registry-client.js';
import { NotaryTrustClient } from './repositories/trust-client.js';
import { HostAssetCollector } from './collectors/asset-collector.js';
import { hostAccess } from './repositories/host/host-access.js';
import { HelperLedger } from './repositories/host/helper-ledger.js';
import { ENV_HASH_SALT, InstallationSecretRepository } from './repositories/installation-secret-repository.js';
import { EnvRedactor } from './domain/env-redaction.js';
import { secretClassifier } from './domain/secret-classifier.js';
import type { PartCollector } from './collectors/part-collector.js';
import type { CliRuntime, OpenedApp, WiredApp } from './cli/runtime.js';
import { EngineCollector } from './collectors/engine-collector.js';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { packageInfo } from './config/package-info.js';
import { ErrorCode, PlimsollError } from './domain/errors.js';
import { DefaultExemptionService, ruleCatalogOf } from './exemptions/exemption-service.js';
import { DefaultRemediationService } from './remediation/remediation-service.js';
import type { AppServices, AssessmentService, ImportService, ReportService } from './domain/services.js';
import { DefaultBaselineService, LibraryProfileResolver } from './library/baseline-service.js';
import { DefaultConvertService } from './library/convert-service.js';
import { DefaultBenchmarkDiffService } from './library/benchmark-diff.js';
import { BuiltinBenchmarks } from './library/builtin-benchmarks.js';
import { BuiltinBenchmarkFiles } from './repositories/builtin-benchmark-files.js';
import { PinnedContentSyncService } from './library/content-sync-service.js';
import { DefaultCoverageService } from './library/coverage-service.js';
import { DefaultSearchService } from './library/search.js';
import { LibraryImportService } from './library/import-service.js';
import { ContentLibraryService } from './library/library-service.js';
import { detectLocalEngine, tlsFromCertPath } from './nodes/local-engine.js';
import { DefaultNodeAssetService } from './nodes/node-asset-service.js';
import { DockerNodeService } from './nodes/node-service.js';
import { AssessmentResultsWriter } from './reporting/oscal-ar-writer.js';
import { OSCAL_SCHEMA_SOURCE } from './formats/oscal/generated-validators.js';
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
import { KyselyReviewRepository } from './repositories/review-repository.js';
import { DefaultReviewService } from './reviews/review-service.js';
import { ChecklistImportService } from './reviews/checklist-import-service.js';
import { openDatabase } from './repositories/database/database.js';
import { dockerClientFactory, engineUpdateClientFactory, type DockerClientFactory } from './repositories/docker-client.js';
import { KyselyNodeAssetRepository } from './repositories/node-asset-repository.js';
import { KyselyNodeRepository } from './repositories/node-repository.js';
import { KyselyRemediationRepository } from './repositories/remediation-repository.js';
import { KyselyTargetResultRepository } from './repositories/target-result-repository.js';
import { TokenRepository } from './repositories/token-repository.js';
import { UserRepository } from './repositories/user-repository.js';
import type { EventPublisher } from './domain/events.js';
import { DriftComparer } from './monitoring/drift-comparer.js';
import { DriftContext, exemptionExpiries, reviewExpiries } from './monitoring/drift-context.js';
import { DriftRecorder } from './monitoring/drift-recorder.js';
import { DefaultDriftService } from './monitoring/drift-service.js';
import { DefaultHistoryService } from './monitoring/history-service.js';
import { KyselyDriftReportRepository } from './repositories/drift-report-repository.js';
import { KyselyDriftSourceRepository } from './repositories/drift-source-repository.js';
import { KyselyPostureRepository } from './repositories/posture-repository.js';
import { KyselyReferenceRunRepository } from './repositories/reference-run-repository.js';
import { SigningKeyRepository } from './repositories/signing-key-repository.js';

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

/** A value made once, on first use. */
function deferredValue<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

/** The inventory parts collected after the engine's core inventory, once per node per run; helpers go into `ledger`. */
export function collectorParts(config: Config, ledger: HelperLedger = new HelperLedger(), supplyChain: SupplyChainSettingsSource = staticSupplyChainSettings(config.supplyChain.environments)): PartCollector[] {
  const { root, helperImage, helperBusybox } = config.hostFiles;
  const access = hostAccess({ ...(root !== undefined ? { hostRoot: root } : {}), ...(helperImage !== undefined ? { helperImage } : {}), ...(helperBusybox !== undefined ? { helperBusybox } : {}), ledger });
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
    new EnvironmentPolicyCollector(supplyChain, { productionEnvironments: config.supplyChain.productionEnvironments, accessLabelKey: config.supplyChain.accessLabelKey }),
  ];
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

/**
 * Schedules and notifications: the repositories, the services (schedules, webhooks, notifications), the job
 * runner of this process, the dispatcher that queues webhook deliveries of this process's events, and the
 * monitor `serve` starts (scheduler, webhook worker, expiry watcher).
 */
function wireMonitoring(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  bus: InProcessEventBus;
  nodes: NodeService;
  library: LibraryService;
  exemptions: ExemptionService;
  gateway: () => ServiceGateway;
  /** Seals webhook signing secrets (PLIMSOLL_SECRET_KEY); absent: registering a webhook is refused. */
  secrets?: WebhookSecretBox;
}): { services: Pick<AppServices, 'schedules' | 'webhooks' | 'notifications'>; monitor: Monitor; jobs: JobRunner; stopDispatcher: () => void } {
  const { db, config, clock, bus, nodes } = deps;
  const m = config.monitoring;
  const log = pino({ level: config.logLevel });
  const host = localRunnerHost();
  const scheduleRepo = new KyselyScheduleRepository(db);
  const webhookRepo = new KyselyWebhookRepository(db);
  const cron = new CronerRepository();
  const jobs = new JobRunner({ repo: scheduleRepo, clock, gateway: deps.gateway }, { concurrency: m.concurrency, nodeTimeoutMs: m.nodeTimeoutMs, runner: runnerIdOf(host), logger: log });
  const rules = new WebhookTargetRules(m.webhookAllowlist);
  const { secrets } = deps;
  const worker = new WebhookWorker(
    { repo: webhookRepo, clock, transport: new HttpWebhookTransport(rules, m.webhookTimeoutMs), ...(secrets !== undefined ? { secrets } : {}) },
    { retry: { maxAttempts: m.webhookMaxAttempts, baseDelayMs: m.webhookRetryBaseMs, maxDelayMs: 3_600_000 }, logger: log },
  );
  const stopDispatcher = startWebhookDispatcher({ source: bus, repo: webhookRepo, clock, newId: randomUUID, onQueued: () => worker.wake(), logger: log });
  const exemptionSource: ExpirySource = {
    subject: 'exemption',
    list: async () => (await deps.exemptions.listApproved()).map((e) => ({ id: e.id, stigId: e.rule, expiresAt: e.expiresAt, ...(e.target.node !== undefined ? { node: e.target.node } : {}) })),
  };
  const expiry = new ExpiryWatcher({ sources: [exemptionSource], notices: new KyselyExpiryNoticeRepository(db), events: bus, clock, findNode: (ref) => nodes.find(ref, { includeRemoved: true }), warningDays: m.expiryWarningDays });
  let monitor: Monitor | undefined;
  const scheduler = new Scheduler({ repo: scheduleRepo, cron, clock, jobs }, { holder: `${runnerIdOf(host)}:${randomUUID().slice(0, 8)}`, host, logger: log, onLeadership: (leader) => monitor?.leadershipChanged(leader) });
  monitor = new Monitor({ scheduler, worker, expiry, clock, logger: log });
  const services = {
    schedules: new DefaultScheduleService({ repo: scheduleRepo, cron, clock, nodes, library: deps.library, jobs }),
    webhooks: new DefaultWebhookService({ repo: webhookRepo, clock, nodes, targets: rules, ...(secrets !== undefined ? { secrets } : {}) }),
    notifications: new LiveNotificationService({
      source: bus,
      visibilityFor: (actor) => nodeVisibility(deps.gateway().servicesFor(actor).nodes),
      nodesFor: (actor) => deps.gateway().servicesFor(actor).nodes,
    }),
  };
  return { services, monitor, jobs, stopDispatcher };
}


/** The benchmarks that ship in the project's catalogs/ directory. */
function builtinBenchmarkFiles(config: { projectRoot: string }): BuiltinBenchmarkFiles {
  return new BuiltinBenchmarkFiles(path.join(config.projectRoot, 'catalogs'));
}

/**
 * Opens the database and wires every service behind the service gateway. `clients` replaces the Docker client
 * factory (integration tests wrap the real one, e.g. to stop a daemon in the middle of a collection); `events`
 * receives the domain events the services publish.
 */
export async function wireApp(overrides: { db?: string; offline?: boolean; clients?: DockerClientFactory; events?: EventPublisher; clock?: Clock } = {}): Promise<WiredApp> {
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
  // Read and update clients share the options: the timeout, TLS keys opened with the secret key, the allow-list.
  const dockerOptions = { timeoutMs: config.docker.timeoutMs, ...(secrets ? { secrets } : {}), endpoints };
  const clients = overrides.clients ?? dockerClientFactory(dockerOptions);
  const nodeRepo = new KyselyNodeRepository(db);
  const nodes = new DockerNodeService(nodeRepo, clients, { uploads, ...(secrets ? { secrets } : {}), endpoints });
  const nodeAssets = new DefaultNodeAssetService({ nodes, assets: new KyselyNodeAssetRepository(db) });
  // Nodes registered with TLS file paths before migration 0007: encrypted now when a key is configured.
  const legacyTls = secrets ? await upgradeLegacyTls(nodeRepo, new LocalFiles(), secrets) : undefined;
  const assessmentRepo = new KyselyAssessmentRepository(db);
  const targetResults = new KyselyTargetResultRepository(db);
  // The helper containers this instance creates: the only containers the inventory leaves out (by id).
  const helperLedger = new HelperLedger();
  // Registered registries, trust servers and signers, with the configuration file's (which wins on a clash).
  const supplyChainRepo = new KyselySupplyChainRepository(db);
  const supplyChainSettings = new RegisteredSupplyChainSettings(config.supplyChain.environments, supplyChainRepo, secrets);
  // Read once now for whoever asks outside a collection; a failure (credentials sealed with another key) is
  // not a start-up error: the collectors read again and record it on the supply-chain rules as `error`.
  await supplyChainSettings.refresh().catch(() => undefined);
  // Environment values are stored as HMACs keyed by this salt: configured, else generated once and kept.
  const envHashSalt = async (): Promise<string> => config.envHashSalt ?? (await new InstallationSecretRepository(db).getOrCreate(ENV_HASH_SALT));
  const users = new UserRepository(db);
  const tokens = new TokenRepository(db);
  const audit = new ChainedAuditService({ audit: new AuditRepository(db) });
  const benchmarkDiff = new DefaultBenchmarkDiffService({ library, uploads });
  const driftSource = new KyselyDriftSourceRepository(db);
  const comparer = new DriftComparer(driftSource);
  const driftReports = new KyselyDriftReportRepository(db);
  const references = new KyselyReferenceRunRepository(db);
  const postures = new KyselyPostureRepository(db);
  const exemptions = new DefaultExemptionService({ repo: new KyselyExemptionRepository(db), rules: ruleCatalogOf(library), separation: new SeparationOfDuties(users) });
  const clock = overrides.clock ?? systemClock;
  const bus = new InProcessEventBus(pino({ level: config.logLevel }));
  const reviews = new DefaultReviewService({ repo: new KyselyReviewRepository(db), library, nodes, separation: new SeparationOfDuties(users), uploads });
  const driftContext = new DriftContext({ expiries: [exemptionExpiries(exemptions), reviewExpiries(reviews)], library, benchmarkDiff, warningDays: config.drift.expiryWarningDays });
  // Every event goes to the in-process bus (subscriptions, webhooks); a caller's extra listener (tests) hears them too.
  const extra = overrides.events;
  const events: EventPublisher = extra === undefined ? bus : { publish: (e) => { bus.publish(e); extra.publish(e); } };
  const driftRecorder = new DriftRecorder({ assessments: assessmentRepo, source: driftSource, comparer, context: driftContext, reports: driftReports, references, postures, nodes, events });
  // One writer (one compiled OSCAL schema) for the runs and the reports.
  const reportWriter = deferredValue(async () => AssessmentResultsWriter.fromSchema(await schemaPath()));
  const assessments: AssessmentService = deferred(
    async () =>
      new DefaultAssessmentService({
        repo: assessmentRepo,
        targetResults,
        library,
        imports,
        nodes,
        collector: new EngineCollector(clients, { parts: collectorParts(config, helperLedger, supplyChainSettings), helpers: helperLedger, redactor: new EnvRedactor(await envHashSalt(), [secretClassifier]), secretMaxAgeDays: config.secretMaxAgeDays }),
        checks: { checkFor, automationFor: automationRecordFor, remediationFor },
        writer: await reportWriter(),
        exemptions,
        reviews,
        assets: nodeAssets,
        onCompleted: (id) => driftRecorder.record(id),
        events,
        builtins: new BuiltinBenchmarks({ files: builtinBenchmarkFiles(config), imports, library }),
      }, { tool: { name: 'Plimsoll', version: packageInfo(config.projectRoot).version } }),
  );
  // The gateway is built after the services; the scheduler reaches it late, to run schedules as their owners.
  let gatewayRef: ServiceGateway | undefined;
  const monitoring = wireMonitoring({ db, config, clock, bus, nodes, library, exemptions, gateway: () => gatewayRef!, ...(secrets ? { secrets } : {}) });
  const remediation = new DefaultRemediationService({
    repo: new KyselyRemediationRepository(db),
    assessmentRepo,
    targetResults,
    milestonePolicy: { dueDays: config.poamDueDays },
    library,
    separation: new SeparationOfDuties(users),
    nodes,
    clients: engineUpdateClientFactory(dockerOptions),
    assessments,
    // Swarm unlock keys are kept sealed with PLIMSOLL_SECRET_KEY; without it, plans that make one are refused.
    ...(secrets !== undefined ? { sealer: secrets } : {}),
  });
  const drift = new DefaultDriftService({ assessments: assessmentRepo, nodes, comparer, context: driftContext, reports: driftReports, references });
  const signingKeys = new SigningKeyRepository(db, { ...(config.signingKey !== undefined ? { configured: config.signingKey } : {}), ...(secrets ? { sealer: secrets } : {}) });
  const reports: ReportService = deferred(async () => {
    // Renderers (pdfkit among them) and layouts (ajv) load with the first report, not with every command.
    const [{ reportRendererTable }, { ReportInputLoader }, { PoamWriter }, { ReportLayoutRepository }, { DefaultReportService }] = await Promise.all([
      import('./reporting/report-formats.js'),
      import('./reporting/report-input-loader.js'),
      import('./reporting/oscal-poam-writer.js'),
      import('./repositories/report-layout-repository.js'),
      import('./reporting/report-service.js'),
    ]);
    const keys = signingKeys.available ? signingKeys : undefined;
    return new DefaultReportService({
      loader: new ReportInputLoader({ assessments: assessmentRepo, targets: new KyselyTargetResultRepository(db), library }),
      renderers: reportRendererTable({
        writer: await reportWriter(),
        ...(keys !== undefined ? { signingKeys: keys } : {}),
        documents: {
          poamWriter: PoamWriter.fromSchema(await schemaPath()),
          layouts: new ReportLayoutRepository(path.join(config.projectRoot, 'reports')),
          milestonePolicy: { dueDays: config.poamDueDays },
          parts: { runDrift: (id) => drift.runDrift(id), earlierFindings: (id, node) => targetResults.earlierFindings(id, node), listRules: (doc) => library.listRules(doc) },
        },
      }),
      ...(keys !== undefined ? { signingKeys: keys } : {}),
    });
  });
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
    remediation,
    reviews,
    checklists: new ChecklistImportService({ library, reviews, uploads }),
    baselines,
    convert: new DefaultConvertService({ schemaPath }),
    benchmarkDiff,
    coverage: new DefaultCoverageService({ library, index: libraryIndex, baselines: { get: (ref) => baselines.get(ref), controlsOf: (id) => baselineRepo.controlsOf(id) }, automated: (stigId) => checkFor(stigId) !== undefined }),
    search: new DefaultSearchService({ index: libraryIndex, library, baselines }),
    uploads,
    downloads: new StoredResultsDownloadService({ assessments, baselines, reviews }),
    drift,
    history: new DefaultHistoryService({ postures, nodes }),
    ...monitoring.services,
    reports,
    supplyChain: new DefaultSupplyChainService({ repo: supplyChainRepo, uploads, fileEnvironments: config.supplyChain.environments, onChange: () => supplyChainSettings.invalidate(), ...(secrets ? { secrets } : {}) }),
  };
  const gateway = new ServiceGateway({ services, audit, authenticator: authenticatorOf(config, users, tokens, audit) });
  gatewayRef = gateway;
  return {
    gateway,
    config,
    monitor: monitoring.monitor,
    close: async () => {
      monitoring.stopDispatcher();
      await monitoring.jobs.drain();
      await db.destroy();
    },
    ...(legacyTls ? { startup: { legacyTls } } : {}),
    ...(secrets ? { secrets } : {}),
  };
}

/** The wired application with the services bound to the CLI's user (`as`, else PLIMSOLL_USER, else the local operator). */
export async function openApp(overrides: { db?: string; offline?: boolean; as?: string; clients?: DockerClientFactory; events?: EventPublisher; clock?: Clock } = {}): Promise<OpenedApp> {
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
  // The benchmarks Plimsoll ships (catalogs/builtin-benchmarks.json) join the same import: one transaction.
  const shipped = builtinBenchmarkFiles(config);
  const builtin = await Promise.all((await shipped.list()).map((b) => shipped.read(b)));
  for (const s of await services.imports.importDocuments([...files, ...builtin])) {
    log.info({ kind: s.kind, id: s.id, version: s.version, release: s.release, counts: s.counts, alreadyPresent: s.alreadyPresent }, 'reference content');
  }

  // The signing key at first start (generated and sealed when none is configured), so its id is known before any bundle.
  const signingKey = await services.reports.signingKey();
  if (signingKey !== undefined) log.info({ keyId: signingKey.keyId, origin: signingKey.origin }, 'report signing key');
  else log.info('no report signing key (set PLIMSOLL_SIGNING_KEY or PLIMSOLL_SECRET_KEY): signed bundles are not offered');

  const interrupted = await services.assessments.markInterrupted();
  if (interrupted > 0) log.warn({ interrupted }, 'assessments left running by a stopped process were marked interrupted');
  const closedPlans = await services.remediation.markInterrupted();
  if (closedPlans > 0) log.warn({ closedPlans }, 'remediation plans left applying by a stopped process were closed');

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
    // Apollo, GraphQL, type-graphql and ws: loaded by `serve` alone; decorator metadata before the first GraphQL type.
    await import('reflect-metadata');
    const { startHttpServer } = await import('./http/server.js');
    const server = await startHttpServer({
      gateway: app.gateway,
      host: opts.host ?? app.config.host,
      port: opts.port ?? app.config.port,
      logger: log,
    });
    app.monitor?.start();
    log.info({ url: server.url, checks: CHECKS.length }, 'Plimsoll is listening');
    process.stdout.write(`Plimsoll GraphQL API at ${server.url} (health: ${server.url.replace(/\/graphql$/, '/health')})\n`);
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      void (app.monitor?.stop() ?? Promise.resolve())
        .then(() => server.close())
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
