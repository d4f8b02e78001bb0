/**
 * Manual reviews (attestations): a person's answer to a rule no check decides, for a scope of nodes, which
 * another person accepts before it counts (separation of duties: src/domain/separation-of-duties.ts).
 *
 * - A review is keyed to its rule as STIG Manager keys reviews: benchmark id + STIG id (the rule version) +
 *   check-content hash, never the release. A new release whose rule keeps its check text (same hash) is
 *   answered by the same review; a changed check text is not (the review names what it was written against).
 * - Lifecycle (tagged union): draft → submitted → accepted | rejected (with a reason); submitted → draft
 *   (withdrawn); edits only in draft. Expiry is not stored as a state: it follows from `expiresAt` (fixed at
 *   acceptance from a date or a period) and the clock, so a review can't outlive its date because no job ran.
 * - Application (src/assessment/apply-reviews.ts): an accepted, unexpired review answers the matching
 *   `not-checked` results only; it never overrides an automated verdict (a review matching an automated
 *   result is ignored and noted on the result). Expired reviews stop applying and are listed on the result.
 *
 * Risk acceptance is NOT a second mechanism here: it is an exemption (src/domain/exemption.ts) of kind
 * `risk-accepted` (requested, approved by another person, expiring; the finding stays `fail`, recorded as an
 * OSCAL `deviation-approved` risk and counted apart from open findings). See `RISK_ACCEPTANCE_KIND`.
 *
 * Matching is pure and lives here so that the service (validation) and the assessment (application) agree.
 */
import { expiryInstant } from './exemption.js';

/** A user as a workflow records them: id (what separation of duties compares) and name (what people read). */
export interface ReviewPerson {
  userId: string;
  name: string;
}

/**
 * The rule a review answers, keyed so it carries over to a new release: benchmark (XCCDF benchmark id, e.g.
 * `Docker_Enterprise_2-x_Linux-UNIX_STIG`), STIG id (`DKER-EE-001070`) and the sha256 of the rule's check
 * content. `ruleId` and `release` record where the review was written (information, not part of the key).
 */
export interface ReviewRuleKey {
  benchmarkId: string;
  stigId: string;
  checkContentHash: string;
  /** The rule id (SV-…) in the release the review was written against. */
  ruleId: string;
  /** That release (`V2R1`), when the benchmark states one. */
  release?: string;
}

/** Which nodes a review speaks for: one node, every node whose labels include these, or every node. */
export type ReviewScope =
  | { kind: 'node'; nodeId: string; nodeName: string }
  | { kind: 'labels'; labels: Record<string, string> }
  | { kind: 'all-nodes' };

export const REVIEW_SCOPE_KINDS: readonly ReviewScope['kind'][] = ['node', 'labels', 'all-nodes'];

/** The attested result: what the reviewer found. */
export type ReviewResult = 'pass' | 'fail' | 'not-applicable';
export const REVIEW_RESULTS: readonly ReviewResult[] = ['pass', 'fail', 'not-applicable'];

/**
 * Evidence of a review: prose, a link, or an uploaded file stored by its sha256 content hash (downloadable
 * from the review; the same bytes attached twice are stored once).
 */
export type ReviewEvidence =
  | { kind: 'text'; text: string }
  | { kind: 'url'; url: string }
  | { kind: 'file'; name: string; sha256: string; size: number; mediaType: string };

/**
 * How long an accepted review applies: until a date (ISO date, valid through that day UTC, or a date-time
 * with a zone), or for a period after acceptance (ISO 8601 days or weeks: `P90D`, `P12W`).
 */
export type ReviewExpiry = { kind: 'date'; date: string } | { kind: 'period'; period: string };

/** The stored lifecycle. */
export type ReviewLifecycle =
  | { state: 'draft' }
  | { state: 'submitted'; submittedBy: ReviewPerson; submittedAt: string }
  | { state: 'accepted'; submittedBy: ReviewPerson; submittedAt: string; acceptedBy: ReviewPerson; acceptedAt: string; expiresAt: string }
  | { state: 'rejected'; submittedBy: ReviewPerson; submittedAt: string; rejectedBy: ReviewPerson; rejectedAt: string; reason: string };

export type ReviewState = ReviewLifecycle['state'];

/** The lifecycle state, or `expired` for an accepted review past its `expiresAt`. */
export type ReviewStatus = ReviewState | 'expired';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['draft', 'submitted', 'accepted', 'rejected', 'expired'];

/** Where a review came from: written in Plimsoll, or imported from a checklist (CKL/CKLB) by a user. */
export type ReviewOrigin = 'manual' | 'import';

export interface ManualReview {
  id: string;
  rule: ReviewRuleKey;
  scope: ReviewScope;
  result: ReviewResult;
  statement: string;
  evidence: ReviewEvidence[];
  expiry: ReviewExpiry;
  origin: ReviewOrigin;
  createdBy: ReviewPerson;
  createdAt: string;
  updatedAt: string;
  lifecycle: ReviewLifecycle;
}

/** A review with its status as of the service's clock. */
export type ManualReviewView = ManualReview & { status: ReviewStatus };

