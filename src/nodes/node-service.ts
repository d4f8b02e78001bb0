/**
 * Registration of Docker nodes: validated input, canonical endpoints, no duplicate names or
 * endpoints, and a ping through the node's DockerClient. Auditing of the actor happens elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { Principal } from '../domain/auth.js';
import { compilePlatformPattern, type DockerNode, type NodeInput, type NodeTls } from '../domain/node.js';
import type { NodeService, UploadService } from '../domain/services.js';
import { ALLOW_ALL_ENDPOINTS, type EndpointPolicy } from '../repositories/docker/endpoint-allowlist.js';
import type { SecretBox } from '../repositories/secret-box.js';
import { sealNodeTls } from './node-tls.js';
import type { DockerClientFactory } from '../repositories/docker-client.js';
import { normalizeEndpoint, parseEndpoint } from '../repositories/docker/endpoint.js';
import type { NodeRepository } from '../repositories/node-repository.js';
import { GIVEN_BYTES_ONLY } from '../uploads/upload-service.js';

export interface NodeServiceOptions {
  /** Clock for `createdAt`; default `() => new Date()`. */
  now?: () => Date;
  /** Id generator; default crypto.randomUUID. */
  newId?: () => string;
  /** Resolves uploaded TLS material (default: only bytes given directly). */
  uploads?: Pick<UploadService, 'resolve' | 'discard'>;
  /** Seals TLS private keys (PLIMSOLL_SECRET_KEY); without it, TLS nodes are refused with CONFIG_INVALID. */
  secrets?: SecretBox;
  /** The endpoint allow-list (default: every endpoint allowed). */
  endpoints?: EndpointPolicy;
}

