/**
 * The use-case services that transports (GraphQL resolvers, CLI commands, jobs) call. Each is
 * implemented in its module (library/, assessment/, …) and wired in src/main.ts. Transports depend
 * on these interfaces only, so each resolver or command is one call plus mapping.
 */
import type { PublicSigningKey, RenderedReport, ReportFormatInfo, ReportListing } from './report.js';
import type { AssessedNode, Assessment, AssessmentWithResults } from './assessment.js';
import type { AssetFacts, AssetOverrideInput, NodeAsset } from './asset.js';
import type { ApiToken, AuditEntry, AuditRecord, Principal, Role, User } from './auth.js';
import type { ChainVerification } from './audit-chain.js';
import type {
  BenchmarkProfile,
  BenchmarkRule,
  CciItem,
  DocumentKind,
  ImportSummary,
  OscalControl,
  OscalParam,
  OscalPart,
} from './content.js';
import type { ContentFile, ContentInput, RelatedContent } from './content-input.js';
import type { Download } from './download.js';
import type { ChecklistSkip } from './checklist.js';
import type { Problem } from './errors.js';
import type { Upload, UploadBody } from './upload.js';
import type {
  AssessmentComparison,
  AssessmentRef,
  DriftChangeFilter,
  DriftReport,
  DriftReportFilter,
  ReferenceRun,
  ReportWithChanges,
  StoredDriftChange,
} from './drift.js';
import type { Exemption, ExemptionRequest, ExemptionStatus, ExemptionView } from './exemption.js';
import type { PosturePoint, PostureQuery, PostureSeries, PostureSummary } from './history.js';
import type { Baseline, BaselineCoverage, BenchmarkDiff, ControlSearch, CursorPage, RuleEvidence, RuleSearch } from './library.js';
import type { NodeFacts } from './facts.js';
import type { DockerNode, NodeInput } from './node.js';
import type { NotificationService, ScheduleService, WebhookService } from './monitoring-services.js';
import type { Connection, PageRequest } from './paging.js';
import type {
  ApplyReport,
  EngineCallRecord,
  RemediationItem,
  RemediationPlan,
  RemediationPlanFilter,
  RemediationProposal,
  RevealedUnlockKey,
} from './remediation.js';
import type { RuleResult, RuleStatus, Severity } from './results.js';
import type { ImportedReviewInput, ManualReview, ManualReviewView, ReviewDraftChanges, ReviewDraftInput, ReviewStatus } from './review.js';
import type { StoredTargetResult, TargetQuery, TargetResultFilter } from './target-results.js';
import type { SupplyChainService } from './supply-chain-registry.js';

/** A stored content document, without its body. */
export interface StoredDocument {
  documentId: string;
  kind: DocumentKind;
  id: string;
  title: string;
  version: string;
  release?: string;
  releaseDate?: string;
  oscalVersion?: string;
  sourceFile: string;
  sha256: string;
  counts: Record<string, number>;
  importedAt: string;
  importedBy: string;
}

export interface StoredBenchmark extends StoredDocument {
  kind: 'benchmark';
  profiles: BenchmarkProfile[];
}

/** A catalog group without nested content. */
export interface StoredGroup {
  documentId: string;
  id: string;
  parentGroupId?: string;
  title: string;
  class?: string;
  params: OscalParam[];
  parts: OscalPart[];
}

/** A control or enhancement as stored: its own body plus its position. */
export interface StoredControl {
  documentId: string;
  id: string;
  parentControlId?: string;
  groupId?: string;
  title: string;
  class?: string;
  params: OscalParam[];
  parts: OscalPart[];
  props: OscalControl['props'];
  links: OscalControl['links'];
  /** Ids of enhancements nested directly under this control. */
  enhancementIds: string[];
}

/** A rule as stored in a benchmark document. */
export interface StoredRule extends BenchmarkRule {
  documentId: string;
}

/**
 * A reference from a rule (through a CCI) to an SP 800-53 control statement in a loaded catalog.
 * `statementId` is the part id (`cm-6_smt.b`) or the control id when the reference is the whole control.
 */
