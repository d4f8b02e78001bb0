/**
 * The supply-chain settings assessments use: the configuration file's environments plus the registered
 * registries, trust servers and signers, with credentials opened from their sealed form. On a clash the file
 * wins (registration refuses names the file defines; a file edited later still wins): a registered registry
 * with the name or host of a file registry of its environment is left out, a registered trust server named
 * like one of the environment's file servers too, and registered signers count only where the file names none.
 *
 * `forEnvironment` answers from the last snapshot (the interface is synchronous); `refresh` re-reads the
 * database, and the collectors call it before each node. Reads within `maxAgeMs` of the last one (and calls
 * while one is in flight) share it: two collectors per node and many nodes per run read once. A change made
 * in this process (`invalidate`, called by the service) counts at the next node; one made by another process
 * (the CLI) within `maxAgeMs`.
 */
import type { AllowedSigner, EnvironmentSupplyChain, RegistrySettings, RemoteCredentials, SupplyChainSettingsSource, TrustServerSettings } from '../domain/supply-chain.js';
import type { EnvironmentSigners } from '../domain/supply-chain-registry.js';
import { type SealPurpose, type SecretBox, secretKeyMissing } from '../repositories/secret-box.js';
import type { StoredRegistry, StoredTrustServer, SupplyChainRepository } from '../repositories/supply-chain-repository.js';

/** What is registered, with credentials opened. */
export interface RegisteredSettings {
  registries: (RegistrySettings & { environment: string })[];
  trustServers: TrustServerSettings[];
  signers: EnvironmentSigners[];
}

/** The file's environments and the registered settings merged; the file wins on a clash. */
export function mergeSupplyChain(file: readonly EnvironmentSupplyChain[], registered: RegisteredSettings): EnvironmentSupplyChain[] {
  const names = new Set([...file.map((e) => e.environment), ...registered.registries.map((r) => r.environment), ...registered.signers.map((s) => s.environment)]);
  const servers = new Map(registered.trustServers.map((t) => [t.name, t]));
  return [...names].sort().map((environment) => {
    const fromFile = file.find((e) => e.environment === environment) ?? { environment, registries: [], trustServers: [], allowedSigners: [] };
    const fileServerNames = new Set(fromFile.trustServers.map((t) => t.name));
    const registries = registered.registries
      .filter((r) => r.environment === environment && !fromFile.registries.some((f) => f.name === r.name || f.host === r.host))
      .map(({ environment: _e, ...r }) => r);
    const used = new Set(registries.flatMap((r) => (r.trustServer !== undefined && !fileServerNames.has(r.trustServer) ? [r.trustServer] : [])));
    const trustServers = [...used].flatMap((n) => servers.get(n) ?? []);
    const signers: AllowedSigner[] = fromFile.allowedSigners.length > 0 ? fromFile.allowedSigners : (registered.signers.find((s) => s.environment === environment)?.signers ?? []);
    return { environment, registries: [...fromFile.registries, ...registries], trustServers: [...fromFile.trustServers, ...trustServers], allowedSigners: signers };
  });
}

/** A SupplyChainSettingsSource over the file's environments and the database. */
export class RegisteredSupplyChainSettings implements SupplyChainSettingsSource {
  private byName: Map<string, EnvironmentSupplyChain>;
  private inFlight: Promise<void> | undefined;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly file: readonly EnvironmentSupplyChain[],
    private readonly repo: SupplyChainRepository,
    private readonly secrets: SecretBox | undefined,
    private readonly options: { maxAgeMs?: number; now?: () => number } = {},
  ) {
    this.byName = new Map(file.map((e) => [e.environment, e]));
  }

  forEnvironment(environment: string | undefined): EnvironmentSupplyChain | undefined {
    return this.byName.get(environment ?? 'default');
  }

  /** The next `refresh` reads the database again (a registration changed in this process). */
  invalidate(): void {
    this.readAt = Number.NEGATIVE_INFINITY;
  }

  /** Re-reads the registered entries unless read within `maxAgeMs`; CONFIG_INVALID when stored credentials can't be opened. */
  async refresh(): Promise<void> {
    const now = this.options.now ?? Date.now;
    if (this.inFlight !== undefined) return this.inFlight;
    if (now() - this.readAt < (this.options.maxAgeMs ?? 2000)) return;
    const started = now();
    this.inFlight = this.read().finally(() => (this.inFlight = undefined));
    await this.inFlight;
    this.readAt = started;
  }

  private async read(): Promise<void> {
    const [registries, trustServers, signers] = await Promise.all([this.repo.listRegistries(), this.repo.listTrustServers(), this.repo.listSigners()]);
    const serverNames = new Map(trustServers.map((t) => [t.id, t.name]));
    const registered: RegisteredSettings = {
      registries: registries.map((r) => this.registry(r, serverNames)),
      trustServers: trustServers.map((t) => this.trustServer(t)),
      signers,
    };
    this.byName = new Map(mergeSupplyChain(this.file, registered).map((e) => [e.environment, e]));
  }

  private registry(r: StoredRegistry, serverNames: ReadonlyMap<string, string>): RegistrySettings & { environment: string } {
    const trustServer = r.trustServerId !== undefined ? serverNames.get(r.trustServerId) : undefined;
    const credentials = this.open(r.credentialsSealed, 'registry-credentials', `registry ${r.name}`);
    return {
      environment: r.environment,
      name: r.name,
      host: r.host,
      url: r.url,
      ...(r.caPem !== undefined ? { caPem: r.caPem } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      ...(trustServer !== undefined ? { trustServer } : {}),
      ...(r.repositories !== undefined ? { repositories: r.repositories } : {}),
    };
  }

  private trustServer(t: StoredTrustServer): TrustServerSettings {
    const credentials = this.open(t.credentialsSealed, 'trust-server-credentials', `trust server ${t.name}`);
    return {
      name: t.name,
      url: t.url,
      ...(t.caPem !== undefined ? { caPem: t.caPem } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      ...(Object.keys(t.pinnedRootKeys).length > 0 ? { pinnedRootKeys: t.pinnedRootKeys } : {}),
    };
  }

  private open(sealed: string | undefined, purpose: SealPurpose, what: string): RemoteCredentials | undefined {
    if (sealed === undefined) return undefined;
    if (this.secrets === undefined) throw secretKeyMissing(`The stored credentials of ${what}`);
    const value = JSON.parse(this.secrets.open(sealed, purpose).toString('utf8')) as { username?: unknown; password?: unknown };
    return { username: String(value.username), password: String(value.password) };
  }
}
