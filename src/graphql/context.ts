import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Principal } from '../domain/auth.js';
import type { AppServices } from '../domain/services.js';

/** What every resolver receives: the services, the authenticated caller (if any) and a request id for logs. */
export interface GraphQLContext {
  services: AppServices;
  principal?: Principal;
  requestId: string;
}

/** The caller of an @Authorized field (the auth checker has already refused anonymous calls). */
export function principalOf(ctx: GraphQLContext): Principal {
  if (ctx.principal === undefined) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, 'A bearer token is required');
  return ctx.principal;
}
