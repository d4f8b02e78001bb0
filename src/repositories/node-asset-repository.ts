/**
 * Node asset facts in the `node_asset` table: the values as last collected and an assessor's overrides, in
 * separate columns so that recording a collection never touches an override.
 */
import type { AssetFacts } from '../domain/asset.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Db } from './database/database.js';

/** What is stored for a node. */
export interface StoredNodeAsset {
  nodeId: string;
  collected: AssetFacts;
  collectedAt?: string;
  overrides: AssetFacts;
}

export interface NodeAssetRepository {
  get(nodeId: string): Promise<StoredNodeAsset | undefined>;
  /** Replaces the collected values; overrides stay. */
  recordCollected(nodeId: string, collected: AssetFacts, at: string): Promise<void>;
  /** Replaces the overrides; collected values stay. */
  saveOverrides(nodeId: string, overrides: AssetFacts, by: string, at: string): Promise<void>;
}

function parse(text: string | null, what: string): AssetFacts {
  if (text === null) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as AssetFacts;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not valid JSON`, [], { cause: e });
  }
  throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not an object`);
}

/** The Kysely implementation (an upsert through ON CONFLICT, which SQLite and PostgreSQL share). */
export class KyselyNodeAssetRepository implements NodeAssetRepository {
  constructor(private readonly db: Db) {}

  async get(nodeId: string): Promise<StoredNodeAsset | undefined> {
    const row = await this.db.selectFrom('node_asset').selectAll().where('node_id', '=', nodeId).executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      nodeId,
      collected: parse(row.collected_json, `collected asset facts of node ${nodeId}`),
      ...(row.collected_at !== null ? { collectedAt: row.collected_at } : {}),
      overrides: parse(row.override_json, `asset overrides of node ${nodeId}`),
    };
  }

  async recordCollected(nodeId: string, collected: AssetFacts, at: string): Promise<void> {
    const json = JSON.stringify(collected);
    await this.db
      .insertInto('node_asset')
      .values({ node_id: nodeId, collected_json: json, collected_at: at, override_json: null, override_by: null, override_at: null })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ collected_json: json, collected_at: at }))
      .execute();
  }

  async saveOverrides(nodeId: string, overrides: AssetFacts, by: string, at: string): Promise<void> {
    const json = Object.keys(overrides).length > 0 ? JSON.stringify(overrides) : null;
    await this.db
      .insertInto('node_asset')
      .values({ node_id: nodeId, collected_json: null, collected_at: null, override_json: json, override_by: by, override_at: at })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ override_json: json, override_by: by, override_at: at }))
      .execute();
  }
}
