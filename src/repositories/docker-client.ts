/**
 * The Docker Engine API as a repository: the few read-only calls collectors and node checks need,
 * behind an interface so services and collectors are testable with fakes. The dockerode
 * implementation talks to `unix:///path` sockets and `tcp://host:port` (mutual TLS when the node
 * has TLS material); every call has a timeout and every failure becomes a PlimsollError.
 */
import http from 'node:http';
import https from 'node:https';
import type DockerModule from 'dockerode';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { ApiObject } from '../domain/facts.js';
import type { DockerNode, NodeTls } from '../domain/node.js';
import type { ContainerUpdate } from '../domain/remediation.js';
import { dockerClass } from './docker/dockerode.js';
import { parseEndpoint } from './docker/endpoint.js';
import { NotDockerError, toDockerError } from './docker/docker-errors.js';
import { ALLOW_ALL_ENDPOINTS, type EndpointPolicy } from './docker/endpoint-allowlist.js';
import { type SecretBox, secretKeyMissing } from './secret-box.js';

export { normalizeEndpoint, parseEndpoint, type ParsedEndpoint } from './docker/endpoint.js';

/** Read-only access to one Docker engine. Every method rejects with a PlimsollError. */
export interface DockerClient {
  /** The endpoint this client talks to. */
  readonly endpoint: string;
  /** `GET /_ping`: resolves when the engine answers. */
  ping(): Promise<void>;
  /** `GET /version`. */
  version(): Promise<ApiObject>;
  /** `GET /info`. */
  info(): Promise<ApiObject>;
  /** `GET /containers/json`; `all` (default true) includes stopped containers. */
  listContainers(options?: { all?: boolean }): Promise<ApiObject[]>;
  /** `GET /containers/{id}/json` as returned; rejects with NOT_FOUND when the container is gone. */
  inspectContainer(id: string): Promise<ApiObject>;
  /**
   * Any other Engine API call, e.g. `request('GET', '/swarm')` or `request('GET', '/images/json', { query: { all: true } })`:
   * the parsed JSON body (a string or Buffer when the engine answers otherwise, such as container logs).
   * 404 rejects with NOT_FOUND; other failures as the other calls do.
   */
  request(method: 'GET' | 'POST' | 'DELETE', path: string, options?: EngineRequestOptions): Promise<unknown>;
}

/**
 * The Engine API calls that change a node. Only remediation plans make them (src/remediation): collectors and
 * checks get the read-only DockerClient. Failures reject with PlimsollErrors as the reads do (their messages
 * classify, never echo, what the engine answered; `engineAnswerOf` classifies them for the record).
 */
export interface EngineUpdates {
  /** `POST /containers/{id}/update` (`docker update`) with only the resources to change; resolves to how many warnings the engine gave. */
  updateContainer(id: string, update: ContainerUpdate): Promise<{ warnings: number }>;
  /** `GET /swarm` on a manager. */
  inspectSwarm(): Promise<ApiObject>;
  /** `POST /swarm/update?version=V` with the whole spec (`docker swarm update`); tokens and the unlock key are not rotated. */
  updateSwarm(version: number, spec: ApiObject): Promise<void>;
  /** `GET /swarm/unlockkey`: the swarm's unlock key, a secret (never logged, stored sealed). */
  swarmUnlockKey(): Promise<string>;
}

/** What applying a remediation plan uses of one engine. */
export type EngineUpdateClient = Pick<DockerClient, 'endpoint' | 'inspectContainer'> & EngineUpdates;

/** Makes the updating client of a node; must not do I/O. */
export type EngineUpdateClientFactory = (node: Pick<DockerNode, 'endpoint' | 'tls'>) => EngineUpdateClient;

export interface EngineRequestOptions {
  query?: Record<string, string | number | boolean>;
  /** JSON body of a POST. */
  body?: unknown;
}

/** Makes the client of a node; must not do I/O (failures surface from the client's calls). */
export type DockerClientFactory = (node: Pick<DockerNode, 'endpoint' | 'tls'>) => DockerClient;

export interface DockerClientOptions {
  /** Per-call timeout in ms (PLIMSOLL_DOCKER_TIMEOUT_MS); default 10 000. */
  timeoutMs?: number;
  /** Opens nodes' sealed TLS keys (PLIMSOLL_SECRET_KEY). */
  secrets?: SecretBox;
  /** The endpoint allow-list, checked before every connection (default: every endpoint allowed). */
  endpoints?: EndpointPolicy;
}

export const DEFAULT_DOCKER_TIMEOUT_MS = 10_000;

