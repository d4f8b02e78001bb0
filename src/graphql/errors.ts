import type { GraphQLFormattedError } from 'graphql';
import { isPlimsollError } from '../domain/errors.js';

/** Codes Apollo assigns itself (parse, validation, bad variables); they pass through unchanged. */
const APOLLO_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST']);

/**
 * The error a resolver threw. Not `instanceof GraphQLError`: graphql ships CommonJS and ESM builds, and
 * Apollo's copy of the class is not always ours.
 */
export function originalOf(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && 'originalError' in error) {
    const inner = (error as { originalError?: unknown }).originalError;
    if (inner !== undefined && inner !== null) return originalOf(inner);
  }
  return error;
}

/**
 * The one mapping from errors to the public API: a PlimsollError keeps its message and gives its code and
 * problems (file, line, column, JSON pointer); anything unexpected is logged and hidden as INTERNAL_SERVER_ERROR.
 */
export function createErrorFormatter(log: (message: string, error: unknown) => void): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = originalOf(error);
    if (isPlimsollError(original)) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, problems: original.problems },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && APOLLO_CODES.has(code)) return formatted;
    log('unexpected error in a GraphQL operation', original);
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
