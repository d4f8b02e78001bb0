/** The engine checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';

export const ENGINE_CHECKS: readonly Check[] = [];
