/**
 * The content routes of the HTTP transport. `POST /uploads` takes a document as the raw request body (its
 * name in `?name=` or a Content-Disposition filename) and answers with an upload id that mutations take;
 * `GET /downloads/...` serves stored results. Both need a bearer token, go through one service call each,
 * and leave an audit record for the upload (a mutation). Errors carry codes and never echo content.
 */
import type http from 'node:http';
import { audited } from '../auth/audited.js';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, type PlimsollError } from '../domain/errors.js';
import type { AppServices } from '../domain/services.js';

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

/** An error as GraphQL-shaped JSON (`errors[0].extensions.code`), with the matching status. */
export function sendError(res: http.ServerResponse, e: HttpError | PlimsollError): void {
  const status = e instanceof HttpError ? e.status : (STATUS[e.code] ?? 500);
  const message = status === 500 ? 'Internal server error' : e.message;
  const code = status === 500 && !(e instanceof HttpError) ? 'INTERNAL_SERVER_ERROR' : e.code;
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
}

/** Reads the body, refusing more than `limit` bytes (413) as soon as it is exceeded. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'BAD_INPUT', `request body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BAD_INPUT', `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The caller of a request: `Authorization: Bearer <token>`, else 401. */
export async function authenticate(services: AppServices, req: http.IncomingMessage): Promise<Principal> {
  const secret = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const principal = secret === undefined ? undefined : await services.auth.authenticate(secret);
  if (principal === undefined) {
    throw new HttpError(401, 'UNAUTHENTICATED', secret === undefined ? 'A bearer token is required (Authorization: Bearer <token>)' : 'The bearer token is unknown or revoked');
  }
  return principal;
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

/** POST /uploads: the raw body becomes an upload of the caller's; 201 with its id. */
export async function handleUpload(services: AppServices, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'BAD_INPUT', 'use POST /uploads with the file as the request body');
  const principal = await authenticate(services, req);
  if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'BAD_INPUT', 'send the file itself as the request body (curl --data-binary @FILE), not a multipart form');
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = nameOf(req, url);
  const upload = await audited(services.audit, principal, 'createUpload', JSON.stringify({ name: name.slice(0, 200) }), async () => {
    const bytes = await readBody(req, services.uploads.maxBytes).catch((e: unknown) => {
      throw e instanceof HttpError && e.status === 413 ? new HttpError(413, 'BAD_INPUT', `the upload is larger than the limit of ${services.uploads.maxBytes} bytes (PLIMSOLL_UPLOAD_MAX_BYTES)`) : e;
    });
    return services.uploads.create({ name, bytes }, principal);
  });
  sendJson(res, 201, { id: upload.id, name: upload.name, size: upload.size, sha256: upload.sha256, expiresAt: upload.expiresAt });
}

/** A file name safe inside a quoted Content-Disposition parameter. */
function headerFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** GET /downloads/...: a stored result, as an attachment. */
export async function handleDownload(services: AppServices, req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'BAD_INPUT', 'downloads are read with GET');
  const principal = await authenticate(services, req);
  const download = await services.downloads.open(pathname, principal);
  res.writeHead(200, {
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${headerFileName(download.fileName)}"`,
    'content-length': String(download.body.length),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : download.body);
}