export interface ControlMapping {
  cci: string;
  /** The index as the CCI list writes it ("CM-6 b"). */
  index: string;
  revision: '4' | '5';
  controlId: string;
  statementId: string;
  /** The catalog the id was resolved against; undefined when no catalog holds it. */
  catalogDocumentId?: string;
  resolved: boolean;
  /** Set when the rev4 control was withdrawn and the mapping followed its link (moved-to, incorporated-into). */
  via?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Which rule results of a run to list; every field narrows. */
export interface RuleResultFilter {
  status?: RuleStatus;
  severity?: Severity;
  /** Results of one node (its id). */
  nodeId?: string;
  stigId?: string;
}

/**
 * Narrows a list to what a caller limited to these environments sees, in the database (totals count only
 * that). The service gateway sets it from the caller's scope; undefined: every environment.
 */
export interface EnvironmentFilter {
  environments?: readonly string[];
}

export interface ListOptions {
  offset?: number;
  limit?: number;
}

/** Import of content documents: all files succeed or nothing is stored. */
export interface ImportService {
  /**
   * Imports uploaded or given documents; with `kinds`, a document of another kind is refused (CONTENT_UNKNOWN_KIND)
   * before anything is stored. A profile's imports come from the batch, `related`, or the library.
   */
  importDocuments(inputs: readonly ContentInput[], actor: Principal, options?: ImportOptions): Promise<ImportSummary[]>;
}

/** Browsing the content library. */
export interface LibraryService {
  listDocuments(kind?: DocumentKind): Promise<StoredDocument[]>;
  /** A page of documents (of one kind), oldest import first. */
  pageDocuments(kind: DocumentKind | undefined, page: PageRequest): Promise<Connection<StoredDocument>>;
  /** A page of a catalog's groups directly under `parentGroupId` (top-level when undefined). */
  pageGroups(catalogDocumentId: string, parentGroupId: string | undefined, page: PageRequest): Promise<Connection<StoredGroup>>;
  /** A page of top-level controls (of a group, or of the document), or of the enhancements of a control. */
  pageControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, page: PageRequest): Promise<Connection<StoredControl>>;
  /** A page of a benchmark's rules (of one severity), in document order. */
  pageRules(benchmarkDocumentId: string, filter: { severity?: string }, page: PageRequest): Promise<Connection<StoredRule>>;
  getDocument(documentId: string): Promise<StoredDocument | undefined>;
  /** A benchmark by document id, or by XCCDF benchmark id (latest release wins). */
  findBenchmark(ref: string): Promise<StoredBenchmark | undefined>;
  listGroups(catalogDocumentId: string, parentGroupId?: string): Promise<StoredGroup[]>;
  /** Controls of a group (top-level controls only, enhancements excluded), or enhancements of a control. */
  listControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, page?: ListOptions): Promise<Page<StoredControl>>;
  getControl(catalogDocumentId: string, controlId: string): Promise<StoredControl | undefined>;
  listRules(benchmarkDocumentId: string, filter?: { severity?: string }, page?: ListOptions): Promise<Page<StoredRule>>;
  /** A rule by rule id (SV-…), group id (V-…) or STIG id (DKER-EE-…). */
  getRule(benchmarkDocumentId: string, ref: string): Promise<StoredRule | undefined>;
  getCci(cciId: string): Promise<CciItem | undefined>;
  /** SP 800-53 rev5 statements evidenced by these CCIs, through the latest CCI list and catalogs. */
  mapCcisToControls(ccis: string[]): Promise<ControlMapping[]>;
  /** SP 800-53 rev5 statements named by direct rev5 references (`IA-5(1)`) of rules, resolved against the catalogs; no CCI. */
  mapReferencesToControls(references: string[]): Promise<ControlMapping[]>;
}

export interface ImportOptions {
  kinds?: readonly DocumentKind[];
  /** Where documents a profile imports by relative href are looked up (CLI: beside the profile). */
  related?: RelatedContent;
}

/** Registration of Docker nodes. */
export interface NodeService {
  register(input: NodeInput, actor: Principal): Promise<DockerNode>;
  /** Present nodes (removed ones are hidden). */
  list(): Promise<DockerNode[]>;
  /** A page of present nodes in name order. */
  page(page: PageRequest, filter?: EnvironmentFilter): Promise<Connection<DockerNode>>;
  /** A present node by id, name or endpoint; with `includeRemoved`, a removed node by its id too. */
  find(ref: string, options?: { includeRemoved?: boolean }): Promise<DockerNode | undefined>;
  /** Soft delete: the node leaves lists and lookups, its name is free again, old assessments keep it. */
  remove(ref: string, actor: Principal): Promise<void>;
  /** Checks that the engine answers; throws NODE_UNREACHABLE / NODE_TLS_FAILED otherwise. */
  ping(ref: string): Promise<{ serverVersion: string; apiVersion: string }>;
}

