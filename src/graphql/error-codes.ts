/**
 * The ErrorCode enum of the schema: every `extensions.code` a client can receive. The domain's codes
 * (src/domain/errors.ts) come with a description each (a code added there without one fails to compile),
 * plus the codes Apollo Server itself assigns to requests that never reach a resolver.
 */
import { registerEnumType } from 'type-graphql';
import { ErrorCode } from '../domain/errors.js';

/** Codes Apollo assigns itself (parse, validation, bad variables, malformed requests). */
export const TRANSPORT_CODES = {
  GRAPHQL_PARSE_FAILED: 'The request is not valid GraphQL (or has more tokens than the server parses); fix its syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The request does not fit the schema (an unknown field or argument, a wrong type); check it against schemas/schema.graphql.',
  BAD_USER_INPUT: 'A variable or argument value has the wrong type or is missing.',
  BAD_REQUEST: 'The HTTP request is malformed: not JSON, too large, or without a query.',
  PERSISTED_QUERY_NOT_FOUND: 'The persisted query hash is unknown: send the full query.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are not supported: send the full query.',
  OPERATION_RESOLUTION_FAILURE: 'The request holds several operations and names none (or an unknown one): set operationName.',
  INTERNAL_SERVER_ERROR: 'An unexpected server fault; it is logged with the request id. Retry, and report it if it persists.',
} as const;

const DOMAIN_CODES: Record<ErrorCode, string> = {
  CONTENT_INVALID: 'A content file is malformed (XML, JSON, YAML) or breaks its format; `problems` name the file and the line, column or JSON pointer. Nothing was imported.',
  CONTENT_UNKNOWN_KIND: 'A content file is not a kind Plimsoll reads here (OSCAL catalog or profile, XCCDF benchmark, SCAP data stream, CCI list).',
  CONTENT_MISSING: 'A content file or pinned source is missing or unreadable; the message says how to provide it.',
  CONTENT_HASH_MISMATCH: 'A pinned source does not have its pinned sha256; get the official file.',
  SCHEMA_INVALID: "A document breaks NIST's OSCAL JSON Schema; `problems` give each JSON pointer.",
  NODE_UNREACHABLE: 'The Docker engine did not answer (or answered something that is not the Docker Engine API); check its endpoint and that it runs.',
  NODE_TLS_FAILED: 'The TLS handshake with the Docker engine failed; check the CA, certificate and key.',
  REGISTRY_UNREACHABLE: 'A container registry or trust (Notary) server did not answer in time or refused the connection; check its URL and that it runs.',
  REGISTRY_TLS_FAILED: "The TLS handshake with a registry or trust server failed; check the CA configured for it.",
  REGISTRY_AUTH_FAILED: 'A registry or trust server refused the configured credentials (Basic or bearer token); check the user and the password variable.',
  REGISTRY_BAD_RESPONSE: 'A registry or trust server answered with something that is not the Registry or Notary API (a wrong status, size or digest); the body is never echoed.',
  NODE_NOT_ALLOWED: 'The node endpoint is outside the allow-list (PLIMSOLL_NODE_ALLOWLIST), checked at registration and again before every connection; ask an administrator to allow it.',
  LISTEN_FAILED: 'The server could not listen on its address (in use, not permitted, not local); the CLI exits 8. No API client receives it.',
  NOT_FOUND: 'Nothing has the id or reference given; list the entities to find the right one.',
  CONFLICT: 'The change clashes with what is stored (a name taken, a run no longer running, an exemption in another status).',
  BAD_INPUT: 'An argument is out of range or inconsistent (a page size above the cap, an invalid cursor or id, an unknown value); the message says which.',
  UNAUTHENTICATED: 'No bearer token, or an unknown or revoked one: send `Authorization: Bearer <token>`.',
  FORBIDDEN: "The caller's role may not do this; the message names the role needed.",
  FORBIDDEN_SEPARATION_OF_DUTIES: 'The same person may not both request and approve (or reject) an exemption: another admin must decide.',
  CONFIG_INVALID: 'The server configuration is invalid; the message lists every bad setting.',
  QUERY_TOO_COMPLEX: 'The request was refused before it ran: too deep, too costly (list fields multiply by their page size), or with too many aliases or directives. Ask for smaller pages or fewer nested lists.',
  QUERY_TIMEOUT: 'The request ran past the execution time limit and was stopped; ask for less per request.',
  INTERNAL: 'An unexpected fault inside a service; it is logged. Retry, and report it if it persists.',
};

/** Every public code and what a client should do about it. */
export const ERROR_CODE_DESCRIPTIONS: Readonly<Record<string, string>> = { ...DOMAIN_CODES, ...TRANSPORT_CODES };

/** The enum object registered as the schema's ErrorCode (values are the codes themselves). */
export const ErrorCodeEnum: Readonly<Record<string, string>> = Object.fromEntries(Object.keys(ERROR_CODE_DESCRIPTIONS).map((code) => [code, code]));

registerEnumType(ErrorCodeEnum, {
  name: 'ErrorCode',
  description: 'Every value `errors[].extensions.code` can take. The schema names them so that clients can switch on them; no field returns this type.',
  valuesConfig: Object.fromEntries(Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => [code, { description }])),
});
