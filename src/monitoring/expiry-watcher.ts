/**
 * Announces expiries on the bus: an approved exemption (and, once reviews exist, an accepted review) whose
 * expiry is within the warning period gets one `expiry` event with `expired: false`, and one with
 * `expired: true` once it has passed. What was announced is recorded (per subject, kind and expiry date), so a
 * restart announces nothing twice and an extended expiry is announced anew. Runs in the scheduling instance.
 */
import type { EventPublisher } from '../domain/events.js';
import { expiryInstant } from '../domain/exemption.js';
import type { DockerNode } from '../domain/node.js';
import type { Clock } from '../repositories/clock.js';
import type { ExpiryNoticeRepository } from '../repositories/monitoring/expiry-notice-repository.js';
import { newEvent, scopeOfNodes } from './event-bus.js';

/** Something that expires: an exemption or a review, with the STIG id it concerns and the node it is limited to. */
export interface Expiring {
  id: string;
  stigId: string;
  expiresAt: string;
  /** A node id, name or endpoint; absent: every node. */
  node?: string;
}

/** Where expiring things come from (exemptions now; reviews will add a source). */
export interface ExpirySource {
  subject: 'review' | 'exemption';
  list(): Promise<Expiring[]>;
}

export interface ExpiryWatcherDeps {
  sources: readonly ExpirySource[];
  notices: ExpiryNoticeRepository;
  events: EventPublisher;
  clock: Clock;
  /** Finds a node (removed ones too) for an event's scope. */
  findNode: (ref: string) => Promise<DockerNode | undefined>;
  /** How long before its expiry something is announced as expiring (days). */
  warningDays: number;
}

export class ExpiryWatcher {
  constructor(private readonly deps: ExpiryWatcherDeps) {}

  /** One look at every source; returns how many events were published. */
  async check(): Promise<number> {
    const now = this.deps.clock.now();
    const warnFrom = now.getTime() + this.deps.warningDays * 86_400_000;
    let published = 0;
    for (const source of this.deps.sources) {
      for (const item of await source.list()) {
        const instant = expiryInstant(item.expiresAt);
        if (instant === undefined || instant.getTime() > warnFrom) continue;
        const expired = instant.getTime() <= now.getTime();
        const fresh = await this.deps.notices.record({ subject: source.subject, subjectId: item.id, kind: expired ? 'expired' : 'soon', expiresAt: item.expiresAt }, now.toISOString());
        if (!fresh) continue;
        const node = item.node !== undefined ? await this.deps.findNode(item.node) : undefined;
        const scope = node !== undefined ? scopeOfNodes([node]) : { nodeIds: [], environments: [] };
        this.deps.events.publish(newEvent({ type: 'expiry', subject: source.subject, subjectId: item.id, stigId: item.stigId, expiresAt: item.expiresAt, expired }, scope, now));
        published += 1;
      }
    }
    return published;
  }
}
