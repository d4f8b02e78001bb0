/**
 * Maps failures of Docker Engine API calls (socket errors, TLS errors, HTTP statuses, timeouts) to
 * PlimsollErrors whose messages name the endpoint and classify the cause. A remote body is never part of a
 * message: an endpoint may be any HTTP service, and these messages are returned to callers and stored
 * (assessment errors, audit records, facts) where others read them.
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** Error codes of sockets and name resolution that mean the engine cannot be reached. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOENT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT', 'ECONNRESET',
  'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EACCES', 'EPERM', 'ENOTSOCK', 'EADDRNOTAVAIL', 'UND_ERR_SOCKET',
]);

/** OpenSSL certificate verification codes as Node reports them. */
const CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_REVOKED', 'INVALID_CA', 'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'PATH_LENGTH_EXCEEDED',
]);

/** What was being done when the error happened. */
export interface DockerCallContext {
  endpoint: string;
  /** E.g. `GET /info`. */
  operation: string;
  /** True when the per-call timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
}

/** Thrown when an answer is not what a Docker Engine API gives (not JSON, no Version/ApiVersion). */
export class NotDockerError extends Error {
  constructor(readonly operation?: string) {
    super('the answer is not a Docker Engine API answer');
    this.name = 'NotDockerError';
  }
}

/** Node's HTTP parser errors: the peer does not speak HTTP at all. */
const isHttpParseError = (code: string): boolean => code.startsWith('HPE_');

/** Docker's own error bodies are JSON objects with a string `message` (and nothing else of note). */
function isEngineErrorBody(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Buffer.isBuffer(json) && typeof (json as { message?: unknown }).message === 'string';
}

/** What an HTTP status means here, without what the body said. */
function statusMeaning(status: number): string {
  if (status === 401 || status === 403) return 'the request was refused (an authorization plugin or a proxy in front of the engine)';
  if (status === 404) return 'not found';
  if (status === 409) return 'a conflict';
  if (status >= 500) return 'a server error';
  return 'an unexpected status';
}

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  json?: unknown;
  reason?: unknown;
}

function fieldsOf(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

/** True for Node/OpenSSL error codes that mean the TLS handshake or certificate check failed. */
export function isTlsErrorCode(code: string): boolean {
  return code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_') || CERT_CODES.has(code);
}

/** A hint on which side of the handshake is unhappy. */
function tlsHint(code: string): string {
  if (CERT_CODES.has(code)) return ': the engine certificate is not trusted by the node CA certificate';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return ': the engine certificate does not name this host';
  if (/ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|ACCESS_DENIED)/.test(code)) return ': the engine rejected the client certificate';
  if (code === 'EPROTO' || /WRONG_VERSION_NUMBER/.test(code)) return ': the endpoint may not speak TLS';
  return '';
}

/** Maps any failure of one Docker API call to a PlimsollError naming the endpoint and the kind of cause. */
export function toDockerError(err: unknown, ctx: DockerCallContext): PlimsollError {
  if (err instanceof PlimsollError) return err;
  const f = fieldsOf(err);
  const code = typeof f.code === 'string' ? f.code : undefined;
  const at = `Docker engine ${ctx.endpoint}`;

  if (ctx.timedOut) {
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} is unreachable: ${ctx.operation} did not answer within ${ctx.timeoutMs} ms`, [], { cause: err });
  }
  if (err instanceof NotDockerError) {
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} answered ${err.operation ?? ctx.operation}, but not as a Docker Engine API does (not an engine, or a proxy in front of one)`, [], { cause: err });
  }
  if (typeof f.statusCode === 'number') {
    const status = f.statusCode;
    const engine = isEngineErrorBody(f.json);
    // dockerd answers plain HTTP on a TLS port with 400 "Client sent an HTTP request to an HTTPS server." (matched, never echoed)
    if (status === 400 && !engine && /HTTPS server/i.test(Buffer.isBuffer(f.json) ? f.json.toString('utf8') : String(f.json))) {
      return new PlimsollError(ErrorCode.NODE_TLS_FAILED, `${at} requires TLS but the node has no TLS configuration (it answered HTTP 400 to plain HTTP)`, [], { cause: err });
    }
    const what = engine ? `a Docker Engine API error: ${statusMeaning(status)}` : 'not a Docker Engine API';
    if (status === 404) return new PlimsollError(ErrorCode.NOT_FOUND, `${at} answered HTTP 404 to ${ctx.operation} (${what})`, [], { cause: err });
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} answered HTTP ${status} to ${ctx.operation} (${what})`, [], { cause: err });
  }
  if (code === 'PLIMSOLL_NODE_NOT_ALLOWED') {
    return new PlimsollError(ErrorCode.NODE_NOT_ALLOWED, `${at} is not allowed: its name resolved to an address outside PLIMSOLL_NODE_ALLOWLIST`, [], { cause: err });
  }
  if (code !== undefined && isTlsErrorCode(code)) {
    // OpenSSL's short reason ("sslv3 alert bad certificate", "certificate signed by unknown authority") is local text.
    const cause = typeof f.message === 'string' ? f.message : '';
    const reason = typeof f.reason === 'string' && f.reason !== '' ? f.reason : (/routines:[^:]*:([^:]+):/.exec(cause)?.[1] ?? code.toLowerCase().replace(/_/g, ' '));
    return new PlimsollError(ErrorCode.NODE_TLS_FAILED, `TLS handshake with ${at} failed: ${reason} (${code})${tlsHint(code)}`, [], { cause: err });
  }
  if (code !== undefined && isHttpParseError(code)) {
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} did not answer ${ctx.operation} with HTTP: not a Docker Engine API (${code})`, [], { cause: err });
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    const hint = code === 'ENOENT' ? 'no socket at that path' : code === 'ECONNREFUSED' ? 'connection refused: nothing listens there' : code === 'EACCES' ? 'permission denied' : code === 'ENOTFOUND' ? 'the host name does not resolve' : code.toLowerCase();
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} is unreachable: ${hint} (${code})`, [], { cause: err });
  }
  // Anything else: the error's class and code, never its message (it may carry what the peer sent).
  const kind = err instanceof Error ? err.name : typeof err;
  return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${ctx.operation} on ${at} failed: ${kind}${code ? ` (${code})` : ''}`, [], { cause: err });
}
