/** Event filters as users write them (nodes by id, name or endpoint), checked and with their nodes resolved to ids. */
import { checkEventFilter, type EventFilter } from '../domain/event-filter.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { NodeService } from '../domain/services.js';

/** The checked filter with node references resolved to ids; BAD_INPUT naming the unknown ones. */
export async function resolveEventFilter(filter: EventFilter, nodes: Pick<NodeService, 'find'>): Promise<EventFilter> {
  const checked = checkEventFilter(filter);
  if (checked.nodeIds === undefined) return checked;
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const ref of checked.nodeIds) {
    const node = await nodes.find(ref, { includeRemoved: true });
    if (node === undefined) unknown.push(ref);
    else ids.push(node.id);
  }
  if (unknown.length > 0) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `the filter names unknown nodes: ${unknown.map((u) => JSON.stringify(u.slice(0, 60))).join(', ')}`, [{ pointer: '/filter/dockerNodes', message: 'unknown node' }]);
  }
  return { ...checked, nodeIds: [...new Set(ids)] };
}
