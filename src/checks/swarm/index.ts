/** The swarm checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';

export const SWARM_CHECKS: readonly Check[] = [];
