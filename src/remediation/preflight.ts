/**
 * Before a plan's first call: is every target of an engine item still the one the plan was made for, with the
 * values the plan saw? A container must still exist under its id (a recreated container has another), have the
 * same stable key and show the same values at the fields the change sets; a swarm must be the same cluster,
 * reached through a manager, still without auto-lock. Any difference makes the plan stale: nothing is applied,
 * since an approver approved changes to what the plan showed, not to what is there now.
 */
import { canonicalJson } from '../domain/canonical-json.js';
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { ApiObject } from '../domain/facts.js';
import type { EngineChange, RemediationItem } from '../domain/remediation.js';
import { readField } from '../checks/evidence.js';
import { containerKey } from '../assessment/target-keys.js';
import type { EngineUpdateClient } from '../repositories/docker-client.js';
import { engineHttpStatusOf } from '../repositories/docker/docker-errors.js';
import { AUTOLOCK_FIELD } from './in-place-changes.js';

/** An engine item checked and ready: the call to make, or why the plan is stale. */
export type Preflight =
  | { stale: string }
  | { ready: 'container'; containerId: string }
  | { ready: 'swarm'; version: number; spec: ApiObject };

function show(value: unknown): string {
  return value === undefined ? 'absent' : canonicalJson(value);
}

/** The first field whose current value differs from the plan's, described; undefined when all agree. */
function changedField(current: ApiObject, before: Record<string, unknown>, what: string): string | undefined {
  for (const [field, was] of Object.entries(before)) {
    const now = readField(current, field);
    if (canonicalJson(now) !== canonicalJson(was)) return `${field} of ${what} is now ${show(now)}; the plan was made when it was ${show(was)}`;
  }
  return undefined;
}

async function containerPreflight(item: RemediationItem, change: Extract<EngineChange, { containerId: string }>, client: EngineUpdateClient): Promise<Preflight> {
  const what = `container ${item.target.name} (${item.target.key}) on ${item.nodeName}`;
  let inspect: ApiObject;
  try {
    inspect = await client.inspectContainer(change.containerId);
  } catch (e) {
    if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) return { stale: `${what} is gone: no container has the id ${change.containerId.slice(0, 12)} any more (removed or recreated since the assessment)` };
    throw e;
  }
  const name = typeof inspect.Name === 'string' ? inspect.Name.replace(/^\//, '') : '';
  const key = containerKey(name, inspect);
  if (key !== item.target.key) return { stale: `${what}: the container with that id now has the stable key ${key}` };
  const changed = changedField(inspect, change.before, what);
  return changed !== undefined ? { stale: changed } : { ready: 'container', containerId: change.containerId };
}

async function swarmPreflight(item: RemediationItem, change: Extract<EngineChange, { swarmId: string }>, client: EngineUpdateClient): Promise<Preflight> {
  const what = `the swarm of ${item.nodeName}`;
  let swarm: ApiObject;
  try {
    swarm = await client.inspectSwarm();
  } catch (e) {
    // 503: not a manager (or not in a swarm) any more; 404 on old engines outside a swarm.
    const status = engineHttpStatusOf(e);
    if (status === 503 || status === 404 || status === 406) return { stale: `${item.nodeName} is no longer a swarm manager (the engine answered ${status} to GET /swarm)` };
    throw e;
  }
  if (swarm.ID !== change.swarmId) return { stale: `${what} is now the swarm ${show(swarm.ID)}; the plan was made for ${change.swarmId}` };
  const changed = changedField(swarm, change.before, what);
  if (changed !== undefined) return { stale: changed };
  const version = readField(swarm, 'Version.Index');
  const spec = swarm.Spec;
  if (typeof version !== 'number' || typeof spec !== 'object' || spec === null) return { stale: `${what} answered GET /swarm without Version.Index or Spec` };
  const encryption = { ...((spec as ApiObject).EncryptionConfig as ApiObject | undefined), AutoLockManagers: true };
  return { ready: 'swarm', version, spec: { ...(spec as ApiObject), EncryptionConfig: encryption } };
}

/** Checks one engine item against the engine now; connection failures propagate (the plan is not stale, just unreachable). */
export async function preflight(item: RemediationItem, client: EngineUpdateClient): Promise<Preflight> {
  if (item.action.mode !== 'engine') throw new Error(`item ${item.position} is not an engine item`);
  const change = item.action.change;
  return change.setting === 'swarm-autolock' ? swarmPreflight(item, change, client) : containerPreflight(item, change, client);
}

/** The field the swarm change sets, for the call record (never the whole spec). */
export const AUTOLOCK_REQUEST = { [AUTOLOCK_FIELD]: true } as const;
