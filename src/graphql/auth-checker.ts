import type { AuthChecker } from 'type-graphql';
import type { Role } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * Every field marked @Authorized needs a principal; fields naming roles need one of them. Our own errors
 * (not type-graphql's) are thrown so that the formatter gives the public codes UNAUTHENTICATED / FORBIDDEN.
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => {
  const principal = context.principal;
  if (principal === undefined) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, 'A bearer token is required (Authorization: Bearer <token>)');
  if (roles.length === 0 || roles.includes(principal.role)) return true;
  throw new PlimsollError(ErrorCode.FORBIDDEN, `${info.parentType.name}.${info.fieldName} needs the role ${roles.join(' or ')}; ${principal.name} is ${principal.role}`);
};
