/**
 * A clock for tests that drive time: the system clock moved by an offset the test sets. Timers stay real
 * (loops keep ticking), but "now" can jump past a cron firing, or days ahead while a server is down.
 */
import { systemClock, type Clock } from '../../src/repositories/clock.js';

export interface ShiftedClock extends Clock {
  /** Moves now forward by `ms`. */
  advance(ms: number): void;
  /** Sets now to `to` (the offset follows it). */
  set(to: Date): void;
}

export function shiftedClock(): ShiftedClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
    advance(ms) {
      offset += ms;
    },
    set(to) {
      offset = to.getTime() - Date.now();
    },
  };
}
