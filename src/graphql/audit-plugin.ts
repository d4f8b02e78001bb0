import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, getOperationAST, type DocumentNode, type SelectionSetNode } from 'graphql';
import { failureDetail, summarizeTarget } from '../auth/service-gateway.js';
import { isAnonymous } from '../domain/auth.js';
import { ErrorCode, PlimsollError, isPlimsollError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';
import { originalOf } from './errors.js';

/** What a document that failed to parse is recorded as when it mentions a mutation. */
const UNPARSED_MUTATION = '(unparsed mutation)';

/** The root field names of a selection set, through fragments. */
function rootFields(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFields(selection.selectionSet, document, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment !== undefined && fragment.kind === Kind.FRAGMENT_DEFINITION) names.push(...rootFields(fragment.selectionSet, document, seen));
    }
  }
  return names;
}

/** The mutation fields a request attempted: from its document, or a marker when it did not parse but mentions one. */
function attemptedMutations(rc: GraphQLRequestContext<GraphQLContext>): string[] {
  if (rc.document !== undefined) {
    const operation = getOperationAST(rc.document, rc.request.operationName);
    return operation?.operation === 'mutation' ? rootFields(operation.selectionSet, rc.document) : [];
  }
  return /\bmutation\b/.test(rc.source ?? rc.request.query ?? '') ? [UNPARSED_MUTATION] : [];
}

/** The audit detail of a request that failed before a field could: the first error's code and message. */
function requestFailure(rc: GraphQLRequestContext<GraphQLContext>): string {
  const caller = rc.contextValue.caller;
  if (isAnonymous(caller)) return `${ErrorCode.UNAUTHENTICATED}: ${caller.reason}`;
  const error = rc.errors?.[0];
  if (error === undefined) return 'not executed';
  const original = originalOf(error);
  if (isPlimsollError(original)) return failureDetail(original);
  const code = error.extensions?.code;
  // Apollo's own errors (parse, validation, variables) describe the request, never server data.
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? `${code}: ${error.message}` : failureDetail(original);
}

/**
 * Every mutation attempt leaves an audit record. Attempts that reach a service are recorded by the service
 * gateway (one record per audited service call); this plugin records what never got there:
 *
 * - anonymous requests (missing, unknown, revoked or expired credential): refused before execution with
 *   UNAUTHENTICATED and HTTP 401, each attempted mutation field recorded as `anonymous` with the reason;
 * - requests that fail to parse or validate, or whose variables don't fit, when they are mutations;
 * - mutation fields that failed (or succeeded) without any audited service call.
 *
 * The response waits for the records.
 */
export function auditPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const pending: Promise<void>[] = [];
      const accounted = new Set<string>();
      const record = (ctx: GraphQLContext, action: string, outcome: 'success' | 'failure', detail?: string, args?: Record<string, unknown>): void => {
        const target = args !== undefined && Object.keys(args).length > 0 ? summarizeTarget(args) : undefined;
        pending.push(ctx.gateway.recordAttempt(ctx.caller, { action, outcome, ...(target !== undefined ? { target } : {}), ...(detail !== undefined ? { detail } : {}) }));
      };
      return {
        async didResolveOperation({ contextValue }) {
          const caller = contextValue.caller;
          if (isAnonymous(caller)) throw new PlimsollError(ErrorCode.UNAUTHENTICATED, `Not authenticated: ${caller.reason}`);
        },
        async executionDidStart() {
          return {
            willResolveField({ info, args, contextValue }) {
              if (info.parentType.name !== 'Mutation' || info.path.prev !== undefined) return undefined;
              const before = contextValue.audit.written;
              return (error) => {
                accounted.add(info.fieldName);
                if (contextValue.audit.written !== before) return;
                record(contextValue, info.fieldName, error ? 'failure' : 'success', error ? failureDetail(error) : undefined, args as Record<string, unknown>);
              };
            },
          };
        },
        async willSendResponse(rc) {
          const ctx = rc.contextValue;
          for (const field of attemptedMutations(rc)) {
            if (!accounted.has(field)) record(ctx, field, 'failure', requestFailure(rc));
          }
          if (isAnonymous(ctx.caller)) {
            // Whatever went wrong besides (parse, validation), an anonymous caller learns only that.
            rc.response.http.status = 401;
            rc.response.http.headers.set('www-authenticate', 'Bearer');
            rc.response.body = { kind: 'single', singleResult: { errors: [{ message: `Not authenticated: ${ctx.caller.reason}`, extensions: { code: ErrorCode.UNAUTHENTICATED } }] } };
          }
          await Promise.all(pending);
        },
      };
    },
  };
}
