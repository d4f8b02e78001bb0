/**
 * The environment-policy collector: the `environmentPolicy` part of NodeFacts, read from configuration only
 * (no engine call). It records, as of the collection, the node's environment, whether that is a production
 * one, the hosts of its registries, the access label key and its collections, so the segregation rules
 * (PLM-ENV-001, PLM-ENV-002) decide from the facts alone and a stored snapshot says what policy was applied.
 */
import { environmentOf } from '../domain/environment-scope.js';
import type { EnvironmentPolicyFacts } from '../domain/environment-policy.js';
import type { Collected } from '../domain/facts.js';
import { parseImageReference } from '../domain/image-reference.js';
import type { DockerNode } from '../domain/node.js';
import type { SupplyChainSettingsSource } from '../domain/supply-chain.js';
import type { PartCollector } from './part-collector.js';

export interface EnvironmentPolicySettings {
  productionEnvironments: readonly string[];
  accessLabelKey: string;
}

/** A registry host as image references name it (`index.docker.io` is `docker.io`), lower-cased. */
export function normalizeRegistryHost(host: string): string {
  return (parseImageReference(`${host.trim()}/x`)?.host ?? host.trim()).toLowerCase();
}

export class EnvironmentPolicyCollector implements PartCollector<'environmentPolicy'> {
  readonly part = 'environmentPolicy' as const;

  constructor(
    private readonly supplyChain: SupplyChainSettingsSource,
    private readonly settings: EnvironmentPolicySettings,
  ) {}

  async collect(node: DockerNode): Promise<Collected<EnvironmentPolicyFacts>> {
    const environment = environmentOf(node);
    const chain = this.supplyChain.forEnvironment(node.environment);
    const hosts = [...new Set((chain?.registries ?? []).map((r) => normalizeRegistryHost(r.host)))];
    const collections = chain?.collections ?? [];
    return {
      status: 'collected',
      data: {
        environment,
        production: this.settings.productionEnvironments.includes(environment),
        productionEnvironments: [...this.settings.productionEnvironments],
        registryHosts: hosts.length > 0 ? hosts : null,
        accessLabelKey: this.settings.accessLabelKey,
        collections: collections.length > 0 ? [...collections] : null,
      },
    };
  }
}
