/**
 * Registered Docker nodes in the `node` table: rows in, domain DockerNodes out, through explicit
 * map functions.
 */
import type { Selectable } from 'kysely';
import type { DockerNode } from '../domain/node.js';
import { mapNodes, type Connection, type PageRequest } from '../domain/paging.js';
import type { Db } from './database/database.js';
import { countOf, keysetPage } from './database/keyset.js';
import type { NodeTable } from './database/tables.js';

export type NodeRow = Selectable<NodeTable>;

/** Storage of nodes. Unique names are enforced by the table; unique endpoints by the service. */
export interface NodeRepository {
  insert(node: DockerNode): Promise<void>;
  list(): Promise<DockerNode[]>;
  /** A page of nodes in name order (names are unique). */
  page(request: PageRequest): Promise<Connection<DockerNode>>;
  findById(id: string): Promise<DockerNode | undefined>;
  findByName(name: string): Promise<DockerNode | undefined>;
  findByEndpoint(endpoint: string): Promise<DockerNode | undefined>;
  /** Deletes by id; returns whether a row was deleted. */
  delete(id: string): Promise<boolean>;
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
  if (row.tls_ca_path !== null && row.tls_cert_path !== null && row.tls_key_path !== null) {
    node.tls = { caPath: row.tls_ca_path, certPath: row.tls_cert_path, keyPath: row.tls_key_path };
  }
  if (row.environment !== null) node.environment = row.environment;
  if (row.platform_container_pattern !== null) node.platformContainerPattern = row.platform_container_pattern;
  return node;
}

/** Domain → row. */
export function toNodeRow(node: DockerNode): NodeRow {
  return {
    id: node.id,
    name: node.name,
    endpoint: node.endpoint,
    tls_ca_path: node.tls?.caPath ?? null,
    tls_cert_path: node.tls?.certPath ?? null,
    tls_key_path: node.tls?.keyPath ?? null,
    labels_json: JSON.stringify(node.labels),
    environment: node.environment ?? null,
    platform_container_pattern: node.platformContainerPattern ?? null,
    created_at: node.createdAt,
  };
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
    const rows = await this.db.selectFrom('node').selectAll().orderBy('name').execute();
    return rows.map(mapNodeRow);
  }

  async page(request: PageRequest): Promise<Connection<DockerNode>> {
    const base = this.db.selectFrom('node').selectAll();
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'node.name', type: 'string', value: (r) => r.name }], 'asc', request), mapNodeRow);
  }

  findById(id: string): Promise<DockerNode | undefined> {
    return this.findOne('id', id);
  }

  findByName(name: string): Promise<DockerNode | undefined> {
    return this.findOne('name', name);
  }

  findByEndpoint(endpoint: string): Promise<DockerNode | undefined> {
    return this.findOne('endpoint', endpoint);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('node').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  private async findOne(column: 'id' | 'name' | 'endpoint', value: string): Promise<DockerNode | undefined> {
    const row = await this.db.selectFrom('node').selectAll().where(column, '=', value).orderBy('created_at').executeTakeFirst();
    return row === undefined ? undefined : mapNodeRow(row);
  }
}
