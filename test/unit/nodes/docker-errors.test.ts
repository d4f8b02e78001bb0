import { describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { toDockerError } from '../../../src/repositories/docker/docker-errors.js';

const ctx = { endpoint: 'tcp://10.1.2.3:2376', operation: 'GET /info', timedOut: false, timeoutMs: 10_000 };
const err = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message ?? 'boom')), fields);

describe('toDockerError', () => {
  it.each([
    ['ECONNREFUSED', ErrorCode.NODE_UNREACHABLE],
    ['ENOENT', ErrorCode.NODE_UNREACHABLE],
    ['EHOSTUNREACH', ErrorCode.NODE_UNREACHABLE],
    ['ENOTFOUND', ErrorCode.NODE_UNREACHABLE],
    ['ECONNRESET', ErrorCode.NODE_UNREACHABLE],
    ['EPROTO', ErrorCode.NODE_TLS_FAILED],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', ErrorCode.NODE_TLS_FAILED],
    ['SELF_SIGNED_CERT_IN_CHAIN', ErrorCode.NODE_TLS_FAILED],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', ErrorCode.NODE_TLS_FAILED],
    ['CERT_HAS_EXPIRED', ErrorCode.NODE_TLS_FAILED],
    ['ERR_TLS_CERT_ALTNAME_INVALID', ErrorCode.NODE_TLS_FAILED],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', ErrorCode.NODE_TLS_FAILED],
    ['ERR_OSSL_PEM_NO_START_LINE', ErrorCode.NODE_TLS_FAILED],
  ])('maps %s to %s naming the endpoint', (code, expected) => {
    const e = toDockerError(err({ code, message: `failure ${code}` }), ctx);
    expect(e.code).toBe(expected);
    expect(e.message).toContain('tcp://10.1.2.3:2376');
  });

  it('reports a timeout as unreachable with the operation and the limit', () => {
    const e = toDockerError(err({ name: 'AbortError', code: 'ABORT_ERR' }), { ...ctx, timedOut: true, timeoutMs: 1500 });
    expect(e.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(e.message).toBe('Docker engine tcp://10.1.2.3:2376 is unreachable: GET /info did not answer within 1500 ms');
  });

  it('maps HTTP answers by status and kind (404 NOT_FOUND, plain HTTP on a TLS port), never echoing the body', () => {
    expect(toDockerError(err({ statusCode: 404, json: { message: 'No such container: x' } }), ctx).code).toBe(ErrorCode.NOT_FOUND);
    const plain = toDockerError(err({ statusCode: 400, json: Buffer.from('Client sent an HTTP request to an HTTPS server.\n') }), ctx);
    expect(plain.code).toBe(ErrorCode.NODE_TLS_FAILED);
    const engine = toDockerError(err({ statusCode: 500, json: { message: 'SECRET layer does not exist' }, message: '(HTTP code 500) server error - SECRET layer does not exist' }), ctx);
    expect(engine.code).toBe(ErrorCode.NODE_UNREACHABLE);
    expect(engine.message).toBe('Docker engine tcp://10.1.2.3:2376 answered HTTP 500 to GET /info (a Docker Engine API error: a server error)');
    const other = toDockerError(err({ statusCode: 500, json: Buffer.from('<html>SECRET internal page</html>'), message: '(HTTP code 500) unexpected - <html>SECRET internal page</html>' }), ctx);
    expect(other.message).toBe('Docker engine tcp://10.1.2.3:2376 answered HTTP 500 to GET /info (not a Docker Engine API)');
    const unknown = toDockerError(err({ name: 'Error', message: 'SECRET from the peer' }), ctx);
    expect(unknown.message).not.toContain('SECRET');
  });

  it('keeps PlimsollErrors and uses the short OpenSSL reason', () => {
    const own = new PlimsollError(ErrorCode.NODE_TLS_FAILED, 'x');
    expect(toDockerError(own, ctx)).toBe(own);
    const e = toDockerError(err({ code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', reason: 'sslv3 alert bad certificate', message: '80:error:0A000412:SSL routines:…' }), ctx);
    expect(e.message).toBe('TLS handshake with Docker engine tcp://10.1.2.3:2376 failed: sslv3 alert bad certificate (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE): the engine rejected the client certificate');
  });
});
