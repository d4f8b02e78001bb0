/**
 * The server's background work, started by `serve` and stopped before it exits: the scheduler (always
 * ticking, to take the lease when it is free) and, while this instance holds the lease, the webhook worker
 * and the hourly expiry check. Every process queues webhook deliveries of the events it publishes (the
 * dispatcher is wired in main.ts); only the leader sends them.
 */
import type { Clock } from '../repositories/clock.js';
import type { ExpiryWatcher } from './expiry-watcher.js';
import type { JobRunnerLogger } from './job-runner.js';
import type { Scheduler } from './scheduler.js';
import type { WebhookWorker } from './webhook-worker.js';

export interface MonitorParts {
  scheduler: Scheduler;
  worker: WebhookWorker;
  expiry: ExpiryWatcher;
  clock: Clock;
  /** Between two expiry checks (default one hour). */
  expiryEveryMs?: number;
  logger?: JobRunnerLogger;
}

export class Monitor {
  private expiryLoop: { stop: AbortController; done: Promise<void> } | undefined;
  private running = false;

  constructor(private readonly parts: MonitorParts) {}

  /** Follows the scheduler's lease: the leader delivers webhooks and watches expiries. */
  leadershipChanged(leader: boolean): void {
    if (!this.running) return;
    if (leader) {
      this.parts.worker.start();
      this.startExpiryLoop();
    } else {
      void this.parts.worker.stop();
      this.stopExpiryLoop();
    }
  }

  start(): void {
    this.running = true;
    this.parts.scheduler.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.parts.scheduler.stop();
    await this.parts.worker.stop();
    await this.stopExpiryLoop();
  }

  private startExpiryLoop(): void {
    if (this.expiryLoop !== undefined) return;
    const stop = new AbortController();
    const every = this.parts.expiryEveryMs ?? 3_600_000;
    const done = (async () => {
      while (!stop.signal.aborted) {
        try {
          await this.parts.expiry.check();
        } catch (e) {
          this.parts.logger?.error({ err: e }, 'expiry check failed');
        }
        await this.parts.clock.sleep(every, stop.signal);
      }
    })();
    this.expiryLoop = { stop, done };
  }

  private async stopExpiryLoop(): Promise<void> {
    const loop = this.expiryLoop;
    this.expiryLoop = undefined;
    if (loop === undefined) return;
    loop.stop.abort();
    await loop.done;
  }
}
