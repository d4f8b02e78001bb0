/**
 * Guard rails against hostile queries, all applied before execution except the time limit:
 * - depth, aliases and directives: GraphQL Armor's validation rules (@escape.tech/graphql-armor-max-*),
 *   maintained, and usable as plain graphql-js rules with Apollo Server (no Envelop needed);
 * - cost: graphql-query-complexity with an estimator where a list field costs its page size (`first` or
 *   `last`, else the default page size) times its selection, so nested lists that fan out through cycles
 *   multiply. Armor's own cost plugin ignores page sizes, which is the very attack to stop;
 * - tokens: graphql-js's own parser limit (Apollo's `parseOptions.maxTokens`);
 * - time: a query that runs past `timeoutMs` stops resolving fields (QUERY_TIMEOUT).
 * A refused query gets QUERY_TOO_COMPLEX. The standard introspection query stays within every limit.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, getNamedType, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { DEFAULT_PAGE_SIZE } from '../domain/paging.js';

export interface QueryLimits {
  /** Deepest field nesting (introspection's `__schema` is not counted). */
  maxDepth: number;
  /** Highest estimated cost: every field costs 1, a list field its page size times its selection. */
  maxCost: number;
  /** Most aliases in one operation. */
  maxAliases: number;
  /** Most directives in one operation. */
  maxDirectives: number;
  /** Most tokens the parser reads. */
  maxTokens: number;
  /** Longest a query (not a mutation) may resolve, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 20, maxCost: 50_000, maxAliases: 30, maxDirectives: 10, maxTokens: 20_000, timeoutMs: 30_000 };

function tooComplex(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.QUERY_TOO_COMPLEX, message);
}

/** A refusal from a request hook: HTTP 400 like a validation error (not 500), coded by the error formatter. */
function refusal(message: string): GraphQLError {
  return new GraphQLError(message, { originalError: tooComplex(message), extensions: { http: { status: 400 } } });
}

/** Armor reports through a callback; we report our own coded error instead of its uncoded one. */
function rejectWithCode(ctx: ValidationContext | null, error: GraphQLError): void {
  const message = `Query refused: ${error.message.replace(/^Syntax Error: /, '')}`;
  ctx?.reportError(new GraphQLError(message, { originalError: tooComplex(message) }));
}

/** The validation rules for depth, aliases and directives. */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const common = { propagateOnRejection: false, onReject: [rejectWithCode], exposeLimits: true };
  return [
    maxDepthRule({ ...common, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true }) as unknown as ValidationRule,
    maxAliasesRule({ ...common, n: limits.maxAliases }) as unknown as ValidationRule,
    maxDirectivesRule({ ...common, n: limits.maxDirectives }) as unknown as ValidationRule,
  ];
}

/** A list field multiplies its selection by its page size; any other field costs 1 plus its selection. */
export const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  const isConnection = getNamedType(field.type).name.endsWith('Connection');
  if (size !== undefined || isConnection) return 1 + Math.max(size ?? DEFAULT_PAGE_SIZE, 1) * childComplexity;
  return 1 + childComplexity;
};

/** Refuses, before execution, an operation whose estimated cost is above the limit. */
export function costLimitPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({ schema: schema as GraphQLSchema, query: document, variables: request.variables ?? {}, ...(operationName ? { operationName } : {}), estimators: [pageSizeEstimator] });
          } catch (e) {
            // Variables that don't fit their types: execution refuses them (BAD_USER_INPUT) before any resolver runs.
            if (e instanceof Error && e.message.startsWith('Variable "$')) return;
            throw refusal(`Query refused: its cost could not be estimated (${e instanceof Error ? e.message : String(e)})`);
          }
          if (cost > limits.maxCost) {
            throw refusal(`Query refused: estimated cost ${cost} is above the limit of ${limits.maxCost} (each list field costs its page size times its selection); ask for smaller pages or fewer nested lists`);
          }
        },
      };
    },
  };
}

/** Stops resolving the fields of a query once it has run past the time limit. */
export function timeLimitPlugin(limits: QueryLimits, now: () => number = Date.now): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation }) {
          // Mutations are not cut off halfway: an assessment or an import runs to its end (each Docker call has its own timeout).
          if (operation.operation !== 'query') return undefined;
          const deadline = now() + limits.timeoutMs;
          return {
            willResolveField() {
              if (now() > deadline) throw new PlimsollError(ErrorCode.QUERY_TIMEOUT, `Query stopped: it ran longer than ${limits.timeoutMs} ms; ask for less per request`);
            },
          };
        },
      };
    },
  };
}
