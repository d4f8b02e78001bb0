/**
 * Live notifications for one caller: the bus's events that pass the caller's filter and that the caller may
 * read. What a caller may read is asked of the services bound to that caller (through the service gateway):
 * an event about nodes reaches the caller only when every one of those nodes is visible to them, so a rule
 * that hides nodes from some users (environments) hides their events too, with no second copy of the rule.
 * Answers are kept for a short while per subscription, so a busy bus does not ask the database per event.
 */
import type { Principal } from '../domain/auth.js';
import { eventMatches, type EventFilter } from '../domain/event-filter.js';
import type { EventSource, PlimsollEvent } from '../domain/events.js';
import type { NotificationService } from '../domain/monitoring-services.js';
import type { NodeService } from '../domain/services.js';
import { eventStream } from './event-stream.js';
import { resolveEventFilter } from './filter-nodes.js';

/** Whether the caller may read what an event is about. */
export type EventVisibility = (event: PlimsollEvent) => Promise<boolean>;

/** The visibility of events for a caller whose node lookups go through `nodes` (bound to that caller). */
export function nodeVisibility(nodes: Pick<NodeService, 'find'>, now: () => number = Date.now, ttlMs = 30_000): EventVisibility {
  const known = new Map<string, { visible: boolean; at: number }>();
  const visible = async (nodeId: string): Promise<boolean> => {
    const cached = known.get(nodeId);
    if (cached !== undefined && now() - cached.at < ttlMs) return cached.visible;
    let ok: boolean;
    try {
      ok = (await nodes.find(nodeId, { includeRemoved: true }))?.id === nodeId;
    } catch {
      // Refused (the caller's token was revoked, their role changed): nothing is visible.
      ok = false;
    }
    known.set(nodeId, { visible: ok, at: now() });
    return ok;
  };
  return async (event) => {
    for (const id of event.scope.nodeIds) if (!(await visible(id))) return false;
    return true;
  };
}

export interface NotificationServiceDeps {
  source: EventSource;
  /** The visibility of events for a caller. */
  visibilityFor: (actor: Principal) => EventVisibility;
  /** Node lookups as the caller (filters name nodes by id, name or endpoint). */
  nodesFor: (actor: Principal) => Pick<NodeService, 'find'>;
  maxBuffer?: number;
}

export class LiveNotificationService implements NotificationService {
  constructor(private readonly deps: NotificationServiceDeps) {}

  async subscribe(filter: EventFilter, actor: Principal, options: { signal?: AbortSignal } = {}): Promise<AsyncIterable<PlimsollEvent>> {
    const checked = await resolveEventFilter(filter, this.deps.nodesFor(actor));
    const visible = this.deps.visibilityFor(actor);
    return eventStream(this.deps.source, async (e) => eventMatches(checked, e) && (await visible(e)), {
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(this.deps.maxBuffer !== undefined ? { maxBuffer: this.deps.maxBuffer } : {}),
    });
  }
}
