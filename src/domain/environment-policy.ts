/**
 * Segregation of environments (issue #11 item 3, Plimsoll's own rules PLM-ENV-001 and PLM-ENV-002): what a
 * node's environment allows, as configured, collected into the facts so the checks stay pure functions of them.
 */

/** The environments that count as production unless configured (PLIMSOLL_PROD_ENVIRONMENTS). */
export const DEFAULT_PRODUCTION_ENVIRONMENTS: readonly string[] = ['prod', 'production'];

/** The label Docker Enterprise (UCP) reads to place a workload in a collection (PLIMSOLL_ACCESS_LABEL_KEY). */
export const DEFAULT_ACCESS_LABEL_KEY = 'com.docker.ucp.access.label';

/** The environment part of NodeFacts: the node's environment and the policy configured for it at collection. */
export interface EnvironmentPolicyFacts {
  /** The node's environment (`default` when it has none). */
  environment: string;
  /** Whether that environment is a production one (one of `productionEnvironments`). */
  production: boolean;
  productionEnvironments: string[];
  /** The hosts of the environment's registries (`registry.example.mil:5000`); null: none configured. */
  registryHosts: string[] | null;
  /** The container label naming a workload's collection. */
  accessLabelKey: string;
  /** The collections of the environment (`/prod`, `/Shared/prod/*`); null: none configured. */
  collections: string[] | null;
}

/** A collection pattern: `/prod` names that collection; `/Shared/prod/*` every collection below `/Shared/prod`. */
export function collectionMatches(collection: string, pattern: string): boolean {
  if (pattern.endsWith('/*')) return collection.startsWith(pattern.slice(0, -1)) && collection.length > pattern.length - 1;
  return collection === pattern;
}
