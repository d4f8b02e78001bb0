/** The containers checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';

export const CONTAINERS_CHECKS: readonly Check[] = [];
