import type { AuthChecker } from 'type-graphql';
import { isAnonymous } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * Fields marked @Authorized need an authenticated caller. Roles are not checked here: every service method
 * has its policy (src/auth/service-policy.ts), applied by the service gateway for every transport, so the
 * GraphQL schema carries no second copy of the role table. Our own error (not type-graphql's) is thrown so
 * the formatter gives the public code UNAUTHENTICATED.
 */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }) => {
  if (isAnonymous(context.caller)) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, `Not authenticated: ${context.caller.reason}`);
  return true;
};
