/**
 * The content routes of the HTTP transport. `POST /uploads` takes a document as the raw request body (its
 * name in `?name=` or a Content-Disposition filename) and answers with an upload id that mutations take;
 * `GET /downloads/...` serves stored results. Both authenticate exactly as /graphql does (the gateway's
 * authenticator: an API token or an OIDC JWT) and make one call through the gateway's services, so the
 * policy table decides who may and the audit records every upload attempt, anonymous refusals included.
 * The upload body is read only once the caller has passed the policy. Errors carry codes and never echo content.
 */
import type http from 'node:http';
import type { ServiceGateway } from '../auth/service-gateway.js';
import { ErrorCode, PlimsollError, isPlimsollError } from '../domain/errors.js';
import { tooLarge } from '../uploads/upload-service.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** HTTP status of each public error code (unknown codes are 500). */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_INPUT]: 400,
  [ErrorCode.CONFLICT]: 409,
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** An error as GraphQL-shaped JSON (`errors[0].extensions.code`), with the matching status (or `status` when given). */
export function sendError(res: http.ServerResponse, e: HttpError | PlimsollError, status?: number): void {
  const httpStatus = e instanceof HttpError ? e.status : (status ?? STATUS[e.code] ?? 500);
  const message = httpStatus === 500 ? 'Internal server error' : e.message;
  const code = httpStatus === 500 && !(e instanceof HttpError) ? 'INTERNAL_SERVER_ERROR' : e.code;
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, httpStatus, { errors: [{ message, extensions: { code } }] }, httpStatus === 401 ? { 'www-authenticate': 'Bearer' } : {});
}

/** Reads the body, refusing more than `limit` bytes (413) as soon as the declared or received size exceeds it. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'BAD_REQUEST', `request body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BAD_REQUEST', `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The bearer credential of a request, as /graphql reads it (undefined: none). */
export function bearerOf(req: http.IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** The upload's name: `?name=`, else the Content-Disposition filename, else "upload". */
function nameOf(req: http.IncomingMessage, url: URL): string {
  const query = url.searchParams.get('name');
  if (query !== null && query !== '') return query;
  const disposition = req.headers['content-disposition'] ?? '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (star !== undefined) {
    try {
      return decodeURIComponent(star);
    } catch {
      // A malformed escape falls through to the plain filename.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1] ?? 'upload';
}

/** POST /uploads: the raw body becomes an upload of the caller's user; 201 with its id. */
export async function handleUpload(gateway: ServiceGateway, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'BAD_INPUT', 'use POST /uploads with the file as the request body');
  const caller = await gateway.authenticate(bearerOf(req));
  const name = nameOf(req, new URL(req.url ?? '/', 'http://localhost'));
  // The body's own refusals (a form instead of the file, too large) happen inside the audited call, with their status.
  let status: number | undefined;
  const read = async (limit: number): Promise<Buffer> => {
    if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
      status = 415;
      throw new PlimsollError(ErrorCode.BAD_INPUT, 'send the file itself as the request body (curl --data-binary @FILE), not a multipart form');
    }
    return readBody(req, limit).catch((e: unknown) => {
      if (!(e instanceof HttpError && e.status === 413)) throw e;
      status = 413;
      throw tooLarge(limit);
    });
  };
  try {
    // One gateway call: refused (and audited) before the body is read when the caller may not upload.
    const upload = await gateway.servicesFor(caller).uploads.create({ name, read });
    sendJson(res, 201, { id: upload.id, name: upload.name, size: upload.size, sha256: upload.sha256, expiresAt: upload.expiresAt });
  } catch (e) {
    if (status !== undefined && isPlimsollError(e)) {
      sendError(res, e, status);
      return;
    }
    throw e;
  }
}

/** A file name safe inside a quoted Content-Disposition parameter. */
function headerFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** GET /downloads/...: a stored result, as an attachment. */
export async function handleDownload(gateway: ServiceGateway, req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'BAD_INPUT', 'downloads are read with GET');
  const caller = await gateway.authenticate(bearerOf(req));
  const download = await gateway.servicesFor(caller).downloads.open(pathname);
  res.writeHead(200, {
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${headerFileName(download.fileName)}"`,
    'content-length': String(download.body.length),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : download.body);
}
