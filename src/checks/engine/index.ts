/** The engine checks (issue #4); each file of this folder exports its checks, collected here. */
import type { Check } from '../check.js';
import { DAEMON_CHECKS } from './daemon-rules.js';
import { IMAGE_CHECKS } from './image-rules.js';
import { LOGGING_CHECKS } from './logging-rules.js';
import { VERSION_CHECKS } from './version-rules.js';

export const ENGINE_CHECKS: readonly Check[] = [...DAEMON_CHECKS, ...LOGGING_CHECKS, ...IMAGE_CHECKS, ...VERSION_CHECKS];
