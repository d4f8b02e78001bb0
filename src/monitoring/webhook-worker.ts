/**
 * Webhook delivery in two halves:
 *
 * - the dispatcher (every process) listens to the bus and queues, in the database, one delivery per webhook
 *   whose filter the event passes: a CLI run's events reach webhooks too, delivered by the server;
 * - the worker (only the instance holding the scheduler lease) claims due deliveries, POSTs them signed, and
 *   records the outcome: delivered, retried later with exponential backoff, or failed for good. Deliveries
 *   claimed by a worker that stopped go back to the queue when the next worker starts: delivery is at least
 *   once, and receivers drop duplicates by delivery id.
 */
import { eventMatches } from '../domain/event-filter.js';
import type { EventSource } from '../domain/events.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, isRetryable, outcomeText, retryDelayMs, signBody, type AttemptOutcome, type RetryPolicy, type WebhookBody } from '../domain/webhook.js';
import type { Clock } from '../repositories/clock.js';
import type { DueDelivery, WebhookRepository } from '../repositories/monitoring/webhook-repository.js';
import type { JobRunnerLogger } from './job-runner.js';
import type { WebhookSecretBox } from './webhook-service.js';

/** POSTs a body to a webhook URL under the SSRF rules; classifies the outcome, never reads the remote body. */
export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome>;
}

/** Queues deliveries of published events to matching webhooks; returns the function that stops listening. */
export function startWebhookDispatcher(deps: { source: EventSource; repo: WebhookRepository; clock: Clock; newId: () => string; onQueued?: () => void; logger?: JobRunnerLogger }): () => void {
  // One insert at a time, in publication order, so a delivery log reads in the order events happened.
  let chain: Promise<void> = Promise.resolve();
  return deps.source.subscribe((event) => {
    chain = chain
      .then(async () => {
        const hooks = (await deps.repo.list()).filter((w) => eventMatches(w.filter, event));
        if (hooks.length === 0) return;
        await deps.repo.enqueue(event, hooks.map((h) => h.id), deps.newId, deps.clock.now().toISOString());
        deps.onQueued?.();
      })
      .catch((e: unknown) => deps.logger?.error({ err: e, event: event.id }, 'could not queue webhook deliveries'));
  });
}

export interface WebhookWorkerOptions {
  retry: RetryPolicy;
  /** Deliveries claimed per pass. */
  batch?: number;
  /** Longest wait between passes when nothing is due sooner (default 1 s). */
  idleMs?: number;
  random?: () => number;
  logger?: JobRunnerLogger;
}

type Phase = { phase: 'stopped' } | { phase: 'running'; stop: AbortController; wake: AbortController; loop: Promise<void> };

export class WebhookWorker {
  private state: Phase = { phase: 'stopped' };
  private readonly batch: number;
  private readonly idleMs: number;
  private readonly random: () => number;

  constructor(
    private readonly deps: { repo: WebhookRepository; clock: Clock; transport: WebhookTransport; secrets?: WebhookSecretBox },
    private readonly options: WebhookWorkerOptions,
  ) {
    this.batch = options.batch ?? 10;
    this.idleMs = options.idleMs ?? 1000;
    this.random = options.random ?? Math.random;
  }

