/**
 * The composition root's second half: every service beyond the content library (nodes, assessments, reports,
 * reviews, exemptions, remediation, drift, monitoring, supply chain…), wired over the library core that
 * src/main.ts builds. main.ts loads this module, and through it the collectors, checks, Docker clients and the
 * monitoring, only when a service of it is first called: `plimsoll import` never does (issue #12 item 4).
 */
import path from 'node:path';
import { pino } from 'pino';
import { DefaultAssessmentService } from '../assessment/assessment-service.js';
import type { ChainedAuditService } from '../auth/audit-service.js';
import { SeparationOfDuties } from '../auth/separation-of-duties.js';
import type { ServiceGateway } from '../auth/service-gateway.js';
import { automationRecordFor } from '../checks/automation.js';
import { checkFor } from '../checks/registry.js';
import { remediationFor } from '../checks/remediation.js';
import { EngineCollector } from '../collectors/engine-collector.js';
import type { Config } from '../config/config.js';
import { packageInfo } from '../config/package-info.js';
import { EnvRedactor } from '../domain/env-redaction.js';
import type { EventPublisher } from '../domain/events.js';
import { secretClassifier } from '../domain/secret-classifier.js';
import type { AppServices, AssessmentService, BaselineService, ImportService, LibraryService, ReportService, UploadService } from '../domain/services.js';
import { DefaultExemptionService, ruleCatalogOf } from '../exemptions/exemption-service.js';
import { BuiltinBenchmarks } from '../library/builtin-benchmarks.js';
import { DefaultBenchmarkDiffService } from '../library/benchmark-diff.js';
import { DefaultConvertService } from '../library/convert-service.js';
import { DefaultCoverageService } from '../library/coverage-service.js';
import { DefaultSearchService } from '../library/search.js';
import { DriftComparer } from '../monitoring/drift-comparer.js';
import { DriftContext, exemptionExpiries, reviewExpiries } from '../monitoring/drift-context.js';
import { DriftRecorder } from '../monitoring/drift-recorder.js';
import { DefaultDriftService } from '../monitoring/drift-service.js';
import { InProcessEventBus } from '../monitoring/event-bus.js';
import { DefaultHistoryService } from '../monitoring/history-service.js';
import type { Monitor } from '../monitoring/monitor.js';
import { DefaultNodeAssetService } from '../nodes/node-asset-service.js';
import { DockerNodeService } from '../nodes/node-service.js';
import { DefaultRemediationService } from '../remediation/remediation-service.js';
import { AssessmentResultsWriter } from '../reporting/oscal-ar-writer.js';
import { KyselyAssessmentRepository } from '../repositories/assessment-repository.js';
import type { BaselineRepository } from '../repositories/baseline-repository.js';
import { BuiltinBenchmarkFiles } from '../repositories/builtin-benchmark-files.js';
import { systemClock, type Clock } from '../repositories/clock.js';
import type { Db } from '../repositories/database/database.js';
import { dockerClientFactory, engineUpdateClientFactory, type DockerClientFactory } from '../repositories/docker-client.js';
import { endpointAllowList } from '../repositories/docker/endpoint-allowlist.js';
import { KyselyDriftReportRepository } from '../repositories/drift-report-repository.js';
import { KyselyDriftSourceRepository } from '../repositories/drift-source-repository.js';
import { KyselyExemptionRepository } from '../repositories/exemption-repository.js';
import { HelperLedger } from '../repositories/host/helper-ledger.js';
import { WebhookTargetRules } from '../repositories/http/webhook-http.js';
import { ENV_HASH_SALT, InstallationSecretRepository } from '../repositories/installation-secret-repository.js';
import { LibraryIndexRepository } from '../repositories/library-index-repository.js';
import { KyselyNodeAssetRepository } from '../repositories/node-asset-repository.js';
import { KyselyNodeRepository } from '../repositories/node-repository.js';
import { KyselyPostureRepository } from '../repositories/posture-repository.js';
import { KyselyReferenceRunRepository } from '../repositories/reference-run-repository.js';
import { KyselyRemediationRepository } from '../repositories/remediation-repository.js';
import { KyselyReviewRepository } from '../repositories/review-repository.js';
import type { SecretBox } from '../repositories/secret-box.js';
import { SigningKeyRepository } from '../repositories/signing-key-repository.js';
import { KyselySupplyChainRepository } from '../repositories/supply-chain-repository.js';
import { KyselyTargetResultRepository } from '../repositories/target-result-repository.js';
import type { UserRepository } from '../repositories/user-repository.js';
import { ChecklistImportService } from '../reviews/checklist-import-service.js';
import { DefaultReviewService } from '../reviews/review-service.js';
import { RegisteredSupplyChainSettings } from '../supply-chain/registered-settings.js';
import { DefaultSupplyChainService } from '../supply-chain/supply-chain-service.js';
import { StoredResultsDownloadService } from '../uploads/download-service.js';
import { collectorParts } from './collector-parts.js';
import { deferred, deferredValue } from './deferred.js';
import { wireMonitoring } from './monitoring.js';
import type { LaterService } from './service-groups.js';