/**
 * A node's asset facts (host name, FQDN, addresses, OS, role) for checklists and OSCAL inventories: collected
 * with provenance at each assessment, overridden by assessors (an override survives later collections).
 */
export interface NodeAssetService {
  /** By node id, name or endpoint (a removed node by id); NOT_FOUND otherwise. */
  get(ref: string): Promise<NodeAsset>;
  /** Sets (a value) or clears (`null`) overrides; BAD_INPUT for malformed values. */
  set(ref: string, input: AssetOverrideInput, actor: Principal): Promise<NodeAsset>;
  /** Records what a collection found; returns the node's effective asset facts (overrides applied). */
  recordCollected(nodeId: string, collected: AssetFacts, at: string): Promise<AssetFacts>;
}

/** Collects one inventory (facts) of a node per run. */
export interface FactsCollector {
  /**
   * `signal`: stop between engine calls once it aborts (a scheduled run past its per-node timeout). `parts`: the
   * optional parts to collect (absent: all); a part left out is absent from the facts, never invented.
   */
  collect(node: DockerNode, options?: { signal?: AbortSignal; parts?: ReadonlySet<string> }): Promise<NodeFacts>;
}

/** One benchmark of an assessment request, with the profile selecting its rules (all rules without one). */
export interface BenchmarkSelection {
  /** Benchmark document id, XCCDF benchmark id or XCCDF 1.2 short name (built-in ones load on first use), or content (imported first). */
  benchmark: string | ContentInput;
  profileId?: string;
}

export interface AssessmentRequest {
  /** Node ids, names or endpoints; an endpoint not registered yet is registered on the fly. */
  nodes: string[];
  /** Benchmark document id, XCCDF benchmark id or XCCDF 1.2 short name, or benchmark content (imported first). */
  benchmark: string | ContentInput;
  profileId?: string;
  /** Further benchmarks assessed in the same run (one collection per node, one set of documents). */
  additionalBenchmarks?: BenchmarkSelection[];
  /** Stops the run (marked failed, TIMED_OUT or the signal's reason) once it aborts: a schedule's per-node timeout. */
  signal?: AbortSignal;
  /**
   * The schedule and job a scheduled run belongs to (named in its events and audit record); `firingId` names the
   * firing, whose runs share one plan (benchmark, rules, mappings).
   */
  origin?: { scheduleId: string; jobId: string; firingId?: string };
}

export interface AssessmentService {
  /**
   * Collects every node, evaluates the rules and stores results, per-target results, the plan and the results
   * documents. A node that can't be collected is `failed` (with a classified reason) and its rules `error`; the
   * run completes with the others. Only when no node can be collected does the run fail (with that error).
   */
  run(request: AssessmentRequest, actor: Principal): Promise<AssessmentWithResults>;
  list(page?: ListOptions, filter?: EnvironmentFilter): Promise<Page<Assessment>>;
  /** A page of runs, newest first. */
  page(page: PageRequest, filter?: EnvironmentFilter): Promise<Connection<Assessment>>;
  /** A page of one run's rule results, in evaluation order. */
  results(assessmentId: string, filter: RuleResultFilter, page: PageRequest): Promise<Connection<RuleResult>>;
  get(id: string): Promise<AssessmentWithResults | undefined>;
  /** The OSCAL assessment-results document stored with a completed assessment. */
  resultsDocument(id: string): Promise<unknown | undefined>;
  /**
   * The text of that document as it is downloaded (two-space indentation, final newline), part by part from
   * storage, never held whole; undefined when there is none.
   */
  resultsDocumentText(id: string): Promise<AsyncIterable<string> | undefined>;
  /** The OSCAL assessment plan stored with a completed assessment (the results' import-ap). */
  planDocument(id: string): Promise<unknown | undefined>;
  /** An assessment's nodes with their per-node status, paged in the database (NOT_FOUND for an unknown assessment). */
  assessedNodes(assessmentId: string, page?: PageRequest): Promise<Connection<AssessedNode>>;
  /** An assessment's per-target results, paged in the database (NOT_FOUND for an unknown assessment). */
  targetResults(assessmentId: string, filter: TargetResultFilter, page?: PageRequest): Promise<Connection<StoredTargetResult>>;
  /** A stored per-target result by its id (for refetching); undefined when there is none. */
  targetResult(id: number): Promise<StoredTargetResult | undefined>;
  /** One node of an assessment with its status (for refetching); undefined when there is none. */
  assessedNode(assessmentId: string, nodeId: string): Promise<AssessedNode | undefined>;
  /** One target (node, kind, stable key) across assessments, newest first: what drift compares. */
  targetHistory(target: TargetQuery, page?: PageRequest): Promise<Connection<StoredTargetResult>>;
  /** Marks runs left `running` by dead processes as `interrupted`; returns how many. */
  markInterrupted(): Promise<number>;
}

