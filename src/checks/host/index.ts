/** The host checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';

export const HOST_CHECKS: readonly Check[] = [];
