import type { Generated } from 'kysely';

/**
 * Database rows (the first of three shapes per concept: row, domain type, GraphQL type).
 * JSON columns hold text; repositories map rows to domain types explicitly.
 */

/** One imported content document (catalog, benchmark, CCI list); immutable once stored. */
export interface DocumentTable {
  id: string;
  kind: string;
  /** OSCAL uuid, XCCDF benchmark id, or "cci-list". */
  doc_id: string;
  title: string;
  version: string;
  release: string | null;
  release_date: string | null;
  oscal_version: string | null;
  source_file: string;
  sha256: string;
  counts_json: string;
  /** Extra metadata (profiles of a benchmark…) as JSON. */
  meta_json: string;
  /** The whole OSCAL JSON model of a catalog or profile (NULL for other kinds and for rows imported before 0008). */
  oscal_json?: string | null;
  imported_at: string;
  imported_by: string;
}

export interface CatalogGroupTable {
  document_id: string;
  group_id: string;
  parent_group_id: string | null;
  title: string;
  class: string | null;
  sort_order: number;
  body_json: string;
}

export interface CatalogControlTable {
  document_id: string;
  control_id: string;
  /** Enclosing control for enhancements, else null. */
  parent_control_id: string | null;
  group_id: string | null;
  title: string;
  class: string | null;
  sort_order: number;
  /** params, props, links and parts as JSON (enhancements are rows of their own). */
  body_json: string;
}

export interface BenchmarkRuleTable {
  document_id: string;
  rule_id: string;
  group_id: string;
  stig_id: string;
  title: string;
  severity: string;
  weight: number | null;
  discussion: string;
  check_content: string;
  check_content_hash: string;
  fix_text: string;
  ccis_json: string;
  legacy_ids_json: string;
  sort_order: number;
  /** The rule's group title (null for rules stored before migration 0019). */
  group_title: string | null;
}

export interface CciItemTable {
  document_id: string;
  cci_id: string;
  definition: string;
  type: string | null;
  status: string | null;
  references_json: string;
}

export interface NodeTable {
  id: string;
  name: string;
  endpoint: string;
  tls_ca_path: string | null;
  tls_cert_path: string | null;
  tls_key_path: string | null;
  labels_json: string;
  /** PEM content (migration 0007); the `_path` columns only remain for nodes registered before it. */
  tls_ca_pem: string | null;
  tls_cert_pem: string | null;
  /** The client private key, sealed with PLIMSOLL_SECRET_KEY (repositories/secret-box.ts). */
  tls_key_sealed: string | null;
  environment: string | null;
  /** The node's platform container pattern; null: each rule's STIG pattern (migration 0005). */
  platform_container_pattern: string | null;
  created_at: string;
  /** Set when the node was removed (soft delete, migration 0009): hidden from lists, kept for old assessments. */
  removed_at: string | null;
}

export interface AssessmentTable {
  id: string;
  status: string;
  benchmark_document_id: string;
  profile_id: string | null;
  node_ids_json: string;
  started_at: string;
  finished_at: string | null;
  started_by: string;
  error: string | null;
  summary_json: string | null;
  /** The OSCAL assessment-results document as written, once completed. */
  results_document_json: string | null;
  /** Process id and host of the runner, to mark runs of dead processes interrupted. */
  runner: string | null;
  /** The OSCAL assessment plan stored with the results (migration 0009). */
  plan_document_json: string | null;
}

/** A node of an assessment and how its collection went (migration 0009). */
export interface AssessmentNodeTable {
  assessment_id: string;
  node_id: string;
  /** Order of the nodes in the request. */
  position: number;
  /** The node's name and endpoint at the run (the node may be renamed or removed later). */
  node_name: string;
  endpoint: string;
  /** pending, collected, failed, interrupted. */
  status: string;
  /** For failed nodes: unreachable, tls, engine-error, internal, unknown. */
  failure_reason: string | null;
  message: string | null;
  collected_at: string | null;
  facts_sha256: string | null;
  /** The node's effective asset facts at the run (AssetFacts as JSON). */
  asset_json: string | null;
}

/** One rule's verdict on one target of one node (migration 0009). */
export interface TargetResultTable {
  id: Generated<number>;
  assessment_id: string;
  node_id: string;
  rule_id: string;
  stig_id: string;
  check_content_hash: string;
  severity: string;
  target_kind: string;
  /** The stable key (domain/target-results.ts). */
  target_key: string;
  /** The target's id in that run (container id). */
  target_id: string;
  target_name: string;
  target_image: string | null;
  status: string;
  message: string;
  observations_json: string;
  exempted_by: string | null;
  collected_at: string;
}

/** A node's asset facts: as last collected and as an assessor overrode them (migration 0009). */
export interface NodeAssetTable {
  node_id: string;
  collected_json: string | null;
  collected_at: string | null;
  override_json: string | null;
  override_by: string | null;
  override_at: string | null;
}

