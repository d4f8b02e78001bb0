/** Rows of registered registries, trust servers and environment signers (migration 0016). */

export interface TrustServerTable {
  id: string;
  name: string;
  url: string;
  ca_pem: string | null;
  /** `{username, password}` as JSON, sealed with PLIMSOLL_SECRET_KEY (purpose `trust-server-credentials`). */
  credentials_sealed: string | null;
  credentials_updated_at: string | null;
  /** GUN pattern → key ids. */
  pinned_root_keys_json: string;
  created_at: string;
  /** The registering user's name. */
  created_by: string;
  updated_at: string;
}

export interface RegistryTable {
  id: string;
  name: string;
  environment: string;
  host: string;
  url: string;
  ca_pem: string | null;
  /** `{username, password}` as JSON, sealed with PLIMSOLL_SECRET_KEY (purpose `registry-credentials`). */
  credentials_sealed: string | null;
  credentials_updated_at: string | null;
  trust_server_id: string | null;
  /** A JSON list of repository names and `prefix/*` patterns; null: the whole catalog. */
  repositories_json: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface EnvironmentSignerTable {
  environment: string;
  role: string;
  /** A JSON list of key ids; null: any key of the role. */
  key_ids_json: string | null;
  sort_order: number;
  updated_at: string;
  updated_by: string;
}

export interface SupplyChainTables {
  trust_server: TrustServerTable;
  registry: RegistryTable;
  environment_signer: EnvironmentSignerTable;
}
