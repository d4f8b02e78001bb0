/**
 * The trust collector: the `trust` part of NodeFacts. It resolves each container's image to its repository
 * and digest (trust-subjects.ts), takes the tags of the environment's registries from the `registries` part,
 * and fetches the TUF metadata of every repository (GUN) involved from the trust server configured for its
 * registry host, keeping the files as served: checks verify them as of the collection time. A GUN the server
 * can't serve is recorded as failed (those images report `error`); one it has never seen is `not-found`
 * (unsigned). Nothing is fetched when the environment has no trust server: the policy is then null and the
 * signature rules stay manual.
 */
import { isPlimsollError } from '../domain/errors.js';
import type { Collected, NodeFacts } from '../domain/facts.js';
import { parseImageReference } from '../domain/image-reference.js';
import type { DockerNode } from '../domain/node.js';
import { DEFAULT_ALLOWED_SIGNERS, type EnvironmentSupplyChain, type SupplyChainSettingsSource, type TrustServerSettings } from '../domain/supply-chain.js';
import type { RegistryTagSubject, TrustFacts, TrustRepositoryFacts } from '../domain/supply-chain-facts.js';
import type { TrustClient } from '../repositories/trust-client.js';
import { mapBounded } from './bounded.js';
import type { PartCollector } from './part-collector.js';
import { imageTrustSubjects } from './trust-subjects.js';

export interface TrustCollectorOptions {
  /** GUNs fetched at once; default 16. */
  concurrency?: number;
}

/** Collects the trust data of the node's images and its environment's registry tags. */
export class TrustCollector implements PartCollector<'trust'> {
  readonly part = 'trust' as const;
  private readonly concurrency: number;

  constructor(
    private readonly settings: SupplyChainSettingsSource,
    private readonly client: TrustClient,
    options: TrustCollectorOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 16);
  }

  async collect(node: DockerNode, _docker: unknown, base: NodeFacts): Promise<Collected<TrustFacts>> {
    const environment = node.environment ?? 'default';
    await this.settings.refresh?.();
    const env = this.settings.forEnvironment(node.environment);
    const images = imageTrustSubjects(base);
    const servers = new Map((env?.trustServers ?? []).map((s) => [s.name, s]));
    const registryTrust: Record<string, string> = {};
    for (const r of env?.registries ?? []) if (r.trustServer !== undefined) registryTrust[r.host] = r.trustServer;
    const tags = registryTagsOf(base);
    const facts: TrustFacts = {
      environment,
      policy: env === undefined || servers.size === 0 ? null : policyOf(env),
      trustServers: Object.fromEntries([...servers.values()].map((s) => [s.name, s.url])),
      registryTrust,
      images,
      ...tags,
      repositories: {},
    };
    if (facts.policy === null) return { status: 'collected', data: facts };

    const guns = new Set<string>();
    for (const i of images) if (i.repository !== null && i.digest !== null) guns.add(i.repository);
    for (const t of facts.registryTags ?? []) guns.add(t.repository);
    const wanted = [...guns].sort().flatMap((gun) => {
      const host = parseImageReference(gun)?.host;
      const server = host !== undefined ? servers.get(registryTrust[host] ?? '') : undefined;
      return server !== undefined ? [{ gun, server }] : [];
    });
    const fetched = await mapBounded(wanted, this.concurrency, ({ gun, server }) => this.fetch(server, gun));
    wanted.forEach(({ gun }, i) => (facts.repositories[gun] = fetched[i] as TrustRepositoryFacts));
    return { status: 'collected', data: facts };
  }

  private async fetch(server: TrustServerSettings, gun: string): Promise<TrustRepositoryFacts> {
    const pinned = pinnedKeysFor(server, gun);
    try {
      const answer = await this.client.fetch(server, gun);
      if (answer.status === 'not-found') return { trustServer: server.name, status: 'not-found' };
      return { trustServer: server.name, status: 'found', files: answer.files, ...(pinned !== undefined ? { pinnedRootKeyIds: pinned } : {}) };
    } catch (e) {
      if (isPlimsollError(e)) return { trustServer: server.name, status: 'failed', error: e.message };
      throw e;
    }
  }
}

function policyOf(env: EnvironmentSupplyChain): NonNullable<TrustFacts['policy']> {
  const defaulted = env.allowedSigners.length === 0;
  return { allowedSigners: (defaulted ? DEFAULT_ALLOWED_SIGNERS : env.allowedSigners).map((s) => ({ role: s.role, ...(s.keyIds !== undefined ? { keyIds: [...s.keyIds] } : {}) })), defaulted };
}

/** The pinned root key ids of the most specific pattern matching the GUN (`gun`, or `prefix/*`). */
export function pinnedKeysFor(server: Pick<TrustServerSettings, 'pinnedRootKeys'>, gun: string): string[] | undefined {
  let best: { length: number; ids: string[] } | undefined;
  for (const [pattern, ids] of Object.entries(server.pinnedRootKeys ?? {})) {
    const matches = pattern.endsWith('*') ? gun.startsWith(pattern.slice(0, -1)) : pattern === gun;
    if (matches && (best === undefined || pattern.length > best.length)) best = { length: pattern.length, ids };
  }
  return best?.ids;
}

/** The registries part's tags as trust subjects, or why there are none. */
function registryTagsOf(base: NodeFacts): Pick<TrustFacts, 'registryTags' | 'registryTagsProblem'> {
  const part = base.registries;
  if (part === undefined) return { registryTagsProblem: 'the registries were not collected' };
  if (part.status === 'failed') return { registryTagsProblem: `collecting the registries failed: ${part.error}` };
  if (part.status === 'unavailable') return { registryTagsProblem: `the registries are unavailable: ${part.reason}` };
  const tags: RegistryTagSubject[] = [];
  const failed: string[] = [];
  for (const r of part.data.registries) {
    if (r.status === 'failed') failed.push(`${r.name}: ${r.error}`);
    else for (const repo of r.repositories) for (const t of repo.tags) tags.push({ registry: r.name, repository: `${r.host}/${repo.name}`, tag: t.tag, digest: t.digest });
  }
  return failed.length > 0 ? { registryTags: tags, registryTagsProblem: `registries could not be read (${failed.join('; ')})` } : { registryTags: tags };
}
