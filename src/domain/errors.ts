/**
 * Typed domain errors. Each carries a public code; transports (GraphQL, CLI) map codes to
 * `extensions.code` or exit codes in one place and never inspect messages.
 */
export const ErrorCode = {
  CONTENT_INVALID: 'CONTENT_INVALID',
  CONTENT_UNKNOWN_KIND: 'CONTENT_UNKNOWN_KIND',
  CONTENT_MISSING: 'CONTENT_MISSING',
  CONTENT_HASH_MISMATCH: 'CONTENT_HASH_MISMATCH',
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  NODE_UNREACHABLE: 'NODE_UNREACHABLE',
  NODE_TLS_FAILED: 'NODE_TLS_FAILED',
  /** A registry or trust server (Notary) can't be reached, fails TLS verification, refuses the credentials or answers nonsense. */
  REGISTRY_UNREACHABLE: 'REGISTRY_UNREACHABLE',
  REGISTRY_TLS_FAILED: 'REGISTRY_TLS_FAILED',
  REGISTRY_AUTH_FAILED: 'REGISTRY_AUTH_FAILED',
  REGISTRY_BAD_RESPONSE: 'REGISTRY_BAD_RESPONSE',
  /** The endpoint is outside PLIMSOLL_NODE_ALLOWLIST (checked at registration and at every connection). */
  NODE_NOT_ALLOWED: 'NODE_NOT_ALLOWED',
  /** `serve` could not listen: the address is in use, not permitted or not local. */
  LISTEN_FAILED: 'LISTEN_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_INPUT: 'BAD_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  FORBIDDEN_SEPARATION_OF_DUTIES: 'FORBIDDEN_SEPARATION_OF_DUTIES',
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** An API request refused before it ran: too deep, too costly, too many aliases or directives. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** An API request that ran past the execution time limit; what it had not resolved yet was abandoned. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where in an input a problem was found: a file plus a line/column or a JSON pointer. */
export interface ProblemLocation {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** One problem of an input document, e.g. one schema violation. */
export interface Problem extends ProblemLocation {
  message: string;
}

/** The one error class of the domain; `code` is public, `problems` lists the first few details. */
export class PlimsollError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlimsollError';
  }
}

/** Formats a problem as `file:line:column: message` or `file#/pointer: message`. */
export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  if (p.pointer !== undefined) where += `#${p.pointer}`;
  return where ? `${where}: ${p.message}` : p.message;
}

/** Thrown from the default branch of exhaustive switches over tagged unions. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}

export function isPlimsollError(e: unknown): e is PlimsollError {
  return e instanceof PlimsollError;
}