/** What src/main.ts wires before this module loads: configuration, database, the library core and the caller's overrides. */
export interface LibraryCore {
  config: Config;
  db: Db;
  secrets: SecretBox | undefined;
  uploads: UploadService;
  library: LibraryService;
  imports: ImportService;
  baselines: BaselineService;
  baselineRepo: BaselineRepository;
  users: UserRepository;
  audit: ChainedAuditService;
  /** The cached, verified OSCAL schema (synced from the content mirror on first use). */
  schemaPath(): Promise<string>;
  /** The gateway, built after every service: the scheduler and notifications reach it late. */
  gateway(): ServiceGateway;
  overrides: { clients?: DockerClientFactory; events?: EventPublisher; clock?: Clock };
}

/** The services of this half, the monitor `serve` starts, and what closing the application stops of them. */
export interface LaterServices {
  services: Pick<AppServices, LaterService>;
  monitor: Monitor;
  /** Stops the webhook dispatcher and waits for running jobs (the database is closed by main.ts). */
  close(): Promise<void>;
}

/** The benchmarks that ship in the project's catalogs/ directory. */
export function builtinBenchmarkFiles(config: { projectRoot: string }): BuiltinBenchmarkFiles {
  return new BuiltinBenchmarkFiles(path.join(config.projectRoot, 'catalogs'));
}

/** Wires the services beyond the library core. */
export async function wireLaterServices(core: LibraryCore): Promise<LaterServices> {
  const { config, db, secrets, uploads, library, imports, baselines, baselineRepo, users, schemaPath, overrides } = core;
  // The allow-lists (PLIMSOLL_NODE_ALLOWLIST, PLIMSOLL_WEBHOOK_ALLOWLIST; a bad entry is CONFIG_INVALID) are read with
  // the services that use them: the library's commands need neither, nor the network modules they bring.
  const endpoints = endpointAllowList(config.nodeAllowlist);
  const webhookTargets = new WebhookTargetRules(config.monitoring.webhookAllowlist);
  const libraryIndex = new LibraryIndexRepository(db);
  // Read and update clients share the options: the timeout, TLS keys opened with the secret key, the allow-list.
  const dockerOptions = { timeoutMs: config.docker.timeoutMs, ...(secrets ? { secrets } : {}), endpoints };
  const clients = overrides.clients ?? dockerClientFactory(dockerOptions);
  const nodeRepo = new KyselyNodeRepository(db);
  const nodes = new DockerNodeService(nodeRepo, clients, { uploads, ...(secrets ? { secrets } : {}), endpoints });
  const nodeAssets = new DefaultNodeAssetService({ nodes, assets: new KyselyNodeAssetRepository(db) });
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
  const monitoring = wireMonitoring({ db, config, clock, bus, nodes, library, exemptions, gateway: core.gateway, webhookTargets, ...(secrets ? { secrets } : {}) });
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
      import('../reporting/report-formats.js'),
      import('../reporting/report-input-loader.js'),
      import('../reporting/oscal-poam-writer.js'),
      import('../repositories/report-layout-repository.js'),
      import('../reporting/report-service.js'),
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
  const services: Pick<AppServices, LaterService> = {
    nodes,
    nodeAssets,
    assessments,
    exemptions,
    remediation,
    reviews,
    checklists: new ChecklistImportService({ library, reviews, uploads }),
    convert: new DefaultConvertService({ schemaPath }),
    benchmarkDiff,
    coverage: new DefaultCoverageService({ library, index: libraryIndex, baselines: { get: (ref) => baselines.get(ref), controlsOf: (id) => baselineRepo.controlsOf(id) }, automated: (stigId) => checkFor(stigId) !== undefined }),
    search: new DefaultSearchService({ index: libraryIndex, library, baselines }),
    downloads: new StoredResultsDownloadService({ assessments, baselines, reviews }),
    drift,
    history: new DefaultHistoryService({ postures, nodes }),
    ...monitoring.services,
    reports,
    supplyChain: new DefaultSupplyChainService({ repo: supplyChainRepo, uploads, fileEnvironments: config.supplyChain.environments, onChange: () => supplyChainSettings.invalidate(), ...(secrets ? { secrets } : {}) }),
  };
  return {
    services,
    monitor: monitoring.monitor,
    close: async () => {
      monitoring.stopDispatcher();
      await monitoring.jobs.drain();
    },
  };
}
