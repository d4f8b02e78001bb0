/**
 * Registration of registries, trust servers and environment signers (issue #11 item 1). Credentials are
 * sealed with PLIMSOLL_SECRET_KEY before they are stored and are never returned: what callers get says only
 * whether some are stored. CA certificates arrive as content (an upload or the CLI's bytes) and are stored as
 * PEM. Names the configuration file (PLIMSOLL_SUPPLY_CHAIN_CONFIG) defines can't be registered: the file wins,
 * and refusing the clash at registration keeps an entry from being silently shadowed. Roles and audit are the
 * gateway's (src/auth/service-policy.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import type { ContentInput } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { UploadService } from '../domain/services.js';
import type { AllowedSigner, EnvironmentSupplyChain } from '../domain/supply-chain.js';
import type {
  CredentialsInput,
  EnvironmentSigners,
  RegisteredRegistry,
  RegisteredTrustServer,
  RegistryChanges,
  RegistryInput,
  SupplyChainService,
  TrustServerChanges,
  TrustServerInput,
} from '../domain/supply-chain-registry.js';
import { isUniqueViolation } from '../repositories/database/constraint-errors.js';
import { type SecretBox, secretKeyMissing } from '../repositories/secret-box.js';
import type { StoredRegistry, StoredTrustServer, SupplyChainRepository } from '../repositories/supply-chain-repository.js';
import { GIVEN_BYTES_ONLY } from '../uploads/upload-service.js';
import { InputCheck } from './supply-chain-validation.js';

export interface SupplyChainServiceDeps {
  repo: SupplyChainRepository;
  /** Seals credentials; without it, entries with credentials are refused (CONFIG_INVALID). */
  secrets?: SecretBox;
  /** Resolves uploaded CA certificates (default: only bytes given directly). */
  uploads?: Pick<UploadService, 'resolve' | 'discard'>;
  /** The configuration file's environments: the names they define are the file's. */
  fileEnvironments?: readonly EnvironmentSupplyChain[];
  /** Told after every change (the settings source reads again at the next node). */
  onChange?: () => void;
  now?: () => Date;
  newId?: () => string;
}

const DEFAULT_ENVIRONMENT = 'default';

