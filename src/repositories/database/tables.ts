import type { Generated } from './kysely.js';
import type { MonitoringTables } from './tables-monitoring.js';
import type { SupplyChainTables } from './tables-supply-chain.js';

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
  /** Direct SP 800-53 references as JSON `[{control, revision?}]` (null for rules stored before migration 0020). */
  sp80053_json: string | null;
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
  /** What its reports need beyond its rows (migration 0017): AssessmentReportContext as JSON. */
  report_context_json: string | null;
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
  /** The accepted manual review that answered this node-level row (migration 0012). */
  attested_by: string | null;
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

/** A stored document's text in ordered parts (migration 0024). */
export interface DocumentPartTable {
  assessment_id: string;
  /** Which document of the assessment (`assessment-results`). */
  document: string;
  seq: number;
  text: string;
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
  /** RuleReviewMarks as JSON (attestation, review notes), or null when none (migration 0012). */
  review_json: string | null;
  /** The benchmark the result belongs to; null on rows before migration 0020 (the run's one benchmark). */
  benchmark_document_id: string | null;
}

/** The benchmarks one assessment assessed, in request order (migration 0020). */
export interface AssessmentBenchmarkTable {
  assessment_id: string;
  position: number;
  benchmark_document_id: string;
  profile_id: string | null;
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
  /** JSON array of environment names the token is narrowed to (migration 0018); NULL: its user's scope. */
  environments_json: string | null;
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
  /** JSON array of environment names the user is limited to (migration 0018); NULL: every environment. */
  environments_json: string | null;
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
  /** ExemptionKind (migration 0012; older rows are `risk-accepted`). */
  kind: string;
  /** 1: the whole failed rule on the matching nodes (migration 0012). */
  all_targets: number;
}

/** A manual review (migration 0012); `state` is the stored lifecycle (expiry is computed from expires_at). */
export interface ManualReviewTable {
  id: string;
  benchmark_id: string;
  stig_id: string;
  check_content_hash: string;
  rule_id: string;
  release: string | null;
  scope_kind: string;
  scope_node_id: string | null;
  scope_node_name: string | null;
  scope_labels_json: string | null;
  result: string;
  statement: string;
  evidence_json: string;
  expiry_kind: string;
  expiry_value: string;
  origin: string;
  created_by_user: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  state: string;
  submitted_by_user: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  /** The accepter or rejecter. */
  decided_by_user: string | null;
  decided_by: string | null;
  decided_at: string | null;
  expires_at: string | null;
  /** Reason of a rejection. */
  reason: string | null;
}

