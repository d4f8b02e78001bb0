/** Pure output formatting of the drift, reference-run and history commands. */
import type { AssessmentComparison, DriftCounts, DriftReport, ReferenceRun, ReportWithChanges } from '../domain/drift.js';
import { totalOf, type PosturePoint, type PostureSeries } from '../domain/history.js';
import { describeChange } from '../monitoring/drift-format.js';
import { table } from './format.js';

const COUNT_WORDS: [keyof DriftCounts, string][] = [
  ['regressions', 'regressions'],
  ['remediations', 'remediations'],
  ['errorsAppeared', 'errors appeared'],
  ['errorsCleared', 'errors cleared'],
  ['statusChanges', 'other status changes'],
  ['exemptionChanges', 'exemption changes'],
  ['appeared', 'targets appeared'],
  ['disappeared', 'targets disappeared'],
  ['evidenceChanges', 'evidence changes'],
  ['rulesAdded', 'rules added'],
  ['rulesRemoved', 'rules removed'],
  ['nodesNotCompared', 'nodes not compared'],
  ['expiring', 'expiring'],
  ['expired', 'expired'],
  ['newerReleases', 'newer releases'],
];

/** `2 regressions, 1 targets appeared` (non-zero counts only), or `no changes`. */
export function formatCounts(c: DriftCounts): string {
  const parts = COUNT_WORDS.filter(([k]) => c[k] > 0).map(([k, word]) => `${c[k]} ${word}`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

/** `plimsoll diff`: both runs, the counts, then one line per change. */
export function formatComparison(c: AssessmentComparison): string[] {
  const side = (label: string, r: AssessmentComparison['old']): string =>
    `${label} ${r.assessmentId}  ${r.benchmarkId} ${r.release}  started ${r.startedAt}${r.source === 'results-document' ? '  (from its results document)' : ''}`;
  return [side('old', c.old), side('new', c.new), formatCounts(c.counts), ...c.changes.map(describeChange)];
}

function reportHeading(r: DriftReport): string {
  const against = r.comparison === 'previous' ? 'previous run' : 'reference run';
  const compared = r.comparedAssessmentId !== undefined ? ` ${r.comparedAssessmentId}` : '';
  const state = r.state === 'compared' ? formatCounts(r.counts) : `${r.state}${r.message !== undefined ? `: ${r.message}` : ''}${r.state === 'first-run' ? `; ${formatCounts(r.counts)}` : ''}`;
  return `${r.nodeName} vs ${against}${compared}: ${state}`;
}

/** `plimsoll drift`: each stored report, then its changes indented. */
export function formatRunDrift(reports: readonly ReportWithChanges[]): string[] {
  if (reports.length === 0) return ['no drift recorded for this assessment (it is not completed, or was completed before drift was recorded)'];
  return reports.flatMap(({ report, changes }) => [reportHeading(report), ...changes.map((c) => `  ${describeChange(c)}`)]);
}

/** `plimsoll reference list`. */
export function formatReferenceRuns(pins: readonly ReferenceRun[]): string[] {
  if (pins.length === 0) return ['no reference runs pinned'];
  return table(
    ['node', 'benchmark', 'assessment', 'run started', 'pinned by', 'pinned at', 'note'],
    pins.map((p) => [p.nodeName, p.benchmarkId, p.assessmentId, p.assessmentStartedAt, p.pinnedBy, p.pinnedAt, p.note ?? '']),
  );
}

/** `3d 4h`, `12m 5s`, `45s`. */
export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

const percent = (r: number | undefined): string => (r === undefined ? '-' : `${(r * 100).toFixed(1)}%`);

function pointRow(p: PosturePoint): string[] {
  const c = p.counts;
  return [
    p.start, String(p.postures), String(p.assessedInBucket), percent(p.passRate),
    c !== undefined ? `${c.open.high}/${c.open.medium}/${c.open.low}/${c.open.unknown}` : '-',
    c !== undefined ? String(totalOf(c.exempted)) : '-', c !== undefined ? String(c.error) : '-',
    String(p.opened), String(p.remediated), p.meanTimeToRemediateSeconds !== undefined ? formatDuration(p.meanTimeToRemediateSeconds) : '-',
  ];
}

/** `plimsoll history`: the summary, then one row per bucket. */
export function formatSeries(series: PostureSeries, scope: string): string[] {
  const s = series.summary;
  const c = s.latest.counts;
  return [
    `${scope}, ${s.from} to ${s.to}, ${s.bucketCount} ${s.bucket} buckets`,
    `at the end: pass rate ${percent(s.latest.passRate)}, open findings ${c !== undefined ? `${totalOf(c.open)} (high ${c.open.high}, medium ${c.open.medium}, low ${c.open.low})` : '-'}, exempted ${c !== undefined ? totalOf(c.exempted) : '-'}, errors ${c?.error ?? '-'}`,
    `findings opened ${s.opened}, remediated ${s.remediated}${s.meanTimeToRemediateSeconds !== undefined ? ` (mean time to remediate ${formatDuration(s.meanTimeToRemediateSeconds)})` : ''}, still open ${s.stillOpen}`,
    '',
    ...table(['bucket start', 'postures', 'assessed', 'pass rate', 'open H/M/L/U', 'exempted', 'errors', 'opened', 'remediated', 'MTTR'], series.points.map(pointRow)),
  ];
}