/** What an admin supplies to create a user. */
export interface CreateUserInput {
  name: string;
  role: Role;
  /** Links the user to this OIDC `sub` of the configured issuer (provisioning ahead of the first sign-in). */
  oidcSubject?: string;
  /** The environments the user is limited to; absent or empty: every environment. */
  environments?: string[];
}

/** A token and its secret, returned once at creation (only the secret's hash is stored). */
export interface CreatedToken {
  token: ApiToken;
  secret: string;
}

/**
 * Users and their API tokens. Creating a user is an admin action recorded with its creator; people mint
 * tokens only for themselves, with a role ceiling no higher than their own; an admin or the owner revokes.
 */
export interface UserService {
  /** The caller's own user. */
  me(actor: Principal): Promise<User>;
  /** Users, oldest first. */
  list(page: PageRequest): Promise<Connection<User>>;
  /** By id or name (case-insensitively). */
  get(ref: string): Promise<User | undefined>;
  /** A user by id, for an admin or the user themself (FORBIDDEN for anyone else, whether or not it exists). */
  getUser(id: string, actor: Principal): Promise<User | undefined>;
  createUser(input: CreateUserInput, actor: Principal): Promise<User>;
  /** A token for the caller, labelled, with an optional role ceiling (default: the caller's role). */
  createOwnToken(input: { label?: string; role?: Role; environments?: string[] }, actor: Principal): Promise<CreatedToken>;
  /**
   * The API's createApiToken({ name, role }): the caller's own name mints a token for the caller; a free name
   * makes an admin create that user (recorded with the admin as creator) with the token; a name held by
   * another user is refused (CONFLICT): nobody mints tokens for another user.
   */
  createToken(name: string, role: Role, actor: Principal, options?: { environments?: string[] }): Promise<CreatedToken & { user: User; userCreated: boolean }>;
  /**
   * Limits a user (by id or name) to environments (empty: every environment again); only an admin who is not
   * limited to environments sets scopes. Tokens keep their own scope: a call's scope is the user's ∩ the token's.
   */
  setEnvironments(ref: string, environments: string[], actor: Principal): Promise<User>;
  /** Tokens, oldest first: admins see everyone's (or one user's), others only their own. */
  listTokens(filter: { user?: string }, page: PageRequest, actor: Principal): Promise<Connection<ApiToken>>;
  /** A token by id, for an admin or its owner (FORBIDDEN for anyone else, whether or not it exists). */
  getToken(id: string, actor: Principal): Promise<ApiToken | undefined>;
  /** By an admin or the token's owner; revoking twice keeps the first time. */
  revokeToken(id: string, actor: Principal): Promise<void>;
  /** Ensures an admin token exists: uses `configured` when given, otherwise creates one when none exists and returns its secret. */
  bootstrapAdmin(configured?: string): Promise<{ createdSecret?: string }>;
}

/** Reading and verifying the audit log. */
export interface AuditService {
  /** Records newest first. */
  list(page: PageRequest): Promise<Connection<AuditRecord>>;
  /** Checks the hash chain; with `head` (noted earlier), also that it is still there unchanged. */
  verify(options?: { head?: { id: number; hash: string } }): Promise<ChainVerification>;
}

/** Writes audit records: the service gateway and the transports use it; it is never handed to callers. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<AuditRecord>;
}

export interface ContentSyncResult {
  name: string;
  file: string;
  path?: string;
  source?: 'cache' | 'mirror' | 'download';
  ok: boolean;
  error?: string;
}

/** The pinned reference content (catalogs/sources.json). */
export interface ContentSyncService {
  /** Fetches every pinned source into the cache (mirror first, then download unless offline), verifying sha256. */
  sync(names?: string[]): Promise<ContentSyncResult[]>;
  /** The cached path of a pinned source, after verification; throws CONTENT_MISSING with instructions otherwise. */
  pathOf(name: string): Promise<string>;
  /** Paths of several sources; one CONTENT_MISSING error names every missing file. */
  pathsOf(names: string[]): Promise<Map<string, string>>;
  /** The pinned sources: name, file, and whether `serve` imports it. */
  listSources(): readonly { name: string; file: string; import: boolean }[];
}

