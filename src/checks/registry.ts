/**
 * Every implemented check, keyed by STIG id. A rule with no check here can't be decided from facts
 * (a manual rule, for attestation).
 */
import type { Check } from './check.js';
import { MOUNT_CHECKS } from './mounts.js';
import { NAMESPACE_CHECKS } from './namespaces.js';
import { PRIVILEGE_CHECKS } from './privileges.js';
import { RESOURCE_CHECKS } from './resources.js';
import { SECURITY_OPT_CHECKS } from './security-opts.js';
import { CONTAINERS_CHECKS } from './containers/index.js';
import { ENGINE_CHECKS } from './engine/index.js';
import { HOST_CHECKS } from './host/index.js';
import { SWARM_CHECKS } from './swarm/index.js';
import { SUPPLY_CHAIN_CHECKS } from './supply-chain/signed-image-rules.js';
import { ENVIRONMENT_CHECKS } from './environment/environment-rules.js';
import { SECRET_CHECKS } from './secrets/index.js';

export const CHECKS: readonly Check[] = [
  ...PRIVILEGE_CHECKS,
  ...NAMESPACE_CHECKS,
  ...MOUNT_CHECKS,
  ...SECURITY_OPT_CHECKS,
  ...RESOURCE_CHECKS,
  ...CONTAINERS_CHECKS,
  ...ENGINE_CHECKS,
  ...SWARM_CHECKS,
  ...HOST_CHECKS,
  ...SUPPLY_CHAIN_CHECKS,
  ...ENVIRONMENT_CHECKS,
  ...SECRET_CHECKS,
];

const BY_STIG_ID: ReadonlyMap<string, Check> = new Map(CHECKS.map((c) => [c.stigId, c]));

/** The check that decides the rule with this STIG id, if one is implemented. */
export function checkFor(stigId: string): Check | undefined {
  return BY_STIG_ID.get(stigId);
}
