/**
 * Maps failures of Docker Engine API calls (socket errors, TLS errors, HTTP statuses, timeouts) to
 * PlimsollErrors whose messages name the endpoint and the cause.
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

/** The engine's own message of an HTTP error (`{"message": …}`), when there is one. */
function engineMessage(f: ErrorLike): string | undefined {
  const json = f.json;
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') return (json as { message: string }).message;
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  return undefined;
}

/** Maps any failure of one Docker API call to a PlimsollError naming the endpoint and the cause. */
export function toDockerError(err: unknown, ctx: DockerCallContext): PlimsollError {
  if (err instanceof PlimsollError) return err;
  const f = fieldsOf(err);
  const cause = typeof f.message === 'string' && f.message !== '' ? f.message : String(err);
  const code = typeof f.code === 'string' ? f.code : undefined;
  const at = `Docker engine ${ctx.endpoint}`;

  if (ctx.timedOut) {
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} is unreachable: ${ctx.operation} did not answer within ${ctx.timeoutMs} ms`, [], { cause: err });
  }
  if (typeof f.statusCode === 'number') {
    const msg = engineMessage(f) ?? (typeof f.reason === 'string' ? f.reason : 'no message');
    if (f.statusCode === 404) return new PlimsollError(ErrorCode.NOT_FOUND, `${at}: ${ctx.operation} answered 404: ${msg}`, [], { cause: err });
    // dockerd answers plain HTTP on a TLS port with 400 "Client sent an HTTP request to an HTTPS server."
    if (f.statusCode === 400 && /HTTPS server/i.test(msg)) {
      return new PlimsollError(ErrorCode.NODE_TLS_FAILED, `${at} requires TLS but the node has no TLS configuration (engine said: ${msg})`, [], { cause: err });
    }
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} failed ${ctx.operation} with HTTP ${f.statusCode}: ${msg}`, [], { cause: err });
  }
  if (code !== undefined && isTlsErrorCode(code)) {
    // OpenSSL errors carry a short `reason` ("sslv3 alert bad certificate") besides a long message.
    const reason = typeof f.reason === 'string' && f.reason !== '' ? f.reason : (/routines:[^:]*:([^:]+):/.exec(cause)?.[1] ?? cause.split('\n')[0]);
    return new PlimsollError(ErrorCode.NODE_TLS_FAILED, `TLS with ${at} failed: ${reason} (${code})${tlsHint(code)}`, [], { cause: err });
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    const hint = code === 'ENOENT' ? ' (no socket at that path)' : code === 'ECONNREFUSED' ? ' (nothing listens there)' : '';
    return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} is unreachable: ${cause}${hint}`, [], { cause: err });
  }
  // dockerode parses every answer as JSON; a non-Docker HTTP server or a proxy ends up here too.
  return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${at} failed ${ctx.operation}: ${cause}${code ? ` (${code})` : ''}`, [], { cause: err });
}

/** The HTTP status an engine answered a failed call with (the dockerode error behind a PlimsollError), if any. */
export function engineHttpStatusOf(e: unknown): number | undefined {
  const cause = e instanceof PlimsollError ? (e.cause as ErrorLike | undefined) : fieldsOf(e);
  return typeof cause?.statusCode === 'number' ? cause.statusCode : undefined;
}

/** True when the call was abandoned at its timeout (the engine may still have acted on it). */
function timedOut(e: unknown): boolean {
  const cause = e instanceof PlimsollError ? e.cause : e;
  return typeof cause === 'object' && cause !== null && ((cause as { name?: unknown }).name === 'AbortError' || (cause as { code?: unknown }).code === 'ABORT_ERR');
}

/**
 * The classified answer of a failed call that changes something, for the record of a remediation: an outcome,
 * the HTTP status and error code, and a note in Plimsoll's words. Nothing the engine said is kept: its bodies
 * may echo what was sent or come from whatever listens at the endpoint.
 */
export function engineAnswerOf(e: unknown): { outcome: 'rejected' | 'not-found' | 'conflict' | 'refused' | 'engine-error' | 'unreachable' | 'tls-failed' | 'timeout'; httpStatus?: number; errorCode: string; note: string } {
  const code = e instanceof PlimsollError ? e.code : ErrorCode.INTERNAL;
  const status = engineHttpStatusOf(e);
  const http = status !== undefined ? { httpStatus: status } : {};
  if (status !== undefined) {
    if (status === 404) return { outcome: 'not-found', ...http, errorCode: code, note: 'the engine answered 404: the object is gone' };
    if (status === 409) return { outcome: 'conflict', ...http, errorCode: code, note: 'the engine answered 409: the change conflicts with the object\'s state' };
    if (status === 401 || status === 403) return { outcome: 'refused', ...http, errorCode: code, note: `the engine (or an authorization plugin or proxy in front of it) refused the call with ${status}` };
    if (status >= 500) return { outcome: 'engine-error', ...http, errorCode: code, note: `the engine failed the call with ${status}` };
    return { outcome: 'rejected', ...http, errorCode: code, note: `the engine rejected the request with ${status} (invalid parameters for this engine or object)` };
  }
  if (code === ErrorCode.NOT_FOUND) return { outcome: 'not-found', errorCode: code, note: 'the engine has no such object' };
  if (timedOut(e)) return { outcome: 'timeout', errorCode: code, note: 'no answer within the Docker timeout: the engine may or may not have made the change' };
  if (code === ErrorCode.NODE_TLS_FAILED) return { outcome: 'tls-failed', errorCode: code, note: 'the TLS handshake with the engine failed: the call was not made' };
  return { outcome: 'unreachable', errorCode: code, note: 'the engine could not be reached, or did not answer as a Docker Engine API' };
}