const MAX_NAME = 100;
const MAX_LABEL_KEY = 128;
const MAX_LABEL_VALUE = 1024;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** NodeService over a NodeRepository and a DockerClientFactory. */
export class DockerNodeService implements NodeService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(
    private readonly repo: NodeRepository,
    private readonly clients: DockerClientFactory,
    private readonly options: NodeServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Validates and stores a node; BAD_INPUT for invalid input, NODE_NOT_ALLOWED outside the allow-list,
   * CONFLICT for a taken name or endpoint. Uploaded TLS material is discarded once stored (the key sealed).
   */
  async register(input: NodeInput, actor: Principal): Promise<DockerNode> {
    const node = await this.validate(input, actor);
    await (this.options.endpoints ?? ALLOW_ALL_ENDPOINTS).check(node.endpoint);
    const byName = await this.repo.findByName(node.name);
    if (byName) throw new PlimsollError(ErrorCode.CONFLICT, `A node named "${node.name}" already exists (${byName.endpoint})`);
    const byEndpoint = await this.repo.findByEndpoint(node.endpoint);
    if (byEndpoint) throw new PlimsollError(ErrorCode.CONFLICT, `Endpoint ${node.endpoint} is already registered as node "${byEndpoint.name}"`);
    try {
      await this.repo.insert(node);
    } catch (e) {
      // A concurrent registration of the same name wins the race against our check.
      if (String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_CONSTRAINT')) {
        throw new PlimsollError(ErrorCode.CONFLICT, `A node named "${node.name}" already exists`, [], { cause: e });
      }
      throw e;
    }
    if (input.tls) await this.options.uploads?.discard([input.tls.ca, input.tls.cert, input.tls.key], actor);
    return node;
  }

  page(page: PageRequest, filter: { environments?: readonly string[] } = {}): Promise<Connection<DockerNode>> {
    return this.repo.page(page, filter);
  }

  list(): Promise<DockerNode[]> {
    return this.repo.list();
  }

  /** By id, then name, then endpoint (in any accepted spelling); removed nodes by id only, when asked for. */
  async find(ref: string, options: { includeRemoved?: boolean } = {}): Promise<DockerNode | undefined> {
    const r = ref.trim();
    if (r === '') return undefined;
    const found = (await this.repo.findById(r, options)) ?? (await this.repo.findByName(r));
    if (found) return found;
    if (!r.startsWith('unix://') && !r.startsWith('tcp://')) return undefined;
    let endpoint: string;
    try {
      endpoint = normalizeEndpoint(r);
    } catch {
      return undefined;
    }
    return this.repo.findByEndpoint(endpoint);
  }

  /**
   * Removes a node; NOT_FOUND when nothing matches. A soft delete: the node leaves lists and lookups (its name
   * and endpoint are free again), old assessments keep referring to it.
   */
  async remove(ref: string, _actor: Principal): Promise<void> {
    const node = await this.require(ref);
    if (!(await this.repo.markRemoved(node.id, this.now().toISOString()))) throw notFound(ref);
  }

  /** Asks the node's engine for its version; NODE_UNREACHABLE / NODE_TLS_FAILED when it can't answer. */
  async ping(ref: string): Promise<{ serverVersion: string; apiVersion: string }> {
    const node = await this.require(ref);
    const version = await this.clients(node).version();
    const serverVersion = version.Version;
    const apiVersion = version.ApiVersion;
    if (typeof serverVersion !== 'string' || typeof apiVersion !== 'string') {
      throw new PlimsollError(ErrorCode.NODE_UNREACHABLE, `${node.endpoint} answered GET /version without Version and ApiVersion: it does not look like a Docker engine`);
    }
    return { serverVersion, apiVersion };
  }

  private async require(ref: string): Promise<DockerNode> {
    const node = await this.find(ref);
    if (node === undefined) throw notFound(ref);
    return node;
  }

  private async validate(input: NodeInput, actor: Principal): Promise<DockerNode> {
    const problems: Problem[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') problems.push({ pointer: '/name', message: 'name is required' });
    else if (name.length > MAX_NAME) problems.push({ pointer: '/name', message: `name is longer than ${MAX_NAME} characters` });
    else if (CONTROL_CHARS.test(name)) problems.push({ pointer: '/name', message: 'name contains control characters' });
    else if (name.includes('://')) problems.push({ pointer: '/name', message: 'name must not look like an endpoint (contains "://")' });

    let endpoint = '';
    try {
      endpoint = normalizeEndpoint(typeof input.endpoint === 'string' ? input.endpoint : '');
    } catch (e) {
      problems.push({ pointer: '/endpoint', message: (e as Error).message });
    }

    let tls: NodeTls | undefined;
    if (input.tls !== undefined && input.tls !== null) {
      if (endpoint !== '' && parseEndpoint(endpoint).kind !== 'tcp') problems.push({ pointer: '/tls', message: 'TLS applies to tcp:// endpoints only' });
      const [ca, cert, key] = await (this.options.uploads ?? GIVEN_BYTES_ONLY).resolve([input.tls.ca, input.tls.cert, input.tls.key], actor);
      tls = sealNodeTls({ ca: ca!, cert: cert!, key: key! }, this.options.secrets, problems);
    }

    const labels: Record<string, string> = {};
    const rawLabels: unknown = input.labels ?? {};
    if (typeof rawLabels !== 'object' || rawLabels === null || Array.isArray(rawLabels)) problems.push({ pointer: '/labels', message: 'labels must be an object of strings' });
    for (const [k, v] of Object.entries(typeof rawLabels === 'object' && rawLabels !== null && !Array.isArray(rawLabels) ? rawLabels : {})) {
      if (k.trim() === '' || k.length > MAX_LABEL_KEY) problems.push({ pointer: `/labels/${k}`, message: `label keys must have 1 to ${MAX_LABEL_KEY} characters` });
      else if (typeof v !== 'string' || v.length > MAX_LABEL_VALUE) problems.push({ pointer: `/labels/${k}`, message: `label values must be strings of at most ${MAX_LABEL_VALUE} characters` });
      else labels[k] = v;
    }
    const environment = typeof input.environment === 'string' && input.environment.trim() !== '' ? input.environment.trim() : undefined;
    const pattern = input.platformContainerPattern;
    if (pattern !== undefined && pattern !== null) {
      const compiled = typeof pattern === 'string' ? compilePlatformPattern(pattern) : { invalid: 'the platform container pattern must be a string' };
      if (!(compiled instanceof RegExp)) problems.push({ pointer: '/platformContainerPattern', message: compiled.invalid });
    }

    if (problems.length > 0) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid node: ${problems.map((p) => p.message).join('; ')}`, problems);
    }
    const node: DockerNode = { id: this.newId(), name, endpoint, labels, createdAt: this.now().toISOString() };
    if (tls) node.tls = tls;
    if (environment !== undefined) node.environment = environment;
    if (typeof pattern === 'string') node.platformContainerPattern = pattern;
    return node;
  }
}

function notFound(ref: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, `No node matches "${ref}" (by id, name or endpoint)`);
}
