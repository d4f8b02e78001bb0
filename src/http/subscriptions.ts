/**
 * GraphQL subscriptions over graphql-ws, on the HTTP server's own port and path (`/graphql`, WebSocket
 * upgrade, subprotocol `graphql-transport-ws`):
 *
 * - authentication as for queries: the bearer credential (API token or OIDC JWT) in `connection_init`'s
 *   payload (`{ "authorization": "Bearer …" }`), or the upgrade request's Authorization header; without a
 *   valid one the socket is closed (4403). The credential is checked again every `recheckMs` and before each
 *   new subscription: a revoked token or an expired JWT closes the socket (4401);
 * - authorisation through the service gateway: the resolvers call the services bound to the caller;
 * - the query limits of HTTP (tokens, depth, aliases, directives, cost) apply to subscription documents;
 *   only `subscription` operations are accepted here (queries and mutations go to POST /graphql, where
 *   they are audited);
 * - errors are formatted as on HTTP (our codes, nothing internal).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, Kind, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ServiceGateway } from '../auth/service-gateway.js';
import { isAnonymous, type Caller } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { contextFor } from '../graphql/context.js';
import { createErrorFormatter } from '../graphql/errors.js';
import { DEFAULT_QUERY_LIMITS, limitRules, pageSizeEstimator, type QueryLimits } from '../graphql/limits.js';

export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  gateway: Pick<ServiceGateway, 'authenticate' | 'servicesFor' | 'recordAttempt'>;
  limits?: Partial<QueryLimits>;
  /** How often a connection's credential is checked again (default 60 s). */
  recheckMs?: number;
  logError?: (message: string, error: unknown) => void;
}

/** What a connection keeps between messages. */
interface Session {
  secret: string | undefined;
  caller: Caller;
  checkedAt: number;
  timer?: NodeJS.Timeout;
}

export interface SubscriptionServer {
  /** Takes over an HTTP upgrade request for /graphql. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The bearer secret of a `connection_init` payload (`authorization`/`Authorization`, or `token`), else of the upgrade request. */
export function bearerOfConnection(params: Readonly<Record<string, unknown>> | undefined, req: http.IncomingMessage): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string') return BEARER.exec(header)?.[1];
  if (typeof params?.token === 'string' && params.token.trim() !== '') return params.token.trim();
  return BEARER.exec(req.headers.authorization ?? '')?.[1];
}

function coded(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function refused(message: string): GraphQLError {
  return new GraphQLError(message, { originalError: new PlimsollError(ErrorCode.QUERY_TOO_COMPLEX, message) });
}

/** Parses, validates and checks a subscription document against the limits; GraphQL errors otherwise. */
export function checkSubscriptionDocument(schema: GraphQLSchema, query: string, variables: Record<string, unknown>, operationName: string | undefined, limits: QueryLimits): DocumentNode | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (e) {
    return [coded(e instanceof Error ? e.message : String(e), 'GRAPHQL_PARSE_FAILED')];
  }
  const errors = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
  if (errors.length > 0) return errors.map((e) => (e.originalError !== undefined ? e : coded(e.message, 'GRAPHQL_VALIDATION_FAILED')));
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName !== undefined ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (operation === undefined) return [coded('The request holds several operations and names none (or an unknown one): set operationName.', 'OPERATION_RESOLUTION_FAILURE')];
  if (operation.operation !== 'subscription') return [coded(`Only subscriptions are served over WebSocket; send ${operation.operation === 'query' ? 'queries' : 'mutations'} as POST /graphql.`, 'BAD_REQUEST')];
  let cost: number;
  try {
    cost = getComplexity({ schema, query: document, variables, ...(operationName !== undefined ? { operationName } : {}), estimators: [pageSizeEstimator] });
  } catch (e) {
    return [refused(`Query refused: its cost could not be estimated (${e instanceof Error ? e.message : String(e)})`)];
  }
  if (cost > limits.maxCost) return [refused(`Query refused: estimated cost ${cost} is above the limit of ${limits.maxCost}`)];
  return document;
}

/** The graphql-ws server of an HTTP server. */
export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, gateway } = options;
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const recheckMs = options.recheckMs ?? 60_000;
  const format = createErrorFormatter(options.logError ?? (() => undefined));
  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => format(e.toJSON(), e));
  const sessions = new WeakMap<object, Session>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  type Ctx = Context<Record<string, unknown> | undefined, { socket: import('ws').WebSocket; request: http.IncomingMessage }>;

  /** Checks the session's credential again; closes the socket (4401) when it no longer authenticates. */
  const recheck = async (ctx: Ctx, session: Session): Promise<boolean> => {
    const caller = await gateway.authenticate(session.secret);
    session.checkedAt = Date.now();
    if (isAnonymous(caller)) {
      ctx.extra.socket.close(4401, 'Unauthorized: the credential no longer authenticates');
      return false;
    }
    session.caller = caller;
    return true;
  };

  const disposable = useServer<Record<string, unknown> | undefined, { socket: import('ws').WebSocket; request: http.IncomingMessage }>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const secret = bearerOfConnection(ctx.connectionParams, ctx.extra.request);
        const caller = await gateway.authenticate(secret);
        if (isAnonymous(caller)) return false;
        const session: Session = { secret, caller, checkedAt: Date.now() };
        session.timer = setInterval(() => void recheck(ctx as Ctx, session).catch(() => ctx.extra.socket.close(4401, 'Unauthorized')), recheckMs);
        session.timer.unref();
        sessions.set(ctx, session);
        return true;
      },
      onDisconnect: (ctx) => {
        const session = sessions.get(ctx);
        if (session?.timer !== undefined) clearInterval(session.timer);
      },
      onClose: (ctx) => {
        const session = sessions.get(ctx);
        if (session?.timer !== undefined) clearInterval(session.timer);
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const session = sessions.get(ctx);
        if (session === undefined) return [coded('Not authenticated', ErrorCode.UNAUTHENTICATED)];
        if (Date.now() - session.checkedAt > recheckMs && !(await recheck(ctx as Ctx, session))) return [coded('Not authenticated: the credential no longer authenticates', ErrorCode.UNAUTHENTICATED)];
        const variables = (payload.variables ?? {}) as Record<string, unknown>;
        const checked = checkSubscriptionDocument(schema, payload.query, variables, payload.operationName ?? undefined, limits);
        if (!('kind' in checked)) return checked;
        return {
          schema,
          document: checked,
          variableValues: variables,
          ...(payload.operationName != null ? { operationName: payload.operationName } : {}),
          contextValue: contextFor(gateway, session.caller, randomUUID()),
        };
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors !== undefined ? { ...result, errors: formatAll(result.errors) } : (result as never)),
    },
    wss,
  );

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async close() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
