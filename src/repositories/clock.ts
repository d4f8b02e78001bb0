/**
 * Time, behind a repository: the scheduler, the webhook worker and the expiry watcher read the clock and wait
 * through it, so tests drive time instead of sleeping (test/unit/monitoring/fake-clock.ts).
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock and real timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep(ms, signal) {
    return new Promise<void>((resolve) => {
      if (signal?.aborted === true) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};
