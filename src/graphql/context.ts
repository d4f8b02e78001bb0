import type { CallerServices } from '../auth/service-policy.js';
import type { ServiceGateway } from '../auth/service-gateway.js';
import type { Caller } from '../domain/auth.js';

/**
 * What every resolver receives: the services bound to the caller (role-checked and audited by the service
 * gateway), the caller itself, and what the audit plugin needs for attempts that never reach a service.
 */
export interface GraphQLContext {
  services: CallerServices;
  caller: Caller;
  /** Records attempts that never reach a service (anonymous, invalid, refused before any call). */
  gateway: Pick<ServiceGateway, 'recordAttempt'>;
  /** How many audit records the services wrote during this request (the audit plugin compares counts). */
  audit: { written: number };
  requestId: string;
}

/** The context of one request by `caller`. */
export function contextFor(gateway: Pick<ServiceGateway, 'servicesFor' | 'recordAttempt'>, caller: Caller, requestId: string): GraphQLContext {
  const audit = { written: 0 };
  return { services: gateway.servicesFor(caller, () => (audit.written += 1)), caller, gateway, audit, requestId };
}
