/**
 * Exemptions: a reviewed, time-boxed acceptance of a rule's failure on some targets (risk acceptance,
 * distinct from an open finding). An exemption is requested by one user and approved (or rejected)
 * by another (src/domain/separation-of-duties.ts); an approved one may be revoked. Expiry is not a stored state: it follows from `expiresAt`
 * and the clock, so an exemption can't outlive its date because nobody ran a job.
 *
 * Matching is pure and lives here so that the service (validation) and the assessment (application)
 * agree on it.
 */
import type { TargetRef } from './results.js';

/** `rule` value meaning every rule of the benchmark. */
export const ALL_RULES = '*';

/**
 * What an approved exemption means; in every kind the finding stays `fail` and apart from open findings:
 * - `risk-accepted`: the failure is real and an approver accepts the risk (the default; every exemption
 *   made before kinds existed is one). Issue #9's "risk acceptance" is this kind, not a second mechanism.
 * - `false-positive`: the check's verdict is wrong for these targets (the approver agrees).
 * - `operational-requirement`: the deviation is required to operate (a documented need).
 * OSCAL: all are risks with status `deviation-approved`; the kind is a risk prop (see the AR/POA&M writers).
 */
export type ExemptionKind = 'risk-accepted' | 'false-positive' | 'operational-requirement';
export const EXEMPTION_KINDS: readonly ExemptionKind[] = ['risk-accepted', 'false-positive', 'operational-requirement'];

/**
 * Which targets an exemption covers: containers by name glob and/or labels, optionally on one node; or, with
 * `allTargets`, the whole failed rule (every failing target, and a failure with no per-target evidence, such
 * as a manual rule a review found failing) on the matching node(s).
 */
export interface ExemptionTarget {
  /** The whole rule on the matching nodes (no container or label may be given with it). */
  allTargets?: boolean;
  /** Container name glob (`*` any run of characters, `?` one character), matched against the whole name. */
  container?: string;
  /** Container labels that must all be present with these values. */
  labels: Record<string, string>;
  /** A node id, name or endpoint; absent: every node. */
  node?: string;
}

/** The stored lifecycle: requested → approved | rejected; approved → revoked. */
export type ExemptionLifecycle =
  | { status: 'requested' }
  | { status: 'approved'; approvedBy: string; approvedAt: string }
  | { status: 'rejected'; rejectedBy: string; rejectedAt: string; reason: string }
  | { status: 'revoked'; approvedBy: string; approvedAt: string; revokedBy: string; revokedAt: string; reason?: string };

/** The lifecycle status, or `expired` for a requested or approved exemption past its expiry. */
export type ExemptionStatus = ExemptionLifecycle['status'] | 'expired';
export const EXEMPTION_STATUSES: readonly ExemptionStatus[] = ['requested', 'approved', 'rejected', 'revoked', 'expired'];

export interface Exemption {
  id: string;
  name: string;
  kind: ExemptionKind;
  /** A STIG id (`DKER-EE-001960`) or `*` for every rule. */
  rule: string;
  target: ExemptionTarget;
  justification: string;
  requestedBy: string;
  /** The requester's user: what separation of duties compares (absent only on records no user was found for). */
  requestedByUserId?: string;
  /** How the requester authenticated: the token id, or `cli`, `oidc`, `system`. */
  requestedByTokenId: string;
  requestedAt: string;
  /** ISO date (`2027-06-30`, valid through that day, UTC) or date-time (valid until that instant). */
  expiresAt: string;
  lifecycle: ExemptionLifecycle;
}

/** An exemption with its status as of the service's clock. */
export type ExemptionView = Exemption & { status: ExemptionStatus };

/** What a requester supplies. */
export interface ExemptionRequest {
  name: string;
  /** Default `risk-accepted`. */
  kind?: ExemptionKind;
  /** The whole failed rule on the node(s) instead of containers. */
  allTargets?: boolean;
  rule: string;
  container?: string;
  labels?: Record<string, string>;
  node?: string;
  justification: string;
  expiresAt: string;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The first instant at which an exemption no longer applies, or undefined when `expiresAt` is not an ISO
 * date or date-time with a zone. A date covers its whole day (UTC): `2027-06-30` ends at 2027-07-01T00:00Z.
 */
export function expiryInstant(expiresAt: string): Date | undefined {
  const date = DATE_ONLY.exec(expiresAt);
  if (date !== null) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const day = new Date(Date.UTC(y, m - 1, d));
    // Date.UTC rolls 2027-02-30 over to March: such a date is invalid, not a later one.
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
    return new Date(day.getTime() + 24 * 60 * 60 * 1000);
  }
  if (!DATE_TIME.test(expiresAt)) return undefined;
  const t = new Date(expiresAt);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** True when the exemption's expiry has passed at `now` (an unreadable expiry counts as expired). */
export function isExpired(e: Pick<Exemption, 'expiresAt'>, now: Date): boolean {
  const end = expiryInstant(e.expiresAt);
  return end === undefined || now.getTime() >= end.getTime();
}

/** The status at `now`: rejected and revoked stay so; requested and approved become expired past their date. */
export function statusAt(e: Exemption, now: Date): ExemptionStatus {
  const s = e.lifecycle.status;
  return (s === 'requested' || s === 'approved') && isExpired(e, now) ? 'expired' : s;
}

/** True when the exemption applies at `now`: approved and not expired. */
export function isActive(e: Exemption, now: Date): boolean {
  return statusAt(e, now) === 'approved';
}

/** A glob (`*`, `?`) as an anchored regular expression; every other character is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/** The rule part: `*` or the exact STIG id. */
export function matchesRule(e: Pick<Exemption, 'rule'>, stigId: string): boolean {
  return e.rule === ALL_RULES || e.rule === stigId;
}

/** The node part: no node ref, or one equal to the node's id, name or endpoint. */
export function matchesNode(target: ExemptionTarget, node: { id: string; name: string; endpoint: string }): boolean {
  return target.node === undefined || target.node === node.id || target.node === node.name || target.node === node.endpoint;
}

/**
 * The target part: only containers are covered (a name glob and labels describe containers); the glob
 * must match the name (a leading `/` ignored) and every label must be present with its value.
 */
export function matchesTarget(target: ExemptionTarget, ref: TargetRef, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (ref.kind !== 'container') return false;
  if (target.container === undefined && Object.keys(target.labels).length === 0) return false;
  if (target.container !== undefined && !globToRegExp(target.container).test(ref.name.replace(/^\//, ''))) return false;
  for (const [key, value] of Object.entries(target.labels)) {
    if (labels === undefined || labels[key] !== value) return false;
  }
  return true;
}

/** `container=ucp-* label app=x node=n1`, for messages and tables. */
export function describeTarget(target: ExemptionTarget): string {
  const parts: string[] = [];
  if (target.allTargets === true) parts.push('whole rule');
  if (target.container !== undefined) parts.push(`container=${target.container}`);
  for (const [k, v] of Object.entries(target.labels)) parts.push(`label ${k}=${v}`);
  parts.push(target.node !== undefined ? `node=${target.node}` : 'any node');
  return parts.join(' ');
}
