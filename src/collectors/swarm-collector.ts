/**
 * The swarm collector: the swarm part of NodeFacts. It decides from the core inventory's /info (its Swarm
 * section) what the node is before calling any swarm endpoint, because those answer 503 on anything but an
 * active manager:
 * - not active (inactive, pending, error, locked): the state only, with nulls and empty lists; the swarm
 *   checks read the state (not applicable when inactive; a locked node shows auto-lock is on);
 * - an active worker: the overlay networks it carries (the one swarm listing a worker may read); the
 *   cluster's settings, nodes, services, secrets, configs and tasks need a manager, and the checks say so;
 * - an active manager: /swarm, /nodes, /services, /secrets, /configs, /tasks and the overlay networks,
 *   each read once.
 * Secret material is never kept: /swarm's join tokens and the content of configs are dropped (/secrets
 * never returns secret data).
 */
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { ApiObject, Collected, NodeFacts, SwarmFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { DockerClient } from '../repositories/docker-client.js';
import type { PartCollector } from './part-collector.js';

/** The filter of the overlay networks listing: the STIG's `docker network ls --filter driver=overlay`. */
export const OVERLAY_NETWORKS_QUERY = { filters: JSON.stringify({ driver: ['overlay'] }) };

/** A swarm listing the collector reads, with the shape its answer must have. */
interface Listing {
  path: string;
  query?: Record<string, string>;
}

const LISTINGS = {
  nodes: { path: '/nodes' },
  services: { path: '/services' },
  secrets: { path: '/secrets' },
  configs: { path: '/configs' },
  tasks: { path: '/tasks' },
  networks: { path: '/networks', query: OVERLAY_NETWORKS_QUERY },
} as const satisfies Record<string, Listing>;

/** Why a swarm call failed, as the part's error. */
class PartFailure extends Error {}

/** Collects the swarm part of a node's facts. */
export class SwarmCollector implements PartCollector<'swarm'> {
  readonly part = 'swarm' as const;

  async collect(_node: DockerNode, client: DockerClient, base: NodeFacts): Promise<Collected<SwarmFacts>> {
    const section = base.info.Swarm;
    if (!isObject(section)) return { status: 'failed', error: 'GET /info has no Swarm section: the node cannot say whether it is in a swarm' };
    const state = section.LocalNodeState;
    if (typeof state !== 'string' || state === '') {
      return { status: 'failed', error: `GET /info has Swarm.LocalNodeState ${JSON.stringify(state ?? null)}: expected the node's swarm state` };
    }
    const isManager = section.ControlAvailable === true;
    const facts: SwarmFacts = { localNodeState: state, isManager, swarm: null, nodes: [], services: [], secrets: [], configs: [], tasks: [], networks: [] };
    if (state !== 'active') return { status: 'collected', data: facts };
    try {
      if (!isManager) {
        facts.networks = await list(client, LISTINGS.networks);
        return { status: 'collected', data: facts };
      }
      const [swarm, nodes, services, secrets, configs, tasks, networks] = await Promise.all([
        read(client, { path: '/swarm' }).then((v) => withoutJoinTokens(asObject('/swarm', v))),
        list(client, LISTINGS.nodes),
        list(client, LISTINGS.services),
        list(client, LISTINGS.secrets),
        list(client, LISTINGS.configs).then((cs) => cs.map(withoutConfigData)),
        list(client, LISTINGS.tasks),
        list(client, LISTINGS.networks),
      ]);
      return { status: 'collected', data: { ...facts, swarm, nodes, services, secrets, configs, tasks, networks } };
    } catch (e) {
      if (e instanceof PartFailure) return { status: 'failed', error: e.message };
      throw e;
    }
  }
}

/**
 * One GET. An engine that answered with an HTTP error (503 when the node stopped being a manager since /info,
 * 404) fails only this part; an engine that can't be reached fails the run, as the core inventory would.
 */
async function read(client: DockerClient, listing: Listing): Promise<unknown> {
  try {
    return await client.request('GET', listing.path, listing.query === undefined ? {} : { query: listing.query });
  } catch (e) {
    if (isPlimsollError(e) && (e.code === ErrorCode.NODE_UNREACHABLE || e.code === ErrorCode.NODE_TLS_FAILED) && !answeredWithStatus(e)) throw e;
    throw new PartFailure(`GET ${listing.path} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A listing as an array of objects, sorted by Id/ID so that the snapshot hash doesn't depend on the engine's order. */
async function list(client: DockerClient, listing: Listing): Promise<ApiObject[]> {
  const value = await read(client, listing);
  if (!Array.isArray(value)) throw new PartFailure(`GET ${listing.path} answered ${describe(value)}: expected a JSON array`);
  const items = value.map((item, i) => {
    if (!isObject(item)) throw new PartFailure(`GET ${listing.path} answered ${describe(item)} at index ${i}: expected a JSON object`);
    return item;
  });
  return items.sort((a, b) => compare(idOf(a), idOf(b)));
}

/** True when the error carries the HTTP status of an engine answer (the engine was reached). */
function answeredWithStatus(e: Error): boolean {
  const cause = (e as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null && typeof (cause as { statusCode?: unknown }).statusCode === 'number';
}

/** /swarm without `JoinTokens`: anyone holding them can join the swarm, and facts are stored. */
function withoutJoinTokens(swarm: ApiObject): ApiObject {
  const { JoinTokens: _tokens, ...rest } = swarm;
  return rest;
}

/** A config without `Spec.Data` (application content, kept out of stored facts; no check reads it). */
function withoutConfigData(config: ApiObject): ApiObject {
  if (!isObject(config.Spec)) return config;
  const { Data: _data, ...spec } = config.Spec;
  return { ...config, Spec: spec };
}

function asObject(path: string, value: unknown): ApiObject {
  if (!isObject(value)) throw new PartFailure(`GET ${path} answered ${describe(value)}: expected a JSON object`);
  return value;
}

function isObject(value: unknown): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(item: ApiObject): string {
  const id = item.ID ?? item.Id;
  return typeof id === 'string' ? id : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 60))})`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
