/**
 * The monitoring part of the composition root (wired with the other services by ./services.ts): schedules,
 * webhooks and notifications, the job runner, the webhook dispatcher and the monitor `serve` starts.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { localRunnerHost, runnerIdOf } from '../assessment/runner.js';
import type { ServiceGateway } from '../auth/service-gateway.js';
import type { Config } from '../config/config.js';
import type { AppServices, ExemptionService, LibraryService, NodeService } from '../domain/services.js';
import type { InProcessEventBus } from '../monitoring/event-bus.js';
import { ExpiryWatcher, type ExpirySource } from '../monitoring/expiry-watcher.js';
import { JobRunner } from '../monitoring/job-runner.js';
import { Monitor } from '../monitoring/monitor.js';
import { LiveNotificationService, nodeVisibility } from '../monitoring/notification-service.js';
import { DefaultScheduleService } from '../monitoring/schedule-service.js';
import { Scheduler } from '../monitoring/scheduler.js';
import { DefaultWebhookService, type WebhookSecretBox } from '../monitoring/webhook-service.js';
import { WebhookWorker, startWebhookDispatcher } from '../monitoring/webhook-worker.js';
import type { Clock } from '../repositories/clock.js';
import { CronerRepository } from '../repositories/cron.js';
import type { Db } from '../repositories/database/database.js';
import { HttpWebhookTransport, type WebhookTargetRules } from '../repositories/http/webhook-http.js';
import { KyselyExpiryNoticeRepository } from '../repositories/monitoring/expiry-notice-repository.js';
import { KyselyScheduleRepository } from '../repositories/monitoring/schedule-repository.js';
import { KyselyWebhookRepository } from '../repositories/monitoring/webhook-repository.js';

/**
 * Schedules and notifications: the repositories, the services (schedules, webhooks, notifications), the job
 * runner of this process, the dispatcher that queues webhook deliveries of this process's events, and the
 * monitor `serve` starts (scheduler, webhook worker, expiry watcher).
 */
export function wireMonitoring(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  bus: InProcessEventBus;
  nodes: NodeService;
  library: LibraryService;
  exemptions: ExemptionService;
  gateway: () => ServiceGateway;
  /** Where webhooks may point (PLIMSOLL_WEBHOOK_ALLOWLIST), built when the application opens so that a bad entry fails there. */
  webhookTargets: WebhookTargetRules;
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
  const rules = deps.webhookTargets;
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