/** SupplyChainService over a SupplyChainRepository. */
export class DefaultSupplyChainService implements SupplyChainService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly file: readonly EnvironmentSupplyChain[];

  constructor(private readonly deps: SupplyChainServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.file = deps.fileEnvironments ?? [];
  }

  async registerRegistry(input: RegistryInput, actor: Principal): Promise<RegisteredRegistry> {
    const at = this.now().toISOString();
    const check = new InputCheck('registry');
    const name = check.name(input.name);
    const url = check.url(input.url, true);
    const host = input.host !== undefined ? check.host(input.host) : url !== undefined ? new URL(url).host : undefined;
    const environment = input.environment !== undefined ? check.environment(input.environment) : DEFAULT_ENVIRONMENT;
    const repositories = input.repositories !== undefined ? check.repositories(input.repositories) : undefined;
    const credentials = input.credentials !== undefined ? check.credentials(input.credentials, url) : undefined;
    const caPem = await this.caPem(input.ca, check, actor);
    const trustServer = input.trustServer !== undefined ? await this.trustServerRef(input.trustServer, check) : undefined;
    check.done();
    const registry: StoredRegistry = {
      id: this.newId(), name: name!, url: url!, host: host!, environment: environment!, createdAt: at, createdBy: actor.name, updatedAt: at,
      ...(caPem !== undefined ? { caPem } : {}),
      ...(trustServer !== undefined ? { trustServerId: trustServer.id } : {}),
      ...(repositories !== undefined && repositories.length > 0 ? { repositories } : {}),
      ...(credentials !== undefined ? { credentialsSealed: this.seal(credentials, 'registry'), credentialsUpdatedAt: at } : {}),
    };
    await this.assertRegistryFree(registry);
    await this.write(() => this.deps.repo.insertRegistry(registry), `A registry named "${registry.name}" already exists`);
    await this.discard(input.ca, actor);
    return this.registryView(registry);
  }

  async updateRegistry(ref: string, changes: RegistryChanges, actor: Principal): Promise<RegisteredRegistry> {
    const current = await this.requireRegistry(ref);
    const at = this.now().toISOString();
    const check = new InputCheck('registry');
    const next: StoredRegistry = { ...current, updatedAt: at };
    if (changes.name !== undefined) next.name = check.name(changes.name) ?? current.name;
    if (changes.url !== undefined) next.url = check.url(changes.url, true) ?? current.url;
    if (changes.host !== undefined) next.host = check.host(changes.host) ?? current.host;
    if (changes.environment !== undefined) next.environment = check.environment(changes.environment) ?? current.environment;
    if (changes.repositories === null) delete next.repositories;
    else if (changes.repositories !== undefined) {
      const repositories = check.repositories(changes.repositories);
      if (repositories.length > 0) next.repositories = repositories;
      else delete next.repositories;
    }
    if (changes.trustServer === null) delete next.trustServerId;
    else if (changes.trustServer !== undefined) {
      const t = await this.trustServerRef(changes.trustServer, check);
      if (t !== undefined) next.trustServerId = t.id;
    }
    await this.applyEndpointChanges(next, changes, check, 'registry', actor);
    check.done();
    await this.assertRegistryFree(next);
    await this.write(() => this.deps.repo.updateRegistry(next), `A registry named "${next.name}" already exists`);
    if (changes.ca) await this.discard(changes.ca, actor);
    return this.registryView(next);
  }

  async removeRegistry(ref: string, _actor: Principal): Promise<void> {
    const r = await this.requireRegistry(ref);
    if (!(await this.deps.repo.deleteRegistry(r.id))) throw notFound('registry', ref);
    this.deps.onChange?.();
  }

  async listRegistries(): Promise<RegisteredRegistry[]> {
    const names = await this.trustServerNames();
    return (await this.deps.repo.listRegistries()).map((r) => registryView(r, names));
  }

  async pageRegistries(page: PageRequest): Promise<Connection<RegisteredRegistry>> {
    const [connection, names] = await Promise.all([this.deps.repo.pageRegistries(page), this.trustServerNames()]);
    return mapNodes(connection, (r) => registryView(r, names));
  }

  async getRegistry(ref: string): Promise<RegisteredRegistry | undefined> {
    const r = await this.findRegistry(ref);
    return r && this.registryView(r);
  }

  async registerTrustServer(input: TrustServerInput, actor: Principal): Promise<RegisteredTrustServer> {
    const at = this.now().toISOString();
    const check = new InputCheck('trust server');
    const name = check.name(input.name);
    const url = check.url(input.url, false);
    const pinnedRootKeys = input.pinnedRootKeys !== undefined ? check.pinnedRootKeys(input.pinnedRootKeys) : {};
    const credentials = input.credentials !== undefined ? check.credentials(input.credentials, url) : undefined;
    const caPem = await this.caPem(input.ca, check, actor);
    check.done();
    const server: StoredTrustServer = {
      id: this.newId(), name: name!, url: url!, pinnedRootKeys, createdAt: at, createdBy: actor.name, updatedAt: at,
      ...(caPem !== undefined ? { caPem } : {}),
      ...(credentials !== undefined ? { credentialsSealed: this.seal(credentials, 'trust server'), credentialsUpdatedAt: at } : {}),
    };
    this.assertTrustServerNameFree(server.name);
    await this.write(() => this.deps.repo.insertTrustServer(server), `A trust server named "${server.name}" already exists`);
    await this.discard(input.ca, actor);
    return trustServerView(server);
  }

  async updateTrustServer(ref: string, changes: TrustServerChanges, actor: Principal): Promise<RegisteredTrustServer> {
    const current = await this.requireTrustServer(ref);
    const check = new InputCheck('trust server');
    const next: StoredTrustServer = { ...current, updatedAt: this.now().toISOString() };
    if (changes.name !== undefined) next.name = check.name(changes.name) ?? current.name;
    if (changes.url !== undefined) next.url = check.url(changes.url, false) ?? current.url;
    if (changes.pinnedRootKeys !== undefined) next.pinnedRootKeys = changes.pinnedRootKeys === null ? {} : check.pinnedRootKeys(changes.pinnedRootKeys);
    await this.applyEndpointChanges(next, changes, check, 'trust server', actor);
    check.done();
    if (next.name !== current.name) this.assertTrustServerNameFree(next.name);
    await this.write(() => this.deps.repo.updateTrustServer(next), `A trust server named "${next.name}" already exists`);
    if (changes.ca) await this.discard(changes.ca, actor);
    return trustServerView(next);
  }

  async removeTrustServer(ref: string, _actor: Principal): Promise<void> {
    const t = await this.requireTrustServer(ref);
    const users = await this.deps.repo.registriesUsing(t.id);
    if (users.length > 0) throw new PlimsollError(ErrorCode.CONFLICT, `Trust server "${t.name}" is used by the registries ${users.join(', ')}: change or remove them first`);
    if (!(await this.deps.repo.deleteTrustServer(t.id))) throw notFound('trust server', ref);
    this.deps.onChange?.();
  }

  async listTrustServers(): Promise<RegisteredTrustServer[]> {
    return (await this.deps.repo.listTrustServers()).map(trustServerView);
  }

  async pageTrustServers(page: PageRequest): Promise<Connection<RegisteredTrustServer>> {
    return mapNodes(await this.deps.repo.pageTrustServers(page), trustServerView);
  }

  async getTrustServer(ref: string): Promise<RegisteredTrustServer | undefined> {
    const t = await this.findTrustServer(ref);
    return t && trustServerView(t);
  }

  async setSigners(environment: string, signers: AllowedSigner[], actor: Principal): Promise<EnvironmentSigners> {
    const check = new InputCheck('allowed signers');
    const env = check.environment(environment, '/environment');
    const checked = check.signers(signers);
    check.done();
    const fromFile = this.file.find((e) => e.environment === env);
    if (fromFile !== undefined && fromFile.allowedSigners.length > 0) {
      throw new PlimsollError(ErrorCode.CONFLICT, `The allowed signers of environment "${env}" are set in the supply-chain configuration file, which wins: change them there`);
    }
    const at = this.now().toISOString();
    await this.deps.repo.replaceSigners(env!, checked, at, actor.name);
    this.deps.onChange?.();
    return checked.length > 0 ? { environment: env!, signers: checked, updatedAt: at, updatedBy: actor.name } : { environment: env!, signers: [] };
  }

  listSigners(): Promise<EnvironmentSigners[]> {
    return this.deps.repo.listSigners();
  }

  async getSigners(environment: string): Promise<EnvironmentSigners> {
    return (await this.deps.repo.listSigners()).find((e) => e.environment === environment) ?? { environment, signers: [] };
  }

  /** URL, CA and credentials of an update (shared by registries and trust servers). */
  private async applyEndpointChanges(next: StoredRegistry | StoredTrustServer, changes: RegistryChanges | TrustServerChanges, check: InputCheck, what: 'registry' | 'trust server', actor: Principal): Promise<void> {
    const at = next.updatedAt;
    if (changes.ca === null) delete next.caPem;
    else if (changes.ca !== undefined) {
      const pem = await this.caPem(changes.ca, check, actor);
      if (pem !== undefined) next.caPem = pem;
    }
    if (changes.credentials === null) {
      delete next.credentialsSealed;
      next.credentialsUpdatedAt = at;
    } else if (changes.credentials !== undefined) {
      const credentials = check.credentials(changes.credentials, next.url);
      if (credentials !== undefined) {
        next.credentialsSealed = this.seal(credentials, what);
        next.credentialsUpdatedAt = at;
      }
    } else if (next.credentialsSealed !== undefined && !next.url.startsWith('https:')) {
      check.bad('/url', 'credentials are sent over https:// only: clear them or keep an https:// URL');
    }
  }

  private seal(credentials: CredentialsInput, what: 'registry' | 'trust server'): string {
    const box = this.deps.secrets;
    if (box === undefined) throw secretKeyMissing(`A ${what} with credentials`);
    return box.seal(Buffer.from(JSON.stringify({ username: credentials.username, password: credentials.password }), 'utf8'), what === 'registry' ? 'registry-credentials' : 'trust-server-credentials');
  }

  private async caPem(ca: ContentInput | undefined | null, check: InputCheck, actor: Principal): Promise<string | undefined> {
    if (ca === undefined || ca === null) return undefined;
    const [file] = await (this.deps.uploads ?? GIVEN_BYTES_ONLY).resolve([ca], actor);
    return check.caPem(file!);
  }

  private async discard(ca: ContentInput | undefined | null, actor: Principal): Promise<void> {
    if (ca !== undefined && ca !== null) await this.deps.uploads?.discard([ca], actor);
  }

  /** Refuses a name or host the file's environment already has (the file wins) or another registration holds. */
  private async assertRegistryFree(r: StoredRegistry): Promise<void> {
    const fromFile = this.file.find((e) => e.environment === r.environment)?.registries ?? [];
    if (fromFile.some((f) => f.name === r.name || f.host === r.host)) {
      throw new PlimsollError(ErrorCode.CONFLICT, `Environment "${r.environment}" has a registry named "${r.name}" or with host ${r.host} in the supply-chain configuration file, which wins`);
    }
    const clash = (await this.deps.repo.listRegistries()).find((o) => o.id !== r.id && o.environment === r.environment && o.host === r.host);
    if (clash !== undefined) throw new PlimsollError(ErrorCode.CONFLICT, `Registry "${clash.name}" of environment "${r.environment}" already has host ${r.host}`);
  }

  private assertTrustServerNameFree(name: string): void {
    if (this.file.some((e) => e.trustServers.some((t) => t.name === name))) {
      throw new PlimsollError(ErrorCode.CONFLICT, `A trust server named "${name}" is defined in the supply-chain configuration file, which wins`);
    }
  }

  private async write(insert: () => Promise<void>, conflict: string): Promise<void> {
    try {
      await insert();
    } catch (e) {
      if (isUniqueViolation(e)) throw new PlimsollError(ErrorCode.CONFLICT, conflict, [], { cause: e });
      throw e;
    }
    this.deps.onChange?.();
  }

  private async trustServerRef(ref: string, check: InputCheck): Promise<StoredTrustServer | undefined> {
    const t = await this.findTrustServer(ref);
    return t ?? check.bad('/trustServer', `names no registered trust server (by id or name): ${ref.slice(0, 100)}`);
  }

  private async findRegistry(ref: string): Promise<StoredRegistry | undefined> {
    return (await this.deps.repo.findRegistry('id', ref)) ?? (await this.deps.repo.findRegistry('name', ref.trim()));
  }

  private async requireRegistry(ref: string): Promise<StoredRegistry> {
    return (await this.findRegistry(ref)) ?? Promise.reject(notFound('registry', ref));
  }

  private async findTrustServer(ref: string): Promise<StoredTrustServer | undefined> {
    return (await this.deps.repo.findTrustServer('id', ref)) ?? (await this.deps.repo.findTrustServer('name', ref.trim()));
  }

  private async requireTrustServer(ref: string): Promise<StoredTrustServer> {
    return (await this.findTrustServer(ref)) ?? Promise.reject(notFound('trust server', ref));
  }

  private async trustServerNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.repo.listTrustServers()).map((t) => [t.id, t.name]));
  }

  private async registryView(r: StoredRegistry): Promise<RegisteredRegistry> {
    return registryView(r, await this.trustServerNames());
  }
}

