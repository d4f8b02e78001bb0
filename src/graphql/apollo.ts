import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { auditPlugin } from './audit-plugin.js';
import type { GraphQLContext } from './context.js';
import { createErrorFormatter } from './errors.js';
import { DEFAULT_QUERY_LIMITS, costLimitPlugin, limitRules, timeLimitPlugin, type QueryLimits } from './limits.js';

export interface ApolloOptions {
  /** Receives unexpected errors, which clients only see as INTERNAL_SERVER_ERROR. */
  logError?: (message: string, error: unknown) => void;
  /** Limits on depth, cost, aliases, directives, tokens and time (DEFAULT_QUERY_LIMITS for what is not given). */
  limits?: Partial<QueryLimits>;
}

/** The Apollo server used by the HTTP transport and by in-process tests (executeOperation). */
export function createApolloServer(schema: GraphQLSchema, options: ApolloOptions = {}): ApolloServer<GraphQLContext> {
  const logError = options.logError ?? ((message, error) => process.stderr.write(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  return new ApolloServer<GraphQLContext>({
    schema,
    formatError: createErrorFormatter(logError),
    plugins: [auditPlugin(), costLimitPlugin(limits), timeLimitPlugin(limits)],
    validationRules: limitRules(limits),
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
  });
}
