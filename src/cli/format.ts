/** Pure output formatting of the CLI: tables, one-line summaries, error messages and exit codes. */
import type { FailOnDecision } from '../assessment/fail-on.js';
import { ConfigError } from '../config/config.js';
import { type AssessedNode, type Assessment, type AssessmentWithResults, assessedBenchmarks } from '../domain/assessment.js';
import { ASSET_FIELDS, type AssetValue, type NodeAsset } from '../domain/asset.js';
import type { ApiToken, AuditRecord, User } from '../domain/auth.js';
import type { ChainVerification } from '../domain/audit-chain.js';
import type { ImportSummary } from '../domain/content.js';
import { ErrorCode, formatProblem, isPlimsollError } from '../domain/errors.js';
import type { DockerNode } from '../domain/node.js';
import type { RuleStatus } from '../domain/results.js';
import type { Connection } from '../domain/paging.js';
import type { ContentSyncResult } from '../domain/services.js';
import { EXIT } from './exit-codes.js';

export { EXIT };

/**
 * Ends a command with an exit code and lines for stderr when nothing went wrong but the outcome must show in
 * the exit status (`assess --fail-on`). runCli prints the lines as they are, without `error[CODE]`.
 */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    readonly lines: readonly string[],
  ) {
    super(lines[0] ?? `exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/** The process exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    // A remote the run depends on (the engine, a registry or trust server) can't be reached or used.
    case ErrorCode.NODE_UNREACHABLE:
    case ErrorCode.NODE_TLS_FAILED:
    case ErrorCode.REGISTRY_UNREACHABLE:
    case ErrorCode.REGISTRY_TLS_FAILED:
    case ErrorCode.REGISTRY_AUTH_FAILED:
    case ErrorCode.REGISTRY_BAD_RESPONSE:
    case ErrorCode.TIMED_OUT:
      return EXIT.nodeUnreachable;
    case ErrorCode.CONTENT_INVALID:
    case ErrorCode.CONTENT_UNKNOWN_KIND:
    case ErrorCode.CONTENT_MISSING:
    case ErrorCode.CONTENT_HASH_MISMATCH:
    case ErrorCode.SCHEMA_INVALID:
    case ErrorCode.BAD_INPUT:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.CONFIG_INVALID:
    case ErrorCode.WEBHOOK_NOT_ALLOWED:
    case ErrorCode.NODE_NOT_ALLOWED:
    // GraphQL's limits: the request asked for too much (the CLI never meets them).
    case ErrorCode.QUERY_TOO_COMPLEX:
    case ErrorCode.QUERY_TIMEOUT:
    case ErrorCode.SUBSCRIBER_TOO_SLOW:
      return EXIT.badInput;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES:
      return EXIT.refused;
    case ErrorCode.LISTEN_FAILED:
      return EXIT.cannotListen;
    default:
      return EXIT.failure;
  }
}

/**
 * Lines for stderr and the exit code of an error: `error[CODE]: message` and each problem on its own
 * line. Domain and configuration errors never show a stack; unexpected errors do, since they are bugs.
 */
export function describeError(e: unknown): { lines: string[]; exitCode: number } {
  if (e instanceof CliExit) return { lines: [...e.lines], exitCode: e.exitCode };
  if (isPlimsollError(e)) {
    return { lines: [`error[${e.code}]: ${e.message}`, ...e.problems.map((p) => `  ${formatProblem(p)}`)], exitCode: exitCodeFor(e.code) };
  }
  if (e instanceof ConfigError) {
    return { lines: [`error[${ErrorCode.CONFIG_INVALID}]: invalid configuration`, ...e.problems.map((p) => `  ${p}`)], exitCode: EXIT.badInput };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { lines: [`error[${ErrorCode.INTERNAL}]: ${err.message}`, ...(err.stack ? [err.stack] : [])], exitCode: EXIT.failure };
}

/** Left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function table(headers: readonly string[] | undefined, rows: readonly (readonly string[])[]): string[] {
  const all = headers ? [headers, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** One row per pinned source: name, where it came from (or MISSING) and the path or reason. */
export function formatSyncResults(results: readonly ContentSyncResult[]): string[] {
  return table(
    undefined,
    results.map((r) => (r.ok ? [r.name, r.source ?? 'ok', r.path ?? r.file] : [r.name, 'MISSING', r.error ?? 'unavailable'])),
  );
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

/** `benchmark  ID  "Title"  version 2  release 2  101 rules, 3 profiles  (already present)` */
export function formatImportLine(s: ImportSummary): string {
  const parts = [s.kind, s.id, JSON.stringify(s.title), `version ${s.version}`];
  if (s.release !== undefined) parts.push(`release ${s.release}`);
  const counts = formatCounts(s.counts);
  if (counts !== '') parts.push(counts);
  if (s.alreadyPresent) parts.push('(already present)');
  return parts.join('  ');
}

const STATUS_ORDER: readonly RuleStatus[] = ['pass', 'fail', 'not-applicable', 'not-checked', 'error'];

/** One line per node of an assessment: its name and how its collection went. */
export function formatAssessedNodes(nodes: readonly AssessedNode[]): string[] {
  return table(
    undefined,
    nodes.map((n) => {
      const s = n.status;
      return [n.name, s.state, s.state === 'failed' ? `${s.reason}: ${s.message}` : s.state === 'interrupted' ? s.message : ''];
    }),
  ).map((l) => `  ${l}`);
}

/** The summary of an assessment run: header, its nodes, a count per status, failures by severity and the files written. */
export function formatAssessmentSummary(a: Assessment | AssessmentWithResults, written?: { plan: string; results: string }): string[] {
  // One line per benchmark of the run (a run may assess several).
  const benchmarkLines = assessedBenchmarks(a).map(
    (b, i) => `${i === 0 ? 'benchmark ' : '          '} ${b.title} (${b.benchmarkId} version ${b.version}${b.release !== undefined ? ` release ${b.release}` : ''})${b.profileId ? `, profile ${b.profileId}` : ''}`,
  );
  const lines = [
    `assessment ${a.id}  ${a.status}`,
    ...benchmarkLines,
    ...(a.nodes.length > 0 ? ['nodes', ...formatAssessedNodes(a.nodes)] : [`nodes      ${a.nodeIds.join(', ')}`]),
  ];
  if (a.error) lines.push(`error      ${a.error}`);
  if (a.summary) {
    const { counts, failedBySeverity: f } = a.summary;
    const total = STATUS_ORDER.reduce((n, s) => n + counts[s], 0);
    lines.push('', ...table(['status', 'rules'], [...STATUS_ORDER.map((s) => [s, String(counts[s])]), ['total', String(total)]]));
    lines.push('', `failed by severity: high ${f.high}, medium ${f.medium}, low ${f.low}, unknown ${f.unknown}`);
    if (a.summary.exempted) lines.push(`accepted (approved exemptions; still failed, not open): ${a.summary.exempted.count}`);
  }
  if ('results' in a) {
    const attested = a.results.filter((r) => r.attestation !== undefined).length;
    const expired = a.results.filter((r) => r.reviewNotes?.some((n) => n.why === 'expired')).length;
    if (attested > 0 || expired > 0) lines.push(`attested by manual reviews: ${attested}${expired > 0 ? `; rules whose review expired (not checked again): ${expired}` : ''}`);
  }
  if (written !== undefined) lines.push(`results written to ${written.results}`, `plan written to ${written.plan}`);
  return lines;
}

function assetValueText(v: AssetValue<string | string[]>): string {
  return Array.isArray(v.value) ? v.value.join(', ') : v.value;
}

/** A node's asset facts: one row per field with its effective value and where it came from; overrides marked. */
export function formatNodeAsset(asset: NodeAsset): string[] {
  const rows = ASSET_FIELDS.map((field) => {
    const v = asset.effective[field];
    if (v === undefined) return [field, '-', '', 'not collected; set it with plimsoll node asset set'];
    const source = v.source === 'assessor' ? `assessor ${v.recordedBy ?? ''}`.trim() : v.source;
    return [field, assetValueText(v), source, v.detail];
  });
  const unreadable = (asset.collected.unreadable ?? []).map((e) => `could not read ${e.path}: ${e.error}`);
  return [...table(['FIELD', 'VALUE', 'SOURCE', 'DETAIL'], rows), ...(asset.collectedAt !== undefined ? [`collected ${asset.collectedAt}`] : ['never collected']), ...unreadable];
}

/**
 * The `--fail-on` gate's report: one header line, then one line per open failure (severity, STIG id, node,
 * title). When nothing is open, the header alone.
 */
export function formatFailOn(d: FailOnDecision): string[] {
  const exempted = d.exempted > 0 ? ` (${d.exempted} more covered by approved exemptions)` : '';
  if (!d.failed) return [`fail-on ${d.threshold}: no open failed rule at or above ${d.threshold}${exempted}`];
  const n = d.open.length;
  return [
    `fail-on ${d.threshold}: ${n} failed rule${n === 1 ? '' : 's'} at or above ${d.threshold} remain${n === 1 ? 's' : ''} open${exempted}`,
    ...table(undefined, d.open.map((o) => [o.severity, o.stigId, o.nodeId, o.title])).map((l) => `  ${l}`),
  ];
}

/** Registered nodes as a table. */
export function formatNodes(nodes: readonly DockerNode[]): string[] {
  if (nodes.length === 0) return ['no nodes registered'];
  return table(
    ['NAME', 'ENDPOINT', 'TLS', 'LABELS', 'ID'],
    nodes.map((n) => [
      n.name,
      n.endpoint,
      n.tls ? 'yes' : 'no',
      Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(',') || '-',
      n.id,
    ]),
  );
}

/** API tokens as a table (never a secret: only the service's create calls return one). */
export function formatTokens(tokens: readonly ApiToken[]): string[] {
  if (tokens.length === 0) return ['no tokens'];
  return table(
    ...withScopes(['ID', 'USER', 'LABEL', 'ROLE', 'CREATED', 'REVOKED'], tokens, "(user's)", (t) => [t.id, t.userName, t.name, t.role, t.createdAt, t.revokedAt ?? '-']),
  );
}

/** Header and rows, with an ENVIRONMENTS column (after the fourth) only when some item is limited to environments. */
function withScopes<T extends { environments?: readonly string[] }>(header: string[], items: readonly T[], unscoped: string, row: (item: T) => string[]): [string[], string[][]] {
  const rows = items.map(row);
  if (!items.some((i) => i.environments !== undefined)) return [header, rows];
  const at = 4;
  return [
    [...header.slice(0, at), 'ENVIRONMENTS', ...header.slice(at)],
    rows.map((r, i) => [...r.slice(0, at), items[i]!.environments?.join(',') ?? unscoped, ...r.slice(at)]),
  ];
}

/** Users as a table, with who created each (by id) or how it came to exist. */
export function formatUsers(users: readonly User[]): string[] {
  if (users.length === 0) return ['no users'];
  const names = new Map(users.map((u) => [u.id, u.name]));
  return table(
    ...withScopes(['NAME', 'ROLE', 'KIND', 'CREATED', 'CREATED BY', 'ID'], users, '(all)', (u) => [u.name, u.role, u.kind, u.createdAt, u.createdBy !== undefined ? (names.get(u.createdBy) ?? u.createdBy) : `(${u.origin})`, u.id]),
  );
}

/** A page of the audit log, newest first, with a line saying which records are shown and how to go on. */
export function formatAudit(page: Connection<AuditRecord>): string[] {
  const items = page.edges.map((e) => e.node);
  if (items.length === 0) return [`no audit records (total ${page.totalCount})`];
  return [
    ...table(
      ['ID', 'AT', 'ACTOR', 'ROLE', 'ACTION', 'TARGET', 'OUTCOME', 'DETAIL'],
      items.map((r) => [String(r.id), r.at, r.actor, r.role ?? '-', r.action, r.target ?? '-', r.outcome, r.detail ?? '']),
    ),
    `records ${items[items.length - 1]!.id}-${items[0]!.id} of ${page.totalCount}${page.pageInfo.hasNextPage ? `; older: --after ${page.pageInfo.endCursor ?? ''}` : ''}`,
  ];
}

/** The verdict of `audit verify`: one line per problem, or the intact chain with its head to note. */
export function formatChainVerification(v: ChainVerification): string[] {
  const head = v.head !== undefined ? `head ${v.head.id}:${v.head.hash}` : 'empty';
  if (v.ok) return [`audit chain intact: ${v.count} records, ${head} (note the head; --head ID:HASH later shows whether newer records were deleted)`];
  return [`audit chain broken: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'} in ${v.count} records (${head})`, ...v.problems.map((p) => `  record ${p.id}: ${p.message}`)];
}