/**
 * The dockerode calls used here, typed as dockerode 5 implements them: its typings omit the options
 * argument (which carries `abortSignal`) on ping, version and info.
 */
interface EngineApi {
  ping(opts: { abortSignal: AbortSignal }): Promise<unknown>;
  version(opts: { abortSignal: AbortSignal }): Promise<unknown>;
  info(opts: { abortSignal: AbortSignal }): Promise<unknown>;
  listContainers(opts: { all: boolean; abortSignal: AbortSignal }): Promise<unknown>;
  getContainer(id: string): { inspect(opts: { abortSignal: AbortSignal }): Promise<unknown> };
  modem: {
    dial(options: { path: string; method: string; options: Record<string, unknown>; statusCodes: Record<number, boolean | string>; abortSignal: AbortSignal; allowEmpty?: boolean }, cb: (err: unknown, data: unknown) => void): void;
  };
}

/** The client key of a node, opened from its sealed form; NODE_TLS_FAILED / CONFIG_INVALID when it can't be. */
function tlsMaterial(endpoint: string, tls: NodeTls, box: SecretBox | undefined): { ca: string; cert: string; key: Buffer } {
  if (tls.kind === 'legacy-files') {
    throw new PlimsollError(
      ErrorCode.NODE_TLS_FAILED,
      `The node at ${endpoint} was registered with TLS file paths, which Plimsoll no longer reads when connecting: start Plimsoll once with PLIMSOLL_SECRET_KEY set to encrypt them, or register the node again with its PEM content`,
    );
  }
  if (box === undefined) throw secretKeyMissing(`Connecting to ${endpoint} with mutual TLS`);
  return { ca: tls.caPem, cert: tls.certPem, key: box.open(tls.keySealed, 'node-tls-key') };
}

/** The dockerode-backed client. Built lazily so that reading PEM files happens inside a call. */
export class DockerodeClient implements DockerClient, EngineUpdates {
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private docker: Promise<EngineApi> | undefined;

  constructor(
    private readonly node: Pick<DockerNode, 'endpoint' | 'tls'>,
    private readonly options: DockerClientOptions = {},
  ) {
    this.endpoint = node.endpoint;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DOCKER_TIMEOUT_MS;
  }

  ping(): Promise<void> {
    return this.call('GET /_ping', async (d, abortSignal) => {
      await d.ping({ abortSignal }).catch(notDockerWhen404('GET /_ping'));
    });
  }

  version(): Promise<ApiObject> {
    return this.call('GET /version', async (d, abortSignal) => {
      const version = asObject(await d.version({ abortSignal }).catch(notDockerWhen404('GET /version')));
      // Every Docker Engine API answers /version with both; anything else is some other HTTP service.
      if (typeof version.Version !== 'string' || typeof version.ApiVersion !== 'string') throw new NotDockerError('GET /version');
      return version;
    });
  }

  info(): Promise<ApiObject> {
    return this.call('GET /info', async (d, abortSignal) => asObject(await d.info({ abortSignal })));
  }

  listContainers(options: { all?: boolean } = {}): Promise<ApiObject[]> {
    const all = options.all ?? true;
    return this.call(`GET /containers/json?all=${all}`, async (d, abortSignal) => {
      const list: unknown = await d.listContainers({ all, abortSignal });
      if (!Array.isArray(list)) throw new NotDockerError();
      return list.map(asObject);
    });
  }

  inspectContainer(id: string): Promise<ApiObject> {
    return this.call(`GET /containers/${id}/json`, async (d, abortSignal) => asObject(await d.getContainer(id).inspect({ abortSignal })));
  }

  request(method: 'GET' | 'POST' | 'DELETE', path: string, options: EngineRequestOptions = {}): Promise<unknown> {
    const query = options.query ?? {};
    return this.call(`${method} ${path}`, async (d, abortSignal) => {
      const statusCodes: Record<number, boolean | string> = { 200: true, 201: true, 204: true, 304: true, 404: 'not found' };
      const dialOptions: Record<string, unknown> = method === 'POST' ? { _query: query, _body: options.body ?? {} } : { ...query };
      const raw = await new Promise<unknown>((resolve, reject) => {
        d.modem.dial({ path: `${path}?`, method, options: dialOptions, statusCodes, abortSignal, allowEmpty: true }, (err, data) => (err ? reject(err) : resolve(data)));
      });
      return raw;
    });
  }

