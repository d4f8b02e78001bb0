/** The containers checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';
import { HOST_RESOURCE_CHECKS } from './host-resource-rules.js';
import { LIFECYCLE_CHECKS } from './lifecycle-rules.js';
import { MAC_CHECKS } from './mac-rules.js';
import { PORT_CHECKS } from './port-rules.js';
import { PROCESS_CHECKS } from './process-rules.js';

export const CONTAINERS_CHECKS: readonly Check[] = [...MAC_CHECKS, ...PROCESS_CHECKS, ...HOST_RESOURCE_CHECKS, ...PORT_CHECKS, ...LIFECYCLE_CHECKS];
