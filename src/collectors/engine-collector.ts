/**
 * The engine collector: one inventory of a Docker engine per run. It reads /version and /info,
 * lists every container (stopped ones too, as the STIG checks use `docker ps --all`) and inspects
 * each exactly once with bounded concurrency, so checks evaluate rules in memory instead of asking
 * the engine again per rule.
 */
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { ApiObject, Collected, ContainerFacts, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { FactsCollector } from '../domain/services.js';
import type { DockerClient, DockerClientFactory } from '../repositories/docker-client.js';
import { HELPER_LABEL } from '../repositories/host/helper-container-files.js';
import type { PartCollector } from './part-collector.js';
import { mapBounded } from './bounded.js';

export interface EngineCollectorOptions {
  /** Clock for `collectedAt`; default `() => new Date()`. */
  now?: () => Date;
  /** How many container inspections run at once; default 8. */
  concurrency?: number;
  /** Further parts of the inventory (images, daemon configuration, swarm, host files), each run once. */
  parts?: readonly PartCollector[];
}

export const DEFAULT_INSPECT_CONCURRENCY = 8;

/** Collects NodeFacts from a Docker engine through a DockerClient. */
export class EngineCollector implements FactsCollector {
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly parts: readonly PartCollector[];

  constructor(
    private readonly clients: DockerClientFactory,
    options: EngineCollectorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_INSPECT_CONCURRENCY));
    this.parts = options.parts ?? [];
  }

  /** One inventory of `node`; rejects with NODE_UNREACHABLE / NODE_TLS_FAILED when the engine can't be read. */
  async collect(node: DockerNode): Promise<NodeFacts> {
    const client = this.clients(node);
    // The inventory is stamped with the moment collection started: every fact is at least that fresh.
    const collectedAt = this.now().toISOString();
    const [version, info, listed] = await Promise.all([client.version(), client.info(), client.listContainers({ all: true })]);
    const inspected = await mapBounded(listed, this.concurrency, (summary) => inspectListed(client, summary));
    const containers = inspected
      .filter((c): c is ContainerFacts => c !== undefined)
      // Plimsoll's own short-lived host-files helper (a concurrent run's) is not part of the node's workload.
      .filter((c) => !isPlimsollHelper(c.inspect))
      // Stable order, so that the snapshot hash does not depend on listing order.
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const facts: NodeFacts = { nodeId: node.id, nodeName: node.name, endpoint: node.endpoint, collectedAt, version, info, containers };
    // Parts run one after another: each is a handful of calls, and a helper container must not race the inventory.
    for (const collector of this.parts) {
      let part: Collected<unknown>;
      try {
        part = await collector.collect(node, client, facts);
      } catch (e) {
        // An unreachable engine fails the run as the core inventory would; anything else fails only this part.
        if (isPlimsollError(e) && (e.code === ErrorCode.NODE_UNREACHABLE || e.code === ErrorCode.NODE_TLS_FAILED)) throw e;
        part = { status: 'failed', error: e instanceof Error ? e.message : String(e) };
      }
      (facts as unknown as Record<string, Collected<unknown>>)[collector.part] = part;
    }
    return facts;
  }
}

/** True for the read-only helper container Plimsoll itself runs to read host files (label plimsoll.helper=true). */
export function isPlimsollHelper(inspect: ApiObject): boolean {
  const labels = (inspect.Config as ApiObject | undefined)?.Labels as Record<string, unknown> | null | undefined;
  return labels?.[HELPER_LABEL] === 'true';
}

/** Inspects one listed container; undefined when it was removed since the listing. */
async function inspectListed(client: DockerClient, summary: ApiObject): Promise<ContainerFacts | undefined> {
  const id = summary.Id;
  if (typeof id !== 'string' || id === '') return undefined;
  let inspect: ApiObject;
  try {
    inspect = await client.inspectContainer(id);
  } catch (e) {
    if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) return undefined;
    throw e;
  }
  return { id, name: containerName(inspect, summary), image: containerImage(inspect, summary), inspect };
}

/** The container name without its leading slash, from the inspection or else the listing. */
export function containerName(inspect: ApiObject, summary: ApiObject = {}): string {
  if (typeof inspect.Name === 'string' && inspect.Name !== '') return inspect.Name.replace(/^\//, '');
  const names = summary.Names;
  if (Array.isArray(names) && typeof names[0] === 'string') return names[0].replace(/^\//, '');
  return typeof inspect.Id === 'string' ? inspect.Id.slice(0, 12) : '';
}

/** The image as the container was created from (`Config.Image`), else the listing's image, else the image id. */
export function containerImage(inspect: ApiObject, summary: ApiObject = {}): string {
  const config = inspect.Config;
  if (typeof config === 'object' && config !== null) {
    const image = (config as ApiObject).Image;
    if (typeof image === 'string' && image !== '') return image;
  }
  if (typeof summary.Image === 'string' && summary.Image !== '') return summary.Image;
  return typeof inspect.Image === 'string' ? inspect.Image : '';
}