/**
 * Exemptions (risk acceptance) with separation of duties: admins and assessors request, an admin other
 * than the requester approves or rejects (FORBIDDEN_SEPARATION_OF_DUTIES otherwise), an admin or the
 * requester revokes. Views carry the status at the service's clock (`expired` included).
 */
export interface ExemptionService {
  request(input: ExemptionRequest, actor: Principal): Promise<ExemptionView>;
  approve(id: string, actor: Principal): Promise<ExemptionView>;
  reject(id: string, reason: string, actor: Principal): Promise<ExemptionView>;
  revoke(id: string, actor: Principal, reason?: string): Promise<ExemptionView>;
  /** Oldest first; filtered by status when given. */
  list(filter?: { status?: ExemptionStatus }): Promise<ExemptionView[]>;
  /** A page of `list` (oldest first; the status depends on the clock, so the page is cut from the filtered list). */
  page(filter: { status?: ExemptionStatus }, page: PageRequest): Promise<Connection<ExemptionView>>;
  get(id: string): Promise<ExemptionView | undefined>;
  /** Every exemption ever approved (revoked ones excluded, expired ones included): what an assessment applies or reports. */
  listApproved(): Promise<Exemption[]>;
}

/**
 * Remediation plans (correcting drift under approval): proposed from an assessment's failures by one user,
 * approved or rejected by another (separation of duties), applied as a separate action (a dry run unless
 * `dryRun` is false) that records every Engine API call and re-assesses the touched nodes.
 */
export interface RemediationService {
  /** A plan from a completed assessment's open failures (those no approved exemption covers). */
  propose(input: RemediationProposal, actor: Principal): Promise<RemediationPlan>;
  /** By a person other than the proposer (FORBIDDEN_SEPARATION_OF_DUTIES otherwise). */
  approve(planId: string, actor: Principal): Promise<RemediationPlan>;
  reject(planId: string, reason: string, actor: Principal): Promise<RemediationPlan>;
  /**
   * Checks every engine item against its engine and, unless `dryRun` (the default), applies the approved plan,
   * re-assesses the touched nodes and verifies each item. A changed target makes the plan stale (CONFLICT);
   * an unapproved plan is refused (CONFLICT).
   */
  apply(planId: string, options: { dryRun?: boolean }, actor: Principal): Promise<ApplyReport>;
  /** The swarm unlock keys the plan produced, once, to its approver only (then they are gone from Plimsoll). */
  revealUnlockKeys(planId: string, actor: Principal): Promise<RevealedUnlockKey[]>;
  get(planId: string): Promise<RemediationPlan | undefined>;
  /** Newest first. */
  list(filter?: RemediationPlanFilter): Promise<RemediationPlan[]>;
  page(filter: RemediationPlanFilter, page: PageRequest): Promise<Connection<RemediationPlan>>;
  /** A plan's items in position order (NOT_FOUND for an unknown plan). */
  items(planId: string, filter: { mode?: 'engine' | 'manual' }, page?: PageRequest): Promise<Connection<RemediationItem>>;
  listItems(planId: string): Promise<RemediationItem[]>;
  /** The Engine API calls made applying the plan, in order. */
  calls(planId: string, page?: PageRequest): Promise<Connection<EngineCallRecord>>;
  listCalls(planId: string): Promise<EngineCallRecord[]>;
  /** Closes plans left `applying` by a process that died; returns how many. */
  markInterrupted(): Promise<number>;
}

/** A STIG Viewer checklist (CKL or CKLB) to import as manual reviews. */
export interface ChecklistImportRequest {
  /** The checklist: an upload, or bytes the CLI read. */
  file: ContentInput;
  /** The node the reviews are for (id, name or endpoint); default: the checklist's host name. */
  node?: string;
  /** How long the reviews apply once accepted; default a year (P365D). */
  expiry?: { kind: 'period'; period: string } | { kind: 'date'; date: string };
}

