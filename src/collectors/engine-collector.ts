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
import { randomBytes } from 'node:crypto';
import { EnvRedactor } from '../domain/env-redaction.js';
import type { HelperLedger } from '../repositories/host/helper-ledger.js';
import type { PartCollector } from './part-collector.js';
import { mapBounded } from './bounded.js';

export interface EngineCollectorOptions {
  /** Clock for `collectedAt`; default `() => new Date()`. */
  now?: () => Date;
  /** How many container inspections run at once; default 8. */
  concurrency?: number;
  /** Further parts of the inventory (images, daemon configuration, swarm, host files), each run once. */
  parts?: readonly PartCollector[];
  /** The helper containers Plimsoll created (shared with the host access): the only containers left out, by id. */
  helpers?: Pick<HelperLedger, 'owns'>;
  /**
   * Replaces every environment value by its salted hash as soon as it is read (default: a redactor with a
   * random salt of this process, so that values are never kept even when none is configured).
   */
  redactor?: EnvRedactor;
  /** The oldest a swarm secret may be, in days, recorded in the facts' secret policy for the rotation rule. */
  secretMaxAgeDays?: number;
}

export const DEFAULT_INSPECT_CONCURRENCY = 8;

/** Collects NodeFacts from a Docker engine through a DockerClient. */
export class EngineCollector implements FactsCollector {
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly parts: readonly PartCollector[];
  private readonly helpers: Pick<HelperLedger, 'owns'> | undefined;
  private readonly redactor: EnvRedactor;
  private readonly secretMaxAgeDays: number | undefined;

  constructor(
    private readonly clients: DockerClientFactory,
    options: EngineCollectorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_INSPECT_CONCURRENCY));
    this.parts = options.parts ?? [];
    this.helpers = options.helpers;
    this.redactor = options.redactor ?? new EnvRedactor(randomBytes(32).toString('hex'));
    this.secretMaxAgeDays = options.secretMaxAgeDays;
  }

  /**
   * One inventory of `node` with the parts in `options.parts` (default: all); rejects with NODE_UNREACHABLE /
   * NODE_TLS_FAILED when the engine can't be read.
   */
  async collect(node: DockerNode, options: { signal?: AbortSignal; parts?: ReadonlySet<string> } = {}): Promise<NodeFacts> {
    const { signal, parts } = options;
    const client = this.clients(node);
    // The inventory is stamped with the moment collection started: every fact is at least that fresh.
    const collectedAt = this.now().toISOString();
    const [version, info, listed] = await Promise.all([client.version(), client.info(), client.listContainers({ all: true })]);
    signal?.throwIfAborted();
    const inspected = (
      await mapBounded(listed, this.concurrency, (summary) => {
        // A stopped run asks the engine nothing more: each call in flight ends within the client's own timeout.
        signal?.throwIfAborted();
        return inspectListed(client, summary);
      })
    ).filter((c): c is ContainerFacts => c !== undefined);
    // Environment values are replaced by salted hashes before anything else sees them.
    const classifications = inspected.flatMap((c) => this.redactor.redact(c.inspect, `containers/${c.id}/inspect`));
    // Only Plimsoll's own short-lived host-files helpers (a concurrent collection's), known by the id they were
    // created with, are not part of the node's workload; a container merely labelled like one is assessed.
    const own = inspected.filter((c) => this.helpers?.owns(c.id) === true);
    // Stable order, so that the snapshot hash does not depend on listing order.
    const containers = inspected.filter((c) => !own.includes(c)).sort(byNameThenId);
    const facts: NodeFacts = { nodeId: node.id, nodeName: node.name, endpoint: node.endpoint, collectedAt, version, info, containers };
    if (own.length > 0) facts.leftOut = own.sort(byNameThenId).map((c) => ({ id: c.id, name: c.name, reason: 'a host-files helper container created by this Plimsoll instance' }));
    if (node.platformContainerPattern !== undefined) facts.platformContainerPattern = node.platformContainerPattern;
    // Parts run one after another: each is a handful of calls, and a helper container must not race the inventory.
    for (const collector of this.parts) {
      // A part no selected rule reads is not fetched at all (its checks, if any ran, would answer `error`).
      if (parts !== undefined && !parts.has(collector.part)) continue;
      signal?.throwIfAborted();
      let part: Collected<unknown>;
      try {
        part = await collector.collect(node, client, facts);
      } catch (e) {
        // An unreachable engine fails the run as the core inventory would; anything else fails only this part.
        if (isPlimsollError(e) && (e.code === ErrorCode.NODE_UNREACHABLE || e.code === ErrorCode.NODE_TLS_FAILED)) throw e;
        part = { status: 'failed', error: e instanceof Error ? e.message : String(e) };
      }
      if (part.status === 'collected') classifications.push(...this.redactor.redact(part.data, collector.part));
      (facts as unknown as Record<string, Collected<unknown>>)[collector.part] = part;
    }
    if (classifications.length > 0) facts.envClassifications = classifications;
    // Secret rules pass only on values that were screened: say by what, and under which rotation limit.
    const classifiers = this.redactor.classifierIds;
    if (classifiers.length > 0 || this.secretMaxAgeDays !== undefined) {
      facts.secretPolicy = { classifiers, ...(this.secretMaxAgeDays !== undefined ? { maxAgeDays: this.secretMaxAgeDays } : {}) };
    }
    return facts;
  }
}

function byNameThenId(a: ContainerFacts, b: ContainerFacts): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
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
