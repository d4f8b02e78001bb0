/**
 * Registered registries, trust servers and environment signers (migration 0016): rows in, stored records out,
 * through explicit map functions. Stored records carry the sealed credentials; only the supply-chain service
 * and the settings source see them, and what the service returns leaves them out.
 */
import type { Selectable } from './database/kysely.js';
import type { AllowedSigner } from '../domain/supply-chain.js';
import type { EnvironmentSigners } from '../domain/supply-chain-registry.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { RegistryTable, TrustServerTable } from './database/tables-supply-chain.js';

/** Fields of a stored registry or trust server. */
interface StoredEndpoint {
  id: string;
  name: string;
  url: string;
  caPem?: string;
  /** `{username, password}` as JSON, sealed. */
  credentialsSealed?: string;
  credentialsUpdatedAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface StoredTrustServer extends StoredEndpoint {
  pinnedRootKeys: Record<string, string[]>;
}

export interface StoredRegistry extends StoredEndpoint {
  environment: string;
  host: string;
  trustServerId?: string;
  repositories?: string[];
}

export interface SupplyChainRepository {
  insertRegistry(r: StoredRegistry): Promise<void>;
  /** Replaces the row of `r.id`. */
  updateRegistry(r: StoredRegistry): Promise<void>;
  deleteRegistry(id: string): Promise<boolean>;
  findRegistry(by: 'id' | 'name', value: string): Promise<StoredRegistry | undefined>;
  /** Every registry, by name. */
  listRegistries(): Promise<StoredRegistry[]>;
  pageRegistries(request: PageRequest): Promise<Connection<StoredRegistry>>;
  /** Names of the registries that use a trust server. */
  registriesUsing(trustServerId: string): Promise<string[]>;
  insertTrustServer(t: StoredTrustServer): Promise<void>;
  updateTrustServer(t: StoredTrustServer): Promise<void>;
  deleteTrustServer(id: string): Promise<boolean>;
  findTrustServer(by: 'id' | 'name', value: string): Promise<StoredTrustServer | undefined>;
  listTrustServers(): Promise<StoredTrustServer[]>;
  pageTrustServers(request: PageRequest): Promise<Connection<StoredTrustServer>>;
  /** Environments with registered signers, by name. */
  listSigners(): Promise<EnvironmentSigners[]>;
  /** Replaces an environment's signers in one transaction (an empty list removes them). */
  replaceSigners(environment: string, signers: readonly AllowedSigner[], at: string, by: string): Promise<void>;
}

type RegistryRow = Selectable<RegistryTable>;
type TrustServerRow = Selectable<TrustServerTable>;

function endpointOf(row: RegistryRow | TrustServerRow): StoredEndpoint {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    ...(row.ca_pem !== null ? { caPem: row.ca_pem } : {}),
    ...(row.credentials_sealed !== null ? { credentialsSealed: row.credentials_sealed } : {}),
    ...(row.credentials_updated_at !== null ? { credentialsUpdatedAt: row.credentials_updated_at } : {}),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  };
}

function endpointColumns(e: StoredEndpoint): Omit<RegistryRow & TrustServerRow, 'environment' | 'host' | 'trust_server_id' | 'repositories_json' | 'pinned_root_keys_json'> {
  return {
    id: e.id,
    name: e.name,
    url: e.url,
    ca_pem: e.caPem ?? null,
    credentials_sealed: e.credentialsSealed ?? null,
    credentials_updated_at: e.credentialsUpdatedAt ?? null,
    created_at: e.createdAt,
    created_by: e.createdBy,
    updated_at: e.updatedAt,
  };
}

/** Row → stored registry. */
export function mapRegistryRow(row: RegistryRow): StoredRegistry {
  return {
    ...endpointOf(row),
    environment: row.environment,
    host: row.host,
    ...(row.trust_server_id !== null ? { trustServerId: row.trust_server_id } : {}),
    ...(row.repositories_json !== null ? { repositories: stringList(row.repositories_json, `registry ${row.id}`) } : {}),
  };
}

function toRegistryRow(r: StoredRegistry): RegistryRow {
  return {
    ...endpointColumns(r),
    environment: r.environment,
    host: r.host,
    trust_server_id: r.trustServerId ?? null,
    repositories_json: r.repositories !== undefined ? JSON.stringify(r.repositories) : null,
  };
}

