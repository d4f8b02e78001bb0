/**
 * The HTTP transport: node:http in front of Apollo Server 5 (no framework needed for two routes).
 * GET /health answers without auth; /graphql needs `Authorization: Bearer <token>` (an API token or an OIDC
 * JWT). Requests without a valid one still go through Apollo, as an anonymous caller: the audit plugin
 * records their mutation attempts and answers 401. Subscriptions: a WebSocket upgrade of /graphql (graphql-ws,
 * see subscriptions.ts), with the same credential in `connection_init`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import type { ServiceGateway } from '../auth/service-gateway.js';
import { createApolloServer } from '../graphql/apollo.js';
import { contextFor } from '../graphql/context.js';
import { buildPlimsollSchema } from '../graphql/schema.js';
import { createSubscriptionServer } from './subscriptions.js';

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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'BAD_REQUEST', `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function bearerOf(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { gateway, logger } = options;
  const schema = await buildPlimsollSchema();
  const logError = (message: string, error: unknown): void => logger?.error({ err: error }, message);
  const apollo = createApolloServer(schema, { logError });
  await apollo.start();
  const subscriptions = createSubscriptionServer({ schema, gateway, logError });

  const handleGraphql = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const caller = await gateway.authenticate(bearerOf(req));
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req);
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
          : Promise.reject(new HttpError(404, 'NOT_FOUND', `No route ${req.method ?? ''} ${pathname}; use /graphql or /health`));
    work.catch((e: unknown) => {
      if (e instanceof HttpError) {
        sendJson(res, e.status, { errors: [{ message: e.message, extensions: { code: e.code } }] }, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
        return;
      }
      logger?.error({ err: e }, 'unexpected error in the HTTP server');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/graphql') subscriptions.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: async () => {
      await subscriptions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
