/** The host checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';
import { FILE_PERMISSION_CHECKS } from './file-permission-rules.js';
import { HOST_OS_CHECKS } from './host-os-rules.js';

export const HOST_CHECKS: readonly Check[] = [...FILE_PERMISSION_CHECKS, ...HOST_OS_CHECKS];