/** Row → stored trust server. */
export function mapTrustServerRow(row: TrustServerRow): StoredTrustServer {
  const pins: unknown = JSON.parse(row.pinned_root_keys_json);
  const pinnedRootKeys: Record<string, string[]> = {};
  for (const [gun, ids] of Object.entries(typeof pins === 'object' && pins !== null ? pins : {})) pinnedRootKeys[gun] = Array.isArray(ids) ? ids.map(String) : [];
  return { ...endpointOf(row), pinnedRootKeys };
}

function toTrustServerRow(t: StoredTrustServer): TrustServerRow {
  return { ...endpointColumns(t), pinned_root_keys_json: JSON.stringify(t.pinnedRootKeys) };
}

function stringList(json: string, what: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error(`${what}: a stored list is not a JSON array`);
  return value.map(String);
}

/** The Kysely implementation. */
export class KyselySupplyChainRepository implements SupplyChainRepository {
  constructor(private readonly db: Db) {}

  async insertRegistry(r: StoredRegistry): Promise<void> {
    await this.db.insertInto('registry').values(toRegistryRow(r)).execute();
  }

  async updateRegistry(r: StoredRegistry): Promise<void> {
    const { id, created_at, created_by, ...changes } = toRegistryRow(r);
    await this.db.updateTable('registry').set(changes).where('id', '=', id).execute();
  }

  async deleteRegistry(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('registry').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async findRegistry(by: 'id' | 'name', value: string): Promise<StoredRegistry | undefined> {
    const row = await this.db.selectFrom('registry').selectAll().where(by, '=', value).executeTakeFirst();
    return row === undefined ? undefined : mapRegistryRow(row);
  }

  async listRegistries(): Promise<StoredRegistry[]> {
    return (await this.db.selectFrom('registry').selectAll().orderBy('name').execute()).map(mapRegistryRow);
  }

  async pageRegistries(request: PageRequest): Promise<Connection<StoredRegistry>> {
    const base = this.db.selectFrom('registry').selectAll();
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'registry.name', type: 'string', value: (r) => r.name }], 'asc', request), mapRegistryRow);
  }

  async registriesUsing(trustServerId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('registry').select('name').where('trust_server_id', '=', trustServerId).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async insertTrustServer(t: StoredTrustServer): Promise<void> {
    await this.db.insertInto('trust_server').values(toTrustServerRow(t)).execute();
  }

  async updateTrustServer(t: StoredTrustServer): Promise<void> {
    const { id, created_at, created_by, ...changes } = toTrustServerRow(t);
    await this.db.updateTable('trust_server').set(changes).where('id', '=', id).execute();
  }

  async deleteTrustServer(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('trust_server').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async findTrustServer(by: 'id' | 'name', value: string): Promise<StoredTrustServer | undefined> {
    const row = await this.db.selectFrom('trust_server').selectAll().where(by, '=', value).executeTakeFirst();
    return row === undefined ? undefined : mapTrustServerRow(row);
  }

  async listTrustServers(): Promise<StoredTrustServer[]> {
    return (await this.db.selectFrom('trust_server').selectAll().orderBy('name').execute()).map(mapTrustServerRow);
  }

  async pageTrustServers(request: PageRequest): Promise<Connection<StoredTrustServer>> {
    const base = this.db.selectFrom('trust_server').selectAll();
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'trust_server.name', type: 'string', value: (r) => r.name }], 'asc', request), mapTrustServerRow);
  }

  async listSigners(): Promise<EnvironmentSigners[]> {
    const rows = await this.db.selectFrom('environment_signer').selectAll().orderBy('environment').orderBy('sort_order').execute();
    const byEnv = new Map<string, EnvironmentSigners>();
    for (const row of rows) {
      let e = byEnv.get(row.environment);
      if (e === undefined) {
        e = { environment: row.environment, signers: [], updatedAt: row.updated_at, updatedBy: row.updated_by };
        byEnv.set(row.environment, e);
      }
      e.signers.push({ role: row.role, ...(row.key_ids_json !== null ? { keyIds: stringList(row.key_ids_json, `signer ${row.environment} ${row.role}`) } : {}) });
    }
    return [...byEnv.values()];
  }

  async replaceSigners(environment: string, signers: readonly AllowedSigner[], at: string, by: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('environment_signer').where('environment', '=', environment).execute();
      if (signers.length === 0) return;
      await trx
        .insertInto('environment_signer')
        .values(signers.map((s, i) => ({ environment, role: s.role, key_ids_json: s.keyIds !== undefined ? JSON.stringify(s.keyIds) : null, sort_order: i, updated_at: at, updated_by: by })))
        .execute();
    });
  }
}