/** What an author supplies (rule by benchmark + STIG id; the service fills in hash, rule id and release). */
export interface ReviewDraftInput {
  /** A benchmark document id or XCCDF benchmark id (latest release). */
  benchmark: string;
  stigId: string;
  scope: ReviewScopeInput;
  result: ReviewResult;
  statement: string;
  evidence?: ReviewEvidenceInput[];
  expiry: ReviewExpiry;
}

/** A scope as given: a node by id, name or endpoint; labels; or every node. */
export type ReviewScopeInput = { kind: 'node'; node: string } | { kind: 'labels'; labels: Record<string, string> } | { kind: 'all-nodes' };

/** Evidence as given: a file arrives as an upload id (POST /uploads) or, from the CLI, as name + bytes. */
export type ReviewEvidenceInput =
  | { kind: 'text'; text: string }
  | { kind: 'url'; url: string }
  | { kind: 'upload'; uploadId: string }
  | { kind: 'file'; name: string; content: Uint8Array };

/** Changes to a draft; absent fields stay. */
export type ReviewDraftChanges = Partial<Pick<ReviewDraftInput, 'scope' | 'result' | 'statement' | 'evidence' | 'expiry'>>;

/**
 * One review of a checklist import (CKL/CKLB): created `submitted` by the importing user, all in one
 * transaction (ReviewService.importReviews).
 */
export type ImportedReviewInput = ReviewDraftInput;

/** The attestation a `not-checked` rule result was answered by (set by apply-reviews). */
export interface RuleAttestation {
  reviewId: string;
  result: ReviewResult;
  statement: string;
  submittedBy: string;
  submittedAt: string;
  acceptedBy: string;
  acceptedAt: string;
  expiresAt: string;
  /** The release the review was written against (it may differ from the assessed one: carried over). */
  writtenFor: string;
  evidence: ReviewEvidence[];
}

/** A review noted on a result without answering it: expired, or for a rule a check decided. */
export interface RuleReviewNote {
  reviewId: string;
  why: 'expired' | 'automated';
  expiresAt: string;
  acceptedBy: string;
}

/** The review marks of one rule result (stored with it, read by reports). */
export interface RuleReviewMarks {
  attestation?: RuleAttestation;
  reviewNotes?: RuleReviewNote[];
}

/** The exemption kind that is a risk acceptance (see the module comment). */
export const RISK_ACCEPTANCE_KIND = 'risk-accepted';

const PERIOD = /^P(?:(\d{1,4})W|(\d{1,5})D)$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The length of a period in ms (`P90D`, `P12W`), or undefined when it is not one (or zero). */
export function periodMs(period: string): number | undefined {
  const m = PERIOD.exec(period);
  if (m === null) return undefined;
  const days = m[1] !== undefined ? Number(m[1]) * 7 : Number(m[2]);
  return days > 0 ? days * DAY_MS : undefined;
}

/** The instant an expiry ends when accepted at `acceptedAt`, or undefined when the expiry is unreadable. */
export function expiresAtOn(expiry: ReviewExpiry, acceptedAt: Date): string | undefined {
  if (expiry.kind === 'date') return expiryInstant(expiry.date) === undefined ? undefined : expiry.date;
  const ms = periodMs(expiry.period);
  return ms === undefined ? undefined : new Date(acceptedAt.getTime() + ms).toISOString();
}

/** True when `expiresAt` has passed at `now` (unreadable counts as passed). */
export function reviewExpired(expiresAt: string, now: Date): boolean {
  const end = expiryInstant(expiresAt);
  return end === undefined || now.getTime() >= end.getTime();
}

/** The status at `now`. */
export function reviewStatusAt(r: Pick<ManualReview, 'lifecycle'>, now: Date): ReviewStatus {
  const l = r.lifecycle;
  return l.state === 'accepted' && reviewExpired(l.expiresAt, now) ? 'expired' : l.state;
}

/** True when the review speaks for this node (labels: every selector label present with its value). */
export function scopeMatchesNode(scope: ReviewScope, node: { id: string; labels: Readonly<Record<string, string>> }): boolean {
  switch (scope.kind) {
    case 'all-nodes':
      return true;
    case 'node':
      return scope.nodeId === node.id;
    case 'labels':
      return Object.entries(scope.labels).every(([k, v]) => node.labels[k] === v);
  }
}

/** True when the review answers this rule: same benchmark, STIG id and check-content hash (any release). */
export function ruleMatches(key: ReviewRuleKey, rule: { benchmarkId: string; stigId: string; checkContentHash: string }): boolean {
  return key.benchmarkId === rule.benchmarkId && key.stigId === rule.stigId && key.checkContentHash === rule.checkContentHash;
}

/** How specific a scope is (a node beats labels beats every node), to choose among matching reviews. */
export function scopeRank(scope: ReviewScope): number {
  return scope.kind === 'node' ? 2 : scope.kind === 'labels' ? 1 : 0;
}

/** `node n1`, `labels env=prod`, `every node`, for messages and tables. */
export function describeScope(scope: ReviewScope): string {
  switch (scope.kind) {
    case 'all-nodes':
      return 'every node';
    case 'node':
      return `node ${scope.nodeName}`;
    case 'labels':
      return `labels ${Object.entries(scope.labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
  }
}
