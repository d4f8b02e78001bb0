import type { ApolloServerPlugin } from '@apollo/server';
import { isPlimsollError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

const MAX_TARGET_CHARS = 500;
const SECRET_KEY = /secret|password|passphrase/i;

/** A short, secret-free summary of a mutation's arguments. */
export function summarizeArgs(args: Record<string, unknown>): string | undefined {
  if (Object.keys(args).length === 0) return undefined;
  const text = JSON.stringify(args, (key, value: unknown) => (SECRET_KEY.test(key) ? '[redacted]' : value));
  return text.length > MAX_TARGET_CHARS ? `${text.slice(0, MAX_TARGET_CHARS - 1)}…` : text;
}

/**
 * Every root mutation field leaves one audit record (who, what, when, outcome), refused ones included: the
 * record is written when the field has resolved or failed (authorization runs inside field resolution),
 * and the response waits for it. Calls without a principal never reach a mutation over HTTP (401).
 */
export function auditPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const pending: Promise<void>[] = [];
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, args, contextValue }) {
              if (info.parentType.name !== 'Mutation' || info.path.prev !== undefined) return undefined;
              const principal = contextValue.principal;
              if (principal === undefined) return undefined;
              return (error) => {
                const target = summarizeArgs(args);
                pending.push(
                  contextValue.services.audit.record({
                    actor: principal.name,
                    role: principal.role,
                    action: info.fieldName,
                    ...(target !== undefined ? { target } : {}),
                    outcome: error ? 'failure' : 'success',
                    ...(error ? { detail: isPlimsollError(error) ? `${error.code}: ${error.message}` : 'INTERNAL_SERVER_ERROR' } : {}),
                  }),
                );
              };
            },
          };
        },
        async willSendResponse() {
          await Promise.all(pending);
        },
      };
    },
  };
}
