/** The secrets management rules of Plimsoll's own benchmark (PLM-SEC-001..005, issue #11 item 4). */
import type { Check } from '../check.js';
import { CONTAINER_ENV_SECRETS, IMAGE_ENV_SECRETS } from './environment-rules.js';
import { IMAGE_HISTORY_SECRETS } from './history-rule.js';
import { SERVICE_SECRETS_FROM_SWARM, SWARM_SECRET_ROTATION } from './swarm-secret-rules.js';

export const SECRET_CHECKS: readonly Check[] = [CONTAINER_ENV_SECRETS, IMAGE_ENV_SECRETS, IMAGE_HISTORY_SECRETS, SERVICE_SECRETS_FROM_SWARM, SWARM_SECRET_ROTATION];
