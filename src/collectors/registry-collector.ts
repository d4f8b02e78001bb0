/**
 * The registry collector: the `registries` part of NodeFacts. For each registry of the node's environment it
 * reads the catalog (filtered by the registry's `repositories` setting), every repository's tags and the
 * manifest each tag points to (digest, media type, and for manifest lists and OCI indexes their platform
 * manifests). A registry that can't be read is recorded as failed with the reason (its rules report `error`);
 * a tag deleted between the listing and its manifest read is skipped. Clients are kept per registry, so a
 * server reuses connections and tokens across runs.
 */
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { Collected } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import { endpointKey, repositorySelected, type RegistrySettings, type SupplyChainSettingsSource } from '../domain/supply-chain.js';
import type { RegistryFacts, RegistryInventory, RegistryRepository, RegistryTag } from '../domain/supply-chain-facts.js';
import type { RegistryClient, RegistryClientFactory } from '../repositories/registry-client.js';
import { mapBounded } from './bounded.js';
import type { PartCollector } from './part-collector.js';

export interface RegistryCollectorOptions {
  /** Manifest reads in flight per registry; default 8. */
  concurrency?: number;
  /** More repositories in a catalog, or tags in a repository, fail the registry (no verdict on part of it). */
  maxRepositories?: number;
  maxTagsPerRepository?: number;
}

/** Collects the environment's registries. */
export class RegistryCollector implements PartCollector<'registries'> {
  readonly part = 'registries' as const;
  private readonly clients = new Map<string, RegistryClient>();
  private readonly concurrency: number;
  private readonly maxRepositories: number;
  private readonly maxTags: number;

  constructor(
    private readonly settings: SupplyChainSettingsSource,
    private readonly factory: RegistryClientFactory,
    options: RegistryCollectorOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.maxRepositories = options.maxRepositories ?? 1000;
    this.maxTags = options.maxTagsPerRepository ?? 1000;
  }

  async collect(node: DockerNode): Promise<Collected<RegistryInventory>> {
    const environment = node.environment ?? 'default';
    await this.settings.refresh?.();
    const registries = this.settings.forEnvironment(node.environment)?.registries ?? [];
    const facts: RegistryFacts[] = [];
    for (const registry of registries) facts.push(await this.collectRegistry(registry));
    return { status: 'collected', data: { environment, registries: facts } };
  }

  /** Closes every client's idle connections. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(registry: RegistrySettings): RegistryClient {
    // Keyed by URL, CA and credentials: a registration's change takes a new client (and drops cached tokens).
    const key = endpointKey(registry);
    let c = this.clients.get(key);
    if (c === undefined) {
      c = this.factory(registry);
      this.clients.set(key, c);
    }
    return c;
  }

  private async collectRegistry(registry: RegistrySettings): Promise<RegistryFacts> {
    const head = { name: registry.name, host: registry.host, url: registry.url };
    const client = this.client(registry);
    try {
      const names = (await client.catalog(this.maxRepositories)).filter((n) => repositorySelected(n, registry.repositories)).sort();
      const repositories: RegistryRepository[] = [];
      for (const name of names) {
        const tags = [...new Set(await client.tags(name, this.maxTags))].sort();
        const read = await mapBounded(tags, this.concurrency, (tag) => readTag(client, name, tag));
        repositories.push({ name, tags: read.filter((t): t is RegistryTag => t !== undefined) });
      }
      return { ...head, status: 'collected', repositories };
    } catch (e) {
      if (isPlimsollError(e)) return { ...head, status: 'failed', error: e.message };
      throw e;
    }
  }
}

async function readTag(client: RegistryClient, repository: string, tag: string): Promise<RegistryTag | undefined> {
  try {
    const m = await client.manifest(repository, tag);
    return { tag, digest: m.digest, mediaType: m.mediaType, size: m.size, ...(m.manifests !== undefined ? { manifests: m.manifests } : {}) };
  } catch (e) {
    if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) return undefined;
    throw e;
  }
}