export interface FactsSnapshotTable {
  id: string;
  assessment_id: string;
  node_id: string;
  collected_at: string;
  sha256: string;
  facts_json: string;
}

export interface RuleResultTable {
  id: Generated<number>;
  assessment_id: string;
  node_id: string;
  stig_id: string;
  rule_id: string;
  group_id: string;
  check_content_hash: string;
  title: string;
  severity: string;
  status: string;
  message: string;
  observations_json: string;
  control_ids_json: string;
  ccis_json: string;
  fix_text: string;
  /** `{ exemption?, expiredExemptions? }` of the result, or null when neither (migration 0002). */
  exemption_json: string | null;
  /** STIG fix text plus a concrete command, for failures. */
  remediation: string | null;
  /** RuleAutomation as JSON: which check text the automation was written against, and whether it is stale. */
  automation_json: string | null;
}

export interface ApiTokenTable {
  id: string;
  /** A label; tokens from createApiToken (name, role) carry their user's name. */
  name: string;
  /** The token's role ceiling (the principal's role is the lower of this and the user's). */
  role: string;
  /** sha256 of the secret; the secret itself is never stored. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** The user the token belongs to (migration 0006; set on every row since). */
  user_id: string | null;
}

/** A user: a person, or Plimsoll's system user (migration 0006). */
export interface AppUserTable {
  id: string;
  name: string;
  /** userNameKey(name): unique, so names are unique case-insensitively. */
  name_key: string;
  role: string;
  kind: string;
  origin: string;
  created_at: string;
  created_by: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

/** The audit log, a hash chain since migration 0006: ids are consecutive, each row holds the previous row's hash. */
export interface AuditLogTable {
  id: number;
  at: string;
  actor: string;
  actor_user_id: string | null;
  /** Null for anonymous callers. */
  role: string | null;
  via: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** An exemption; `status` is the stored lifecycle (expiry is computed from expires_at). */
export interface ExemptionTable {
  id: string;
  name: string;
  /** STIG id or '*'. */
  rule: string;
  container_pattern: string | null;
  labels_json: string;
  node_ref: string | null;
  justification: string;
  requested_by: string;
  requested_by_token: string;
  /** The requester's user (migration 0006); null only for rows no user could be found for. */
  requested_by_user: string | null;
  requested_at: string;
  expires_at: string;
  status: string;
  approved_by: string | null;
  approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  revoked_by: string | null;
  revoked_at: string | null;
  /** Reason of a rejection or revocation. */
  reason: string | null;
}

/** A stored profile's resolution (migration 0003); its controls are catalog rows under `document_id`. */
export interface BaselineTable {
  document_id: string;
  profile_uuid: string;
  catalog_uuid: string;
  resolved_at: string;
  control_count: number;
  /** Where each import was loaded from, as a JSON array of strings. */
  sources_json: string;
  warnings_json: string;
  /** The resolved catalog as OSCAL JSON (with back matter and loose parameters the rows leave out). */
  catalog_json: string;
}

/** FTS5 index of catalog controls (rowid = catalog_control.rowid), filled by triggers. */
export interface ControlFtsTable {
  rowid: number;
  document_id: string;
  control_id: string;
  title: string;
  body: string;
}

/** FTS5 index of benchmark rules (rowid = benchmark_rule.rowid), filled by triggers. */
export interface RuleFtsTable {
  rowid: number;
  document_id: string;
  stig_id: string;
  rule_id: string;
  title: string;
  body: string;
}

/** Secrets of this installation that live with its data (migration 0005): e.g. the generated environment hash salt. */
export interface InstallationSecretTable {
  name: string;
  value: string;
  created_at: string;
}

/** Content staged by `POST /uploads` for a later mutation of the same person (migration 0007). */
export interface UploadTable {
  id: string;
  /** Display name (a base name), never a path. */
  name: string;
  size: number;
  sha256: string;
  /** The uploader's user id (app_user.id): only they can use the upload. */
  created_by: string;
  created_at: string;
  expires_at: string;
  /** 1 when `body` is sealed with PLIMSOLL_SECRET_KEY, 0 when it is base64. */
  sealed: number;
  body: string;
}

export interface Database {
  document: DocumentTable;
  catalog_group: CatalogGroupTable;
  catalog_control: CatalogControlTable;
  benchmark_rule: BenchmarkRuleTable;
  cci_item: CciItemTable;
  node: NodeTable;
  assessment: AssessmentTable;
  facts_snapshot: FactsSnapshotTable;
  installation_secret: InstallationSecretTable;
  rule_result: RuleResultTable;
  assessment_node: AssessmentNodeTable;
  target_result: TargetResultTable;
  node_asset: NodeAssetTable;
  api_token: ApiTokenTable;
  app_user: AppUserTable;
  audit_log: AuditLogTable;
  exemption: ExemptionTable;
  baseline: BaselineTable;
  upload: UploadTable;
  control_fts: ControlFtsTable;
  rule_fts: RuleFtsTable;
}
