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
