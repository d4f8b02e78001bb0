/**
 * Live notifications for one caller: the filter, what the caller may read (asked of the node lookups bound to
 * the caller), publication order, and the bound on a slow subscriber.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { PlimsollEvent } from '../../../src/domain/events.js';
import type { DockerNode } from '../../../src/domain/node.js';
import { InProcessEventBus } from '../../../src/monitoring/event-bus.js';
import { LiveNotificationService, nodeVisibility } from '../../../src/monitoring/notification-service.js';

const ALICE: Principal = { userId: 'u-alice', name: 'alice', role: 'auditor', kind: 'person', via: 'token' };
const node = (id: string, name: string): DockerNode => ({ id, name, endpoint: `tcp://${name}:2376`, labels: {}, createdAt: '2026-01-01T00:00:00.000Z' });

const completed = (id: string, nodeIds: string[], maxSeverity?: 'high' | 'low'): PlimsollEvent =>
  ({ id, at: '2026-03-10T12:00:00.000Z', scope: { nodeIds, environments: ['prod'] }, type: 'assessment.completed', assessmentId: `a-${id}`, status: 'completed', summary: { fail: 1 }, ...(maxSeverity ? { maxSeverity } : {}) }) as PlimsollEvent;

/** Node lookups as a caller who may read `visible` only; `refuse` makes every lookup refused. */
function lookups(visible: DockerNode[], refuse = false) {
  return {
    find: async (ref: string) => {
      if (refuse) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, 'revoked');
      return visible.find((n) => n.id === ref || n.name === ref);
    },
  };
}

async function take(stream: AsyncIterable<PlimsollEvent>, n: number): Promise<string[]> {
  const got: string[] = [];
  for await (const e of stream) {
    got.push(e.id);
    if (got.length === n) break;
  }
  return got;
}

describe('notification service', () => {
  it('passes only events the caller may read and its filter lets through, in publication order', async () => {
    const bus = new InProcessEventBus();
    const nodes = lookups([node('n1', 'web-1')]);
    const service = new LiveNotificationService({ source: bus, visibilityFor: () => nodeVisibility(nodes), nodesFor: () => nodes });
    const stream = await service.subscribe({ types: ['assessment.completed'], minSeverity: 'high' }, ALICE);
    const got = take(stream, 3);
    bus.publish(completed('e1', ['n1'], 'high'));
    bus.publish(completed('hidden', ['n2'], 'high')); // a node alice may not read
    bus.publish(completed('mixed', ['n1', 'n2'], 'high')); // every node must be readable
    bus.publish(completed('low', ['n1'], 'low')); // below the filter's severity
    bus.publish(completed('e2', [], 'high')); // about no particular node
    bus.publish(completed('e3', ['n1'], 'high'));
    expect(await got).toEqual(['e1', 'e2', 'e3']);
  });

  it('resolves node names of the filter as the caller, and delivers nothing once the caller is refused', async () => {
    const bus = new InProcessEventBus();
    const nodes = lookups([node('n1', 'web-1'), node('n2', 'db-1')]);
    const service = new LiveNotificationService({ source: bus, visibilityFor: () => nodeVisibility(lookups([], true)), nodesFor: () => nodes });
    const stream = (await service.subscribe({ nodeIds: ['db-1'] }, ALICE))[Symbol.asyncIterator]();
    bus.publish(completed('e1', ['n2']));
    const next = stream.next();
    const timeout = new Promise((r) => setTimeout(() => r('nothing'), 100));
    expect(await Promise.race([next, timeout])).toBe('nothing');
    await stream.return?.();
  });

  it('ends a subscriber that falls more than maxBuffer events behind with SUBSCRIBER_TOO_SLOW', async () => {
    const bus = new InProcessEventBus();
    const nodes = lookups([node('n1', 'web-1')]);
    const service = new LiveNotificationService({ source: bus, visibilityFor: () => nodeVisibility(nodes), nodesFor: () => nodes, maxBuffer: 5 });
    const stream = (await service.subscribe({}, ALICE))[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i++) bus.publish(completed(`e${i}`, ['n1']));
    await new Promise((r) => setTimeout(r, 50));
    await expect(stream.next()).rejects.toMatchObject({ code: ErrorCode.SUBSCRIBER_TOO_SLOW });
  });
});
