/**
 * A clock the test moves by hand: `now()` is what the test set, and sleepers wake when `advance` passes their
 * deadline (or their signal aborts). Nothing waits on real time.
 */
import type { Clock } from '../../../src/repositories/clock.js';

export interface FakeClock extends Clock {
  /** Moves now forward, waking every sleeper whose deadline has come. */
  advance(ms: number): Promise<void>;
  /** Sleepers not yet woken. */
  readonly sleepers: number;
}

export function fakeClock(start: Date): FakeClock {
  let now = start.getTime();
  const waiting = new Set<{ until: number; wake: () => void }>();
  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted === true) return resolve();
        const entry = {
          until: now + Math.max(0, ms),
          wake: () => {
            waiting.delete(entry);
            signal?.removeEventListener('abort', entry.wake);
            resolve();
          },
        };
        waiting.add(entry);
        signal?.addEventListener('abort', entry.wake, { once: true });
      });
    },
    async advance(ms) {
      now += ms;
      for (const w of [...waiting]) if (w.until <= now) w.wake();
      // Let the woken continuations run before the test looks.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    },
    get sleepers() {
      return waiting.size;
    },
  };
}