/** What a checklist import created, and which entries it left out. */
export interface ChecklistImportOutcome {
  format: 'ckl' | 'cklb';
  node: string;
  /** The benchmark documents (release) the reviews were matched against. */
  benchmarks: { documentId: string; benchmarkId: string; release: string }[];
  reviewIds: string[];
  skipped: ChecklistSkip[];
}

/** Checklists in: each answered rule becomes a review submitted by the importing user (all or nothing). */
export interface ChecklistService {
  importChecklist(req: ChecklistImportRequest, actor: Principal): Promise<ChecklistImportOutcome>;
}

/** Which reviews to list; every field narrows. */
export interface ReviewFilter {
  status?: ReviewStatus;
  stigId?: string;
  /** XCCDF benchmark id. */
  benchmarkId?: string;
}

/** A downloadable evidence file of a review. */
export interface ReviewEvidenceFile {
  name: string;
  mediaType: string;
  sha256: string;
  content: Uint8Array;
}

/**
 * Manual reviews (attestations) with separation of duties: admins and assessors write drafts, edit them
 * (author or admin), submit and withdraw them; an admin other than the submitter accepts or rejects
 * (FORBIDDEN_SEPARATION_OF_DUTIES otherwise). Views carry the status at the service's clock (`expired`).
 */
export interface ReviewService {
  create(input: ReviewDraftInput, actor: Principal): Promise<ManualReviewView>;
  /** Edits a draft (CONFLICT in any other state). */
  update(id: string, changes: ReviewDraftChanges, actor: Principal): Promise<ManualReviewView>;
  submit(id: string, actor: Principal): Promise<ManualReviewView>;
  /** Takes a submitted review back to draft (the submitter or an admin). */
  withdraw(id: string, actor: Principal): Promise<ManualReviewView>;
  accept(id: string, actor: Principal): Promise<ManualReviewView>;
  reject(id: string, reason: string, actor: Principal): Promise<ManualReviewView>;
  /** Oldest first. */
  list(filter?: ReviewFilter): Promise<ManualReviewView[]>;
  page(filter: ReviewFilter, page: PageRequest): Promise<Connection<ManualReviewView>>;
  get(id: string): Promise<ManualReviewView | undefined>;
  /** An evidence file of a review by its sha256 (NOT_FOUND when the review has no such file). */
  evidenceFile(id: string, sha256: string): Promise<ReviewEvidenceFile>;
  /**
   * Checklist import (CKL/CKLB): every review created `submitted` by the importing user, in one transaction
   * (all or nothing; BAD_INPUT / NOT_FOUND naming the entry's index otherwise).
   */
  importReviews(reviews: readonly ImportedReviewInput[], actor: Principal): Promise<ManualReviewView[]>;
  /** Every accepted review, expired ones included: what an assessment applies or reports as expired. */
  listAccepted(): Promise<ManualReview[]>;
  /**
   * What a benchmark release (document id, or XCCDF id for the latest) does to the reviews of its benchmark:
   * carried (same STIG id and check-content hash: they answer it), stale (the check text changed: review
   * again) or removed (the release has no such rule). Rejected reviews are left out.
   */
  carryOver(benchmark: string): Promise<ReviewCarryOver>;
}

/** The reviews of a benchmark, sorted by what a new release does to them. */
export interface ReviewCarryOver {
  benchmarkId: string;
  release?: string;
  carried: ManualReviewView[];
  stale: { review: ManualReviewView; checkContentHash: string; ruleId: string }[];
  removed: ManualReviewView[];
}

/** Resolved baselines: OSCAL profiles resolved (NIST profile resolution) and stored with their controls. */
export interface BaselineService {
  list(): Promise<Baseline[]>;
  /** A page of baselines (those whose resolved catalog holds `selecting`, when given), oldest first. */
  page(filter: { selecting?: string }, page: PageRequest): Promise<Connection<Baseline>>;
  /** By document id or profile uuid (the latest import of that profile). */
  get(ref: string): Promise<Baseline | undefined>;
  /** Imports a profile: resolves it (imports from `imports`, `related` or the library) and stores the baseline. */
  resolveAndStore(profile: ContentInput, actor: Principal, options?: ProfileSources): Promise<Baseline>;
  /** Resolves a profile without storing it: the resolved catalog as OSCAL JSON text, schema-validated. */
  resolveToText(profile: ContentInput, actor: Principal, options?: ProfileSources): Promise<ResolvedProfileText>;
  /** The stored resolved catalog (OSCAL JSON text) of a baseline, by document id or profile uuid. */
  catalogJson(ref: string): Promise<string | undefined>;
  /** Baselines whose resolved catalog holds this control or enhancement. */
  selecting(controlId: string): Promise<Baseline[]>;
}