  async updateContainer(id: string, update: ContainerUpdate): Promise<{ warnings: number }> {
    const answer = await this.request('POST', `/containers/${encodeURIComponent(id)}/update`, { body: update });
    const warnings = typeof answer === 'object' && answer !== null ? (answer as { Warnings?: unknown }).Warnings : undefined;
    return { warnings: Array.isArray(warnings) ? warnings.length : 0 };
  }

  async inspectSwarm(): Promise<ApiObject> {
    return this.call('GET /swarm', async () => asObject(await this.request('GET', '/swarm')));
  }

  async updateSwarm(version: number, spec: ApiObject): Promise<void> {
    await this.request('POST', '/swarm/update', { query: { version, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false }, body: spec });
  }

  async swarmUnlockKey(): Promise<string> {
    const answer = await this.request('GET', '/swarm/unlockkey');
    const key = typeof answer === 'object' && answer !== null ? (answer as { UnlockKey?: unknown }).UnlockKey : undefined;
    if (typeof key !== 'string' || key === '') throw new PlimsollError(ErrorCode.NODE_UNREACHABLE, `Docker engine ${this.endpoint} answered GET /swarm/unlockkey without an unlock key`);
    return key;
  }

  private async call<T>(operation: string, fn: (docker: EngineApi, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      return await fn(await this.connection(), controller.signal);
    } catch (e) {
      throw toDockerError(e, { endpoint: this.endpoint, operation, timedOut, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
    }
  }

  private connection(): Promise<EngineApi> {
    if (this.docker === undefined) {
      const pending = this.connect();
      this.docker = pending;
      // A failed set-up (unreadable PEM) is retried on the next call rather than cached.
      pending.catch(() => {
        if (this.docker === pending) this.docker = undefined;
      });
    }
    return this.docker;
  }

  private async connect(): Promise<EngineApi> {
    const target = parseEndpoint(this.node.endpoint);
    const endpoints = this.options.endpoints ?? ALLOW_ALL_ENDPOINTS;
    await endpoints.check(this.node.endpoint);
    // Connections resolve names through the allow-list's lookup, so the address checked is the one used.
    const agentOf = (tls: boolean): { agent?: http.Agent } => (endpoints.lookup ? { agent: tls ? new https.Agent({ lookup: endpoints.lookup }) : new http.Agent({ lookup: endpoints.lookup }) } : {});
    // Every option is given explicitly: dockerode otherwise fills gaps from DOCKER_HOST, DOCKER_CERT_PATH, ….
    const base = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, timeout: undefined, version: undefined };
    if (target.kind === 'unix') {
      if (this.node.tls) throw new PlimsollError(ErrorCode.BAD_INPUT, `TLS material was given for ${this.endpoint}, but TLS only applies to tcp:// endpoints`);
      return engine({ ...base, socketPath: target.socketPath, protocol: 'http' });
    }
    if (this.node.tls === undefined) return engine({ ...base, host: target.host, port: target.port, protocol: 'http', ...agentOf(false) });
    const { ca, cert, key } = tlsMaterial(this.endpoint, this.node.tls, this.options.secrets);
    return engine({ ...base, host: target.host, port: target.port, protocol: 'https', ca, cert, key, ...agentOf(true) });
  }
}

function engine(options: DockerModule.DockerOptions): EngineApi {
  const Docker = dockerClass();
  return new Docker(options) as unknown as EngineApi;
}

/** Every engine answers /_ping and /version: a 404 there means the endpoint is something else. */
function notDockerWhen404(operation: string): (e: unknown) => never {
  return (e) => {
    if (typeof e === 'object' && e !== null && (e as { statusCode?: unknown }).statusCode === 404) throw new NotDockerError(operation);
    throw e;
  };
}

/** An answer that is not the JSON a Docker Engine API gives (dockerode hands non-JSON bodies over as Buffers). */
function asObject(v: unknown): ApiObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) throw new NotDockerError();
  return v as ApiObject;
}

/** Creates a client for one node. */
export function createDockerClient(node: Pick<DockerNode, 'endpoint' | 'tls'>, options: DockerClientOptions = {}): DockerClient {
  return new DockerodeClient(node, options);
}

/** The factory of updating clients (remediation plans), sharing the read clients' options. */
export function engineUpdateClientFactory(options: DockerClientOptions = {}): EngineUpdateClientFactory {
  return (node) => new DockerodeClient(node, options);
}

/** The factory wired in main.ts: one client per node, sharing the configured timeout. */
export function dockerClientFactory(options: DockerClientOptions = {}): DockerClientFactory {
  return (node) => new DockerodeClient(node, options);
}
