/**
 * The in-process event bus: services publish domain events (src/domain/events.ts), notifications listen
 * (GraphQL subscriptions, the webhook queue). Publishing never throws into the publisher and never waits for
 * a listener: a failing listener is logged and the others still hear the event.
 *
 * One process only: subscribers of another server instance do not hear these events (webhooks do, through
 * the database queue, whichever instance published).
 */
import { randomUUID } from 'node:crypto';
import type { EventPublisher, EventScope, EventSource, PlimsollEvent, PlimsollEventBody } from '../domain/events.js';

export interface BusLogger {
  error(obj: object, msg?: string): void;
}

export class InProcessEventBus implements EventPublisher, EventSource {
  private readonly listeners = new Set<(event: PlimsollEvent) => void>();

  constructor(private readonly logger?: BusLogger) {}

  publish(event: PlimsollEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.logger?.error({ err: e, eventType: event.type }, 'an event listener failed');
      }
    }
  }

  subscribe(listener: (event: PlimsollEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** How many listeners are attached (for tests and health). */
  get size(): number {
    return this.listeners.size;
  }
}

/** An event ready to publish: the body with a new id, the time and its scope. */
export function newEvent<B extends PlimsollEventBody>(body: B, scope: EventScope, at: Date): B & { id: string; at: string; scope: EventScope } {
  return { ...body, id: randomUUID(), at: at.toISOString(), scope };
}

/** The scope of events about these nodes. */
export function scopeOfNodes(nodes: readonly { id: string; environment?: string }[]): EventScope {
  return { nodeIds: [...new Set(nodes.map((n) => n.id))], environments: [...new Set(nodes.map((n) => n.environment ?? 'default'))] };
}