/** Where a profile's imports come from besides the library. */
export interface ProfileSources {
  /** Documents the profile imports, matched by uuid or file name; used for resolution, not stored. */
  imports?: readonly ContentInput[];
  /** Documents found by relative href (CLI: beside the profile). */
  related?: RelatedContent;
}

export interface ResolvedProfileText {
  catalogJson: string;
  catalogUuid: string;
  controlCount: number;
  warnings: Problem[];
}

/** The formats an OSCAL document converts between. */
export type OscalFormatName = 'json' | 'xml' | 'yaml';

export interface ConvertOptions {
  to: OscalFormatName;
  /** The name the converted document will have (messages and XML/YAML writers use it); default: the input's. */
  outName?: string;
  /** Upgrade the document to this OSCAL version first (only 1.1.2 is supported). */
  oscalVersion?: string;
}

export interface ConvertResult {
  /** The converted document, already read back and validated; the caller decides where it goes. */
  text: string;
  /** The OSCAL model: catalog, profile, assessment-plan, assessment-results, plan-of-action-and-milestones… */
  model: string;
  from: OscalFormatName;
  to: OscalFormatName;
  oscalVersion: string;
  /** The version the document had before an upgrade, when it was upgraded. */
  upgradedFrom?: string;
  /** What the conversion kept or changed that a reader should know (deprecated constructs kept, for instance). */
  notes: string[];
}

/**
 * OSCAL documents converted between JSON, XML and YAML, losslessly, validated on the way in and out. Content
 * in, text out: the service reads and writes no file (the CLI reads the user's file and writes their --out).
 */
export interface ConvertService {
  convert(input: ContentFile, options: ConvertOptions): Promise<ConvertResult>;
}

/** Differences between two benchmark releases. */
export interface BenchmarkDiffService {
  /** Each side: a stored document id or XCCDF benchmark id (latest release), or benchmark content (parsed, not stored). */
  diff(oldSide: string | ContentInput, newSide: string | ContentInput, actor: Principal): Promise<BenchmarkDiff>;
}

/** Content staged for later mutations (`POST /uploads`), usable only by the user who uploaded it. */
export interface UploadService {
  /**
   * Stores the content under a display name, owned by the actor's user; BAD_INPUT when empty or larger than
   * PLIMSOLL_UPLOAD_MAX_BYTES (an UploadBody is read only here, after the policy let the caller through).
   */
  create(input: ContentFile | UploadBody, actor: Principal): Promise<Upload>;
  /** The content of each input: an upload of the actor's own (NOT_FOUND otherwise), or the bytes given. */
  resolve(inputs: readonly ContentInput[], actor: Principal): Promise<ContentFile[]>;
  /** Deletes the actor's uploads among `inputs` (after their content was stored elsewhere, such as TLS keys). */
  discard(inputs: readonly ContentInput[], actor: Principal): Promise<void>;
}

/** Stored results served as downloads (`GET /downloads/...`), never written where a caller says. */
export interface DownloadService {
  /** The artifact at a download path (as `downloadPath*` build it); NOT_FOUND when there is none. */
  open(path: string, actor: Principal): Promise<Download>;
}

/** CCI reverse queries: from controls to the rules that evidence them. */
export interface CoverageService {
  /** Rules of every stored benchmark whose CCIs map to this control (`cm-6`) or any of its statements. */
  rulesForControl(controlId: string): Promise<RuleEvidence[]>;
  /** How much of a baseline the stored benchmarks (or the given one) evidence, automated or manual. */
  baselineCoverage(baselineRef: string, options?: { benchmark?: string }): Promise<BaselineCoverage>;
}

/** Full-text search with cursor pagination over controls and rules. */
export interface SearchService {
  searchControls(filter: ControlSearch, page?: CursorPage): Promise<Connection<StoredControl>>;
  searchRules(filter: RuleSearch, page?: CursorPage): Promise<Connection<StoredRule>>;
}

/** What pins a reference run: a node (id, name or endpoint) and a completed assessment that collected it. */
export interface PinReferenceInput {
  node: string;
  assessmentId: string;
  note?: string;
}

