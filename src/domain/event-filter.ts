/**
 * Which events a subscriber or a webhook wants: by type, node, environment and severity. One definition for
 * GraphQL subscriptions and webhooks, so both read a filter the same way.
 *
 * - Types, nodes and environments: an event matches when it has one of the listed values. An event whose
 *   scope names no node (an exemption that applies to every node) belongs to every node and environment.
 * - Severity: `minSeverity` keeps events whose severity is at least that (drift: the worst regression; a
 *   completed run: the worst failed rule). An event without a severity (progress, expiry, a run without
 *   failures) does not pass a severity filter: asking for "high and above" means asking for findings. A
 *   severity of `unknown` passes every threshold, as in `assess --fail-on`: nothing shows it is below it.
 */
import { ErrorCode, PlimsollError, type Problem } from './errors.js';
import { EVENT_TYPES, type PlimsollEvent, type PlimsollEventType } from './events.js';
import type { Severity } from './results.js';

export interface EventFilter {
  types?: PlimsollEventType[];
  /** Node ids. */
  nodeIds?: string[];
  environments?: string[];
  minSeverity?: FilterSeverity;
}

/** The thresholds a filter can name. */
export type FilterSeverity = Exclude<Severity, 'unknown'>;
export const FILTER_SEVERITIES: readonly FilterSeverity[] = ['high', 'medium', 'low'];
/** For thresholds: `unknown` counts as high. */
const THRESHOLD_RANK: Record<Severity, number> = { unknown: 3, high: 3, medium: 2, low: 1 };
/** For "the worst of": high, then unknown, then medium and low. */
const WORST_RANK: Record<Severity, number> = { low: 0, medium: 1, unknown: 2, high: 3 };
const MAX_FILTER_VALUES = 100;

/** The severity an event carries, if any. */
export function eventSeverity(event: PlimsollEvent): Severity | undefined {
  switch (event.type) {
    case 'drift.detected':
    case 'assessment.completed':
      return event.maxSeverity;
    default:
      return undefined;
  }
}

/** True when `event` passes `filter`. */
export function eventMatches(filter: EventFilter, event: PlimsollEvent): boolean {
  if (filter.types !== undefined && filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  const everywhere = event.scope.nodeIds.length === 0;
  if (!everywhere && filter.nodeIds !== undefined && filter.nodeIds.length > 0 && !event.scope.nodeIds.some((n) => filter.nodeIds!.includes(n))) return false;
  if (!everywhere && filter.environments !== undefined && filter.environments.length > 0 && !event.scope.environments.some((e) => filter.environments!.includes(e))) return false;
  if (filter.minSeverity !== undefined) {
    const severity = eventSeverity(event);
    if (severity === undefined || THRESHOLD_RANK[severity] < THRESHOLD_RANK[filter.minSeverity]) return false;
  }
  return true;
}

/** Checks a filter's shape (known types and severities, bounded lists); BAD_INPUT naming every problem. */
export function checkEventFilter(filter: EventFilter, pointer = '/filter'): EventFilter {
  const problems: Problem[] = [];
  for (const t of filter.types ?? []) {
    if (!(EVENT_TYPES as readonly string[]).includes(t)) problems.push({ pointer: `${pointer}/types`, message: `unknown event type "${String(t).slice(0, 40)}"; one of ${EVENT_TYPES.join(', ')}` });
  }
  for (const [name, list] of [['types', filter.types], ['nodeIds', filter.nodeIds], ['environments', filter.environments]] as const) {
    if (list !== undefined && list.length > MAX_FILTER_VALUES) problems.push({ pointer: `${pointer}/${name}`, message: `at most ${MAX_FILTER_VALUES} values` });
  }
  if (filter.minSeverity !== undefined && !FILTER_SEVERITIES.includes(filter.minSeverity)) problems.push({ pointer: `${pointer}/minSeverity`, message: `unknown severity threshold; one of ${FILTER_SEVERITIES.join(', ')}` });
  if (problems.length > 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid event filter: ${problems.map((p) => p.message).join('; ')}`, problems);
  const out: EventFilter = {};
  if (filter.types !== undefined && filter.types.length > 0) out.types = [...new Set(filter.types)];
  if (filter.nodeIds !== undefined && filter.nodeIds.length > 0) out.nodeIds = [...new Set(filter.nodeIds)];
  if (filter.environments !== undefined && filter.environments.length > 0) out.environments = [...new Set(filter.environments)];
  if (filter.minSeverity !== undefined) out.minSeverity = filter.minSeverity;
  return out;
}

/** The worse of two severities (undefined counts as none; high before unknown before medium and low). */
export function worseSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return WORST_RANK[a] >= WORST_RANK[b] ? a : b;
}
