/**
 * The swarm checks (issue #4); each file of this folder exports its checks, collected here. Left to manual
 * review (see manual-reasons.ts): DKER-EE-002410 and DKER-EE-002660 (how secrets are handled is a practice and
 * the SSP names the applications), DKER-EE-005070 (the auto-lock key's rotation is a history the engine does
 * not keep) and DKER-EE-005080 (the swarm's node certificate expiry, Spec.CAConfig.NodeCertExpiry, is in the
 * facts, but the period it must match is the one the SSP defines).
 */
import type { Check } from '../check.js';
import { CLUSTER_CHECKS } from './cluster-rules.js';
import { NETWORK_CHECKS } from './network-rules.js';

export const SWARM_CHECKS: readonly Check[] = [...CLUSTER_CHECKS, ...NETWORK_CHECKS];
