/**
 * Events of the bus as an async iterator, for one subscriber: each event passes the subscriber's check (its
 * filter and what it may read) in publication order, then waits in a bounded queue until the subscriber takes
 * it. A subscriber that lets more than `maxBuffer` events pile up is ended with an error rather than letting
 * the server's memory grow without bound; it may subscribe again. Ending the iteration (`return`, as
 * graphql-js does when a client unsubscribes) or aborting `signal` stops listening at once.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { EventSource, PlimsollEvent } from '../domain/events.js';

export interface EventStreamOptions {
  signal?: AbortSignal;
  /** Events waiting for the subscriber before it is ended (default 1,000). */
  maxBuffer?: number;
  /** Told when the check of an event fails (the event is then not delivered). */
  onCheckError?: (e: unknown) => void;
}

export const DEFAULT_MAX_BUFFER = 1000;

/** The subscriber's stream of the events `accept` lets through. */
export function eventStream(source: EventSource, accept: (event: PlimsollEvent) => boolean | Promise<boolean>, options: EventStreamOptions = {}): AsyncIterableIterator<PlimsollEvent> {
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  const queue: PlimsollEvent[] = [];
  const waiting: { resolve: (r: IteratorResult<PlimsollEvent>) => void; reject: (e: unknown) => void }[] = [];
  let ended = false;
  let failure: unknown;
  // Checks run one after another, so events are delivered in the order they were published.
  let checks: Promise<void> = Promise.resolve();

  const finish = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    failure = error;
    unsubscribe();
    options.signal?.removeEventListener('abort', onAbort);
    for (const w of waiting.splice(0)) {
      if (error !== undefined) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  };
  const deliver = (event: PlimsollEvent): void => {
    if (ended) return;
    const next = waiting.shift();
    if (next !== undefined) return next.resolve({ value: event, done: false });
    if (queue.length >= maxBuffer) {
      queue.length = 0;
      return finish(new PlimsollError(ErrorCode.SUBSCRIBER_TOO_SLOW, `the subscriber fell more than ${maxBuffer} events behind and was ended; subscribe again`));
    }
    queue.push(event);
  };
  const unsubscribe = source.subscribe((event) => {
    checks = checks.then(async () => {
      if (ended) return;
      let ok = false;
      try {
        ok = await accept(event);
      } catch (e) {
        options.onCheckError?.(e);
      }
      if (ok) deliver(event);
    });
  });
  const onAbort = (): void => finish();
  if (options.signal?.aborted === true) finish();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    next(): Promise<IteratorResult<PlimsollEvent>> {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (ended) return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return(): Promise<IteratorResult<PlimsollEvent>> {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(e?: unknown): Promise<IteratorResult<PlimsollEvent>> {
      queue.length = 0;
      finish();
      return Promise.reject(e);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
