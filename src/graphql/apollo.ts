import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { auditPlugin } from './audit-plugin.js';
import type { GraphQLContext } from './context.js';
import { createErrorFormatter } from './errors.js';

export interface ApolloOptions {
  /** Receives unexpected errors, which clients only see as INTERNAL_SERVER_ERROR. */
  logError?: (message: string, error: unknown) => void;
}

/** The Apollo server used by the HTTP transport and by in-process tests (executeOperation). */
export function createApolloServer(schema: GraphQLSchema, options: ApolloOptions = {}): ApolloServer<GraphQLContext> {
  const logError = options.logError ?? ((message, error) => process.stderr.write(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  return new ApolloServer<GraphQLContext>({
    schema,
    formatError: createErrorFormatter(logError),
    plugins: [auditPlugin()],
    includeStacktraceInErrorResponses: false,
  });
}