  /** One pass: attempts every delivery due now; returns how many were attempted. */
  async pass(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const due = await this.deps.repo.claimDue(this.deps.clock.now().toISOString(), this.batch);
      if (due.length === 0) return attempted;
      await Promise.all(due.map((d) => this.attempt(d)));
      attempted += due.length;
    }
  }

  /** Starts delivering (the lease holder only): first puts back what a stopped worker had claimed. */
  start(): void {
    if (this.state.phase === 'running') return;
    const stop = new AbortController();
    const phase: Phase = { phase: 'running', stop, wake: new AbortController(), loop: Promise.resolve() };
    phase.loop = (async () => {
      await this.deps.repo.requeueStale(this.deps.clock.now().toISOString()).catch(() => 0);
      while (!stop.signal.aborted) {
        try {
          await this.pass();
        } catch (e) {
          this.options.logger?.error({ err: e }, 'webhook delivery pass failed');
        }
        const next = await this.deps.repo.earliestDue().catch(() => undefined);
        const wait = next === undefined ? this.idleMs : Math.min(this.idleMs, Math.max(0, new Date(next).getTime() - this.deps.clock.now().getTime()));
        if (phase.phase !== 'running') break;
        const wake = phase.wake;
        await this.deps.clock.sleep(wait, AbortSignal.any([stop.signal, wake.signal]));
        if (wake.signal.aborted) phase.wake = new AbortController();
      }
    })();
    this.state = phase;
  }

  /** Looks for due deliveries now (new ones were queued). */
  wake(): void {
    if (this.state.phase === 'running') this.state.wake.abort();
  }

  async stop(): Promise<void> {
    if (this.state.phase !== 'running') return;
    const { stop, loop } = this.state;
    this.state = { phase: 'stopped' };
    stop.abort();
    await loop;
  }

  private async attempt(d: DueDelivery): Promise<void> {
    const { delivery, event } = d;
    const attempts = delivery.attempts + 1;
    const now = (): string => this.deps.clock.now().toISOString();
    let outcome: AttemptOutcome;
    const webhook = await this.deps.repo.findById(delivery.webhookId);
    const sealed = await this.deps.repo.sealedSecret(delivery.webhookId);
    if (webhook === undefined || sealed === undefined) {
      outcome = { kind: 'refused', error: 'the webhook was removed' };
    } else if (this.deps.secrets === undefined) {
      outcome = { kind: 'unreachable', error: 'PLIMSOLL_SECRET_KEY is not set: the signing secret cannot be opened' };
    } else {
      let secret: string | undefined;
      try {
        secret = this.deps.secrets.open(sealed, 'webhook-secret').toString('utf8');
      } catch {
        secret = undefined;
      }
      if (secret === undefined) outcome = { kind: 'refused', error: 'the signing secret cannot be opened with PLIMSOLL_SECRET_KEY (another key?)' };
      else outcome = await this.send(webhook.url, { deliveryId: delivery.id, webhookId: webhook.id, event }, secret);
    }
    const at = now();
    const code = outcome.kind === 'accepted' || outcome.kind === 'rejected' ? { lastResponseCode: outcome.status } : {};
    const text = outcomeText(outcome);
    if (outcome.kind === 'accepted') {
      await this.deps.repo.recordAttempt(delivery.id, { attempts, lastAttemptAt: at, ...code, state: { status: 'delivered', deliveredAt: at } });
      return;
    }
    if (isRetryable(outcome) && attempts < this.options.retry.maxAttempts) {
      const next = new Date(this.deps.clock.now().getTime() + retryDelayMs(this.options.retry, attempts, this.random())).toISOString();
      await this.deps.repo.recordAttempt(delivery.id, { attempts, lastAttemptAt: at, ...code, lastError: text, state: { status: 'pending', nextAttemptAt: next } });
      return;
    }
    const reason = isRetryable(outcome) ? `gave up after ${attempts} attempts (last: ${text})` : text;
    await this.deps.repo.recordAttempt(delivery.id, { attempts, lastAttemptAt: at, ...code, lastError: text, state: { status: 'failed', failedAt: at, reason } });
    this.options.logger?.warn({ delivery: delivery.id, webhook: delivery.webhookId, reason }, 'a webhook delivery failed');
  }

  private async send(url: string, payload: WebhookBody, secret: string): Promise<AttemptOutcome> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(body, secret), [EVENT_HEADER]: payload.event.type, [DELIVERY_HEADER]: payload.deliveryId };
    try {
      return await this.deps.transport.post(url, body, headers);
    } catch (e) {
      return { kind: 'unreachable', error: e instanceof Error ? e.message : String(e) };
    }
  }
}
