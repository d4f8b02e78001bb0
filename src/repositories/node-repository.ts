/**
 * Registered Docker nodes in the `node` table: rows in, domain DockerNodes out, through explicit
 * map functions. Removal is a soft delete (`removed_at`): lookups and lists see present nodes only, unless
 * asked by id for history; a removed node's name is free for a new node.
 */
import { nodeVisibleTo } from './database/environment-filter.js';
import type { Selectable } from './database/kysely.js';
import type { DockerNode, NodeTls } from '../domain/node.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { NodeTable } from './database/tables.js';

export type NodeRow = Selectable<NodeTable>;

/** Storage of nodes. Names unique among present nodes are enforced by the table; unique endpoints by the service. */
export interface NodeRepository {
  insert(node: DockerNode): Promise<void>;
  /** Present nodes, by name. */
  list(): Promise<DockerNode[]>;
  /** A page of present nodes in name order (names are unique among them). */
  page(request: PageRequest, filter?: { environments?: readonly string[] }): Promise<Connection<DockerNode>>;
  /** A present node; with `includeRemoved`, a removed one too. */
  findById(id: string, options?: { includeRemoved?: boolean }): Promise<DockerNode | undefined>;
  findByName(name: string): Promise<DockerNode | undefined>;
  findByEndpoint(endpoint: string): Promise<DockerNode | undefined>;
  /** Marks a present node removed at `at`; returns whether one was. */
  markRemoved(id: string, at: string): Promise<boolean>;
  /** Replaces a node's TLS material (legacy file paths by sealed content). */
  updateTls(id: string, tls: NodeTls): Promise<void>;
}

/** Row → domain. */
export function mapNodeRow(row: NodeRow): DockerNode {
  const node: DockerNode = {
    id: row.id,
    name: row.name,
    endpoint: row.endpoint,
    labels: parseLabels(row.labels_json, row.id),
    createdAt: row.created_at,
  };
  if (row.tls_ca_pem !== null && row.tls_cert_pem !== null && row.tls_key_sealed !== null) {
    node.tls = { kind: 'sealed', caPem: row.tls_ca_pem, certPem: row.tls_cert_pem, keySealed: row.tls_key_sealed };
  } else if (row.tls_ca_path !== null && row.tls_cert_path !== null && row.tls_key_path !== null) {
    node.tls = { kind: 'legacy-files', caPath: row.tls_ca_path, certPath: row.tls_cert_path, keyPath: row.tls_key_path };
  }
  if (row.environment !== null) node.environment = row.environment;
  if (row.platform_container_pattern !== null) node.platformContainerPattern = row.platform_container_pattern;
  if (row.removed_at !== null) node.removedAt = row.removed_at;
  return node;
}

/** Domain → row. */
export function toNodeRow(node: DockerNode): NodeRow {
  return {
    id: node.id,
    name: node.name,
    endpoint: node.endpoint,
    ...tlsColumns(node.tls),
    labels_json: JSON.stringify(node.labels),
    environment: node.environment ?? null,
    platform_container_pattern: node.platformContainerPattern ?? null,
    created_at: node.createdAt,
    removed_at: node.removedAt ?? null,
  };
}

/** The TLS columns of a node: PEM content and the sealed key, or (legacy) the three paths. */
function tlsColumns(tls: NodeTls | undefined): Pick<NodeRow, 'tls_ca_path' | 'tls_cert_path' | 'tls_key_path' | 'tls_ca_pem' | 'tls_cert_pem' | 'tls_key_sealed'> {
  const none = { tls_ca_path: null, tls_cert_path: null, tls_key_path: null, tls_ca_pem: null, tls_cert_pem: null, tls_key_sealed: null };
  if (tls === undefined) return none;
  if (tls.kind === 'sealed') return { ...none, tls_ca_pem: tls.caPem, tls_cert_pem: tls.certPem, tls_key_sealed: tls.keySealed };
  return { ...none, tls_ca_path: tls.caPath, tls_cert_path: tls.certPath, tls_key_path: tls.keyPath };
}

function parseLabels(json: string, id: string): Record<string, string> {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`node ${id}: labels_json is not an object`);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) labels[k] = String(v);
  return labels;
}

/** The Kysely implementation. */
export class KyselyNodeRepository implements NodeRepository {
  constructor(private readonly db: Db) {}

  async insert(node: DockerNode): Promise<void> {
    await this.db.insertInto('node').values(toNodeRow(node)).execute();
  }

  async list(): Promise<DockerNode[]> {
    const rows = await this.db.selectFrom('node').selectAll().where('removed_at', 'is', null).orderBy('name').execute();
    return rows.map(mapNodeRow);
  }

  /** Present nodes by name; with `environments`, only those a caller limited to them sees (totals too). */
  async page(request: PageRequest, filter: { environments?: readonly string[] } = {}): Promise<Connection<DockerNode>> {
    let base = this.db.selectFrom('node').selectAll().where('removed_at', 'is', null);
    const scope = filter.environments;
    if (scope !== undefined) base = base.where((eb) => nodeVisibleTo(eb, 'node.environment', scope));
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'node.name', type: 'string', value: (r) => r.name }], 'asc', request), mapNodeRow);
  }

  async findById(id: string, options: { includeRemoved?: boolean } = {}): Promise<DockerNode | undefined> {
    if (options.includeRemoved !== true) return this.findOne('id', id);
    const row = await this.db.selectFrom('node').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapNodeRow(row);
  }

  findByName(name: string): Promise<DockerNode | undefined> {
    return this.findOne('name', name);
  }

  findByEndpoint(endpoint: string): Promise<DockerNode | undefined> {
    return this.findOne('endpoint', endpoint);
  }

  async markRemoved(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('node').set({ removed_at: at }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async updateTls(id: string, tls: NodeTls): Promise<void> {
    await this.db.updateTable('node').set(tlsColumns(tls)).where('id', '=', id).execute();
  }

  private async findOne(column: 'id' | 'name' | 'endpoint', value: string): Promise<DockerNode | undefined> {
    const row = await this.db.selectFrom('node').selectAll().where(column, '=', value).where('removed_at', 'is', null).orderBy('created_at').executeTakeFirst();
    return row === undefined ? undefined : mapNodeRow(row);
  }
}