/** Review evidence file bytes by content hash (migration 0012). */
export interface ReviewEvidenceFileTable {
  sha256: string;
  size: number;
  /** Base64. */
  body: string;
  created_at: string;
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

/** A remediation plan (migration 0015); `decided_*` is the approval, or the rejection of a rejected plan. */
export interface RemediationPlanTable {
  id: string;
  assessment_id: string;
  status: string;
  proposed_by: string;
  proposed_by_user_id: string;
  proposed_at: string;
  note: string | null;
  settings_json: string;
  rules_json: string;
  engine_items: number;
  manual_items: number;
  exempted_failures: number;
  decided_by: string | null;
  decided_by_user_id: string | null;
  decided_at: string | null;
  reason: string | null;
  stale_by: string | null;
  stale_by_user_id: string | null;
  stale_at: string | null;
  stale_reasons_json: string | null;
  applied_by: string | null;
  applied_by_user_id: string | null;
  apply_started_at: string | null;
  apply_finished_at: string | null;
  runner: string | null;
  reassessment_id: string | null;
  outcome_message: string | null;
}

/** One item of a remediation plan: a failing target and its engine change or manual step (action_json). */
export interface RemediationItemTable {
  plan_id: string;
  position: number;
  node_id: string;
  node_name: string;
  stig_id: string;
  rule_id: string;
  severity: string;
  target_kind: string;
  target_key: string;
  target_id: string;
  target_name: string;
  target_image: string | null;
  mode: string;
  evidence_json: string;
  action_json: string;
  verification: string | null;
  verified_status: string | null;
  verification_message: string | null;
  /** When the finding was first observed failing (NULL: proposed before migration 0023). */
  first_observed_at: string | null;
  /** When its remediation is due under the milestone policy (NULL: proposed before migration 0023). */
  due_at: string | null;
}

/** An Engine API call made while applying a plan, with its classified answer (never a remote body). */
export interface RemediationCallTable {
  id: Generated<number>;
  plan_id: string;
  position: number;
  node_id: string;
  method: string;
  path: string;
  request_json: string;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  http_status: number | null;
  error_code: string | null;
  note: string | null;
}

/** A secret a plan produced (a swarm unlock key), sealed until its one reading; then `sealed_value` is NULL. */
export interface RemediationSecretTable {
  plan_id: string;
  position: number;
  purpose: string;
  sealed_value: string | null;
  created_at: string;
  revealed_at: string | null;
  revealed_by: string | null;
}

/** Content staged by `POST /uploads` for a later mutation of the same person (migration 0007). */
export interface UploadTable {
  id: string;
  name: string;
  size: number;
  sha256: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  sealed: number;
  body: string;
}

/** The assessment pinned as the reference run of a node and benchmark (migration 0014). */
export interface ReferenceRunTable {
  node_id: string;
  /** The XCCDF benchmark id (any release). */
  benchmark_id: string;
  assessment_id: string;
  pinned_by: string;
  pinned_by_user_id: string | null;
  pinned_at: string;
  note: string | null;
}

/** One node of a completed run compared with its previous or reference run (migration 0014). */
export interface DriftReportTable {
  id: string;
  assessment_id: string;
  node_id: string;
  node_name: string;
  benchmark_id: string;
  /** previous, reference. */
  comparison: string;
  compared_assessment_id: string | null;
  /** compared, first-run, not-collected, failed. */
  state: string;
  message: string | null;
  counts_json: string;
  max_severity: string | null;
  computed_at: string;
}

/** One change of a drift report: the change as JSON, and the columns filters use (migration 0014). */
export interface DriftChangeTable {
  id: Generated<number>;
  report_id: string;
  kind: string;
  node_id: string;
  stig_id: string | null;
  severity: string | null;
  target_kind: string | null;
  target_key: string | null;
  field: string | null;
  change_json: string;
}

/** A node's posture after a run: rule results by status, failures open and exempted by severity (migration 0014). */
export interface NodePostureTable {
  assessment_id: string;
  node_id: string;
  benchmark_id: string;
  finished_at: string;
  pass: number;
  fail: number;
  error: number;
  not_applicable: number;
  not_checked: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_unknown: number;
  exempted_high: number;
  exempted_medium: number;
  exempted_low: number;
  exempted_unknown: number;
}

/** A target failing a rule, from the run that saw it fail to the run it was remediated or closed (migration 0014). */
export interface FindingEpisodeTable {
  id: Generated<number>;
  node_id: string;
  benchmark_id: string;
  target_kind: string;
  target_key: string;
  target_name: string;
  stig_id: string;
  severity: string;
  opened_at: string;
  opened_assessment_id: string;
  closed_at: string | null;
  closed_assessment_id: string | null;
  /** remediated, target-gone, not-applicable, rule-removed. */
  close_reason: string | null;
  duration_seconds: number | null;
}

export interface Database extends MonitoringTables, SupplyChainTables {
  document: DocumentTable;
  catalog_group: CatalogGroupTable;
  catalog_control: CatalogControlTable;
  benchmark_rule: BenchmarkRuleTable;
  cci_item: CciItemTable;
  node: NodeTable;
  assessment: AssessmentTable;
  facts_snapshot: FactsSnapshotTable;
  document_part: DocumentPartTable;
  installation_secret: InstallationSecretTable;
  rule_result: RuleResultTable;
  assessment_benchmark: AssessmentBenchmarkTable;
  assessment_node: AssessmentNodeTable;
  target_result: TargetResultTable;
  node_asset: NodeAssetTable;
  api_token: ApiTokenTable;
  app_user: AppUserTable;
  audit_log: AuditLogTable;
  exemption: ExemptionTable;
  manual_review: ManualReviewTable;
  review_evidence_file: ReviewEvidenceFileTable;
  baseline: BaselineTable;
  upload: UploadTable;
  control_fts: ControlFtsTable;
  rule_fts: RuleFtsTable;
  reference_run: ReferenceRunTable;
  drift_report: DriftReportTable;
  drift_change: DriftChangeTable;
  node_posture: NodePostureTable;
  finding_episode: FindingEpisodeTable;
  remediation_plan: RemediationPlanTable;
  remediation_item: RemediationItemTable;
  remediation_call: RemediationCallTable;
  remediation_secret: RemediationSecretTable;
}
