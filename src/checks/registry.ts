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

export const CHECKS: readonly Check[] = [
  ...PRIVILEGE_CHECKS,
  ...NAMESPACE_CHECKS,
  ...MOUNT_CHECKS,
  ...SECURITY_OPT_CHECKS,
  ...RESOURCE_CHECKS,
];

const BY_STIG_ID: ReadonlyMap<string, Check> = new Map(CHECKS.map((c) => [c.stigId, c]));

/** The check that decides the rule with this STIG id, if one is implemented. */
export function checkFor(stigId: string): Check | undefined {
  return BY_STIG_ID.get(stigId);
}