/**
 * Drift between assessments: ad-hoc comparisons, the drift stored with each completed run (per node, against its
 * previous run and its reference run), and the reference runs users pin.
 */
export interface DriftService {
  /** Compares two completed assessments node by node; the changes narrowed by `filter`, the counts of all. */
  compare(oldRef: AssessmentRef, newRef: AssessmentRef, filter?: DriftChangeFilter): Promise<AssessmentComparison>;
  /** A page of a run's stored reports, by node name then comparison (NOT_FOUND for an unknown run). */
  reports(assessmentId: string, filter: DriftReportFilter, page?: PageRequest): Promise<Connection<DriftReport>>;
  /** A stored report by id (for refetching). */
  report(reportId: string): Promise<DriftReport | undefined>;
  /** A page of a stored report's changes (NOT_FOUND for an unknown report). */
  changes(reportId: string, filter: DriftChangeFilter, page?: PageRequest): Promise<Connection<StoredDriftChange>>;
  /** A run's stored reports with all their changes (the CLI's `drift`). */
  runDrift(assessmentId: string, filter?: DriftReportFilter): Promise<ReportWithChanges[]>;
  /** Pins a completed run as the node's reference run for its benchmark, replacing an earlier pin. */
  pinReference(input: PinReferenceInput, actor: Principal): Promise<{ pinned: ReferenceRun; replaced?: ReferenceRun }>;
  /** Removes the node's pin (of `benchmark`, needed when the node has pins for several benchmarks). */
  unpinReference(input: { node: string; benchmark?: string }): Promise<ReferenceRun>;
  /** A page of pins (of one node), by node name then benchmark. */
  references(filter: { node?: string }, page?: PageRequest): Promise<Connection<ReferenceRun>>;
  /** One pin, for refetching. */
  reference(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined>;
}

/** Posture over time, per node or for the fleet (domain/history.ts). */
export interface HistoryService {
  /** The range, its bucket count and its totals (BAD_INPUT for a bad range or more than MAX_HISTORY_BUCKETS buckets). */
  summary(query: PostureQuery): Promise<PostureSummary>;
  /** A page of the range's buckets, oldest first. */
  points(query: PostureQuery, page?: PageRequest): Promise<Connection<PosturePoint>>;
  /** The summary and every bucket (the CLI's `history`). */
  series(query: PostureQuery): Promise<PostureSeries>;
}

export type { RuleResult };

/** Reports of stored assessments: every format rendered on demand from the stored results (src/reporting). */
export interface ReportService {
  /** The formats this server offers. */
  formats(): Promise<ReportFormatInfo[]>;
  /** The reports of a completed assessment: one per offered format (per node for per-node formats). */
  list(assessmentId: string): Promise<ReportListing[]>;
  /** One report of a completed assessment, optionally limited to one node (id or name); BAD_INPUT for a format not offered. */
  render(assessmentId: string, format: string, options?: { node?: string }): Promise<RenderedReport>;
  /** The stored assessment a Plimsoll assessment-results document (JSON) belongs to, matched by its uuid; NOT_FOUND when none. */
  assessmentOfResults(document: { name: string; bytes: Uint8Array }): Promise<string>;
  /** The published signing key; undefined when this server signs nothing (no key configured or sealable). */
  signingKey(): Promise<PublicSigningKey | undefined>;
}

/**
 * Every use-case service, as wired by src/main.ts. Transports never see these directly: they get them
 * through the service gateway (src/auth/service-gateway.ts), bound to a caller, role-checked and audited.
 */
export interface AppServices {
  library: LibraryService;
  imports: ImportService;
  nodes: NodeService;
  nodeAssets: NodeAssetService;
  assessments: AssessmentService;
  users: UserService;
  audit: AuditService;
  contentSync: ContentSyncService;
  exemptions: ExemptionService;
  remediation: RemediationService;
  reviews: ReviewService;
  checklists: ChecklistService;
  baselines: BaselineService;
  convert: ConvertService;
  benchmarkDiff: BenchmarkDiffService;
  coverage: CoverageService;
  search: SearchService;
  schedules: ScheduleService;
  webhooks: WebhookService;
  notifications: NotificationService;
  uploads: UploadService;
  downloads: DownloadService;
  drift: DriftService;
  history: HistoryService;
  reports: ReportService;
  supplyChain: SupplyChainService;
}
