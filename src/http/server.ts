/**
 * The HTTP transport: node:http in front of Apollo Server 5 (no framework needed for four routes).
 * GET /health answers without auth; /graphql, POST /uploads and GET /downloads/... authenticate alike:
 * `Authorization: Bearer <token>` (an API token or an OIDC JWT) through the gateway's authenticator, and
 * reach the services only through the gateway (policy table, audit). Requests without a valid credential
 * go on as an anonymous caller, so their attempts are refused and recorded where any other caller's would
 * be. Content arrives as uploads and results leave as downloads, so no GraphQL argument ever names a path
 * on the server (see upload-routes.ts).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { ServiceGateway } from '../auth/service-gateway.js';
import { DOWNLOADS_PREFIX } from '../domain/download.js';
import { ErrorCode, isPlimsollError, PlimsollError } from '../domain/errors.js';
import { bearerOf, handleDownload, handleUpload, HttpError, readBody, sendError, sendJson } from './upload-routes.js';
import { createApolloServer } from '../graphql/apollo.js';
import { contextFor } from '../graphql/context.js';
import { buildPlimsollSchema } from '../graphql/schema.js';

/** GraphQL requests stay small: content travels through POST /uploads, with its own limit. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface HttpServerOptions {
  gateway: ServiceGateway;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger?: HttpLogger;
}

export interface RunningHttpServer {
  /** e.g. http://localhost:4000/graphql */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A failed listen as one line: what address, and why (in use, not permitted, not local). */
function listenError(e: unknown, host: string, port: number): PlimsollError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'the address is already in use (another Plimsoll, or another program); choose another port with --port or PLIMSOLL_PORT'
      : code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges); choose another port with --port or PLIMSOLL_PORT'
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? 'the address is not one of this machine; choose another with --host or PLIMSOLL_HOST'
          : `${code ?? 'unknown error'}`;
  return new PlimsollError(ErrorCode.LISTEN_FAILED, `cannot listen on ${host}:${port}: ${why}`, [], { cause: e });
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { gateway, logger } = options;
  const apollo = createApolloServer(await buildPlimsollSchema(), {
    logError: (message, error) => logger?.error({ err: error }, message),
  });
  await apollo.start();

  const handleGraphql = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const caller = await gateway.authenticate(bearerOf(req));
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: unknown;
    if (req.method === 'POST') {
      const text = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        throw new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
      }
    }
    const context = contextFor(gateway, caller, randomUUID());
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => context,
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const work =
      pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')
        ? Promise.resolve(sendJson(res, 200, { status: 'ok' }))
        : pathname === '/graphql'
          ? handleGraphql(req, res)
          : pathname === '/uploads'
            ? handleUpload(gateway, req, res)
            : pathname.startsWith(DOWNLOADS_PREFIX)
              ? handleDownload(gateway, req, res, pathname)
              : Promise.reject(new HttpError(404, 'NOT_FOUND', `No route ${req.method ?? ''} ${pathname}; use /graphql, /uploads, /downloads/… or /health`));
    work.catch((e: unknown) => {
      if (e instanceof HttpError || isPlimsollError(e)) {
        sendError(res, e);
        return;
      }
      logger?.error({ err: e }, 'unexpected error in the HTTP server');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (e) {
    await apollo.stop();
    throw listenError(e, options.host, options.port);
  }
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