function notFound(what: string, ref: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, `No ${what} matches "${ref.slice(0, 100)}" (by id or name)`);
}

/** Stored → returned: the sealed credentials become `hasCredentials`. */
function endpointView(e: StoredRegistry | StoredTrustServer): Omit<RegisteredTrustServer, 'pinnedRootKeys'> {
  return {
    id: e.id,
    name: e.name,
    url: e.url,
    ...(e.caPem !== undefined ? { caPem: e.caPem } : {}),
    hasCredentials: e.credentialsSealed !== undefined,
    ...(e.credentialsUpdatedAt !== undefined ? { credentialsUpdatedAt: e.credentialsUpdatedAt } : {}),
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    updatedAt: e.updatedAt,
  };
}

function registryView(r: StoredRegistry, trustServerNames: ReadonlyMap<string, string>): RegisteredRegistry {
  const trustServer = r.trustServerId !== undefined ? trustServerNames.get(r.trustServerId) : undefined;
  return {
    ...endpointView(r),
    host: r.host,
    environment: r.environment,
    ...(trustServer !== undefined ? { trustServer } : {}),
    ...(r.repositories !== undefined ? { repositories: r.repositories } : {}),
  };
}

function trustServerView(t: StoredTrustServer): RegisteredTrustServer {
  return { ...endpointView(t), pinnedRootKeys: t.pinnedRootKeys };
}
