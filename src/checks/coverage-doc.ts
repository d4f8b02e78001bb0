/**
 * The STIG coverage document (docs/stig-coverage.md): one line per benchmark rule saying whether a check
 * decides it (and from which facts) or why it is left to manual review. Rendered from the check registry,
 * the manual-review reasons and the remediation table, so it can't drift from the code: a unit test
 * compares the committed document with this rendering.
 */
import type { BenchmarkRule } from '../domain/content.js';
import type { TargetKind } from '../domain/results.js';
import type { Check } from './check.js';
import { MANUAL_REASON_LABELS, type ManualReason } from './manual-reasons.js';
import type { CheckReading } from './readings.js';

/** The facts a check's target kinds are read from. */
export const FACTS_OF: Readonly<Record<TargetKind, string>> = {
  container: 'container',
  image: 'engine',
  daemon: 'daemon',
  service: 'swarm',
  secret: 'swarm',
  swarm: 'swarm',
  file: 'host',
  node: 'host',
};

export interface CoverageInput {
  benchmark: { title: string; version: string; release?: string; file: string };
  rules: readonly Pick<BenchmarkRule, 'stigId' | 'severity' | 'title'>[];
  checkFor(stigId: string): Pick<Check, 'targetKinds' | 'facts' | 'manualWhen' | 'platformFilter'> | undefined;
  /** How each automated rule's check text is read (src/checks/readings.ts). */
  readingFor?(stigId: string): CheckReading | undefined;
  manualReasonFor(stigId: string): ManualReason | undefined;
  /** Rules whose automation is under way (they have a concrete remediation but no check yet). */
  planned(stigId: string): boolean;
  /** The command that regenerates the document, printed in its header. */
  command: string;
}

/** Where a rule stands: automated from some facts, manual for a reason, or planned. */
export type RuleCoverage = { kind: 'automated'; facts: string[]; manualWhen?: string } | { kind: 'manual'; reason: ManualReason } | { kind: 'planned' } | { kind: 'unexplained' };

/** The coverage of one rule; a check wins over a listed reason (the unit test forbids both). */
export function coverageOf(stigId: string, input: Pick<CoverageInput, 'checkFor' | 'manualReasonFor' | 'planned'>): RuleCoverage {
  const check = input.checkFor(stigId);
  if (check !== undefined) {
    const facts = check.facts ?? [...new Set(check.targetKinds.map((k) => FACTS_OF[k]))];
    return { kind: 'automated', facts, ...(check.manualWhen !== undefined ? { manualWhen: check.manualWhen } : {}) };
  }
  const reason = input.manualReasonFor(stigId);
  if (reason !== undefined) return { kind: 'manual', reason };
  return input.planned(stigId) ? { kind: 'planned' } : { kind: 'unexplained' };
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function describe(c: RuleCoverage): string {
  switch (c.kind) {
    case 'automated':
      return c.manualWhen === undefined ? `automated (${c.facts.join(', ')})` : `automated (${c.facts.join(', ')}); manual where ${c.manualWhen}`;
    case 'manual':
      return `manual, ${MANUAL_REASON_LABELS[c.reason.kind]}: ${c.reason.reason}`;
    case 'planned':
      return 'manual until its check lands: automation in progress (issue #4)';
    case 'unexplained':
      return 'manual: no check and no recorded reason';
  }
}

function tally(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(', ');
}

/** How the automated rules read their check texts: missing data, platform containers, and each rule's reading. */
function readingsSection(input: CoverageInput, automated: readonly string[]): string[] {
  const filtered = automated.map((id) => ({ id, filter: input.checkFor(id)?.platformFilter })).filter((x) => x.filter !== undefined);
  const readings = automated.map((id) => ({ id, reading: input.readingFor?.(id) })).filter((x) => x.reading !== undefined);
  return [
    '## How the check texts are read',
    '',
    'No verdict without evidence: a field the Engine API leaves out, a host file that can\'t be read (anything but',
    '"no such file"), a part of the inventory that failed, never reads as compliant: the rule is `error`, naming what is',
    'missing and why. A generated test (test/unit/checks/evidence-guard.test.ts) takes away, one at a time, every piece of',
    'data each automated rule reads and requires a verdict other than `pass`.',
    '',
    `Platform containers (UCP, DTR, Kubernetes) are left out only by the ${filtered.length} rules whose check command filters`,
    'them, each recorded as an `excluded` observation. The pattern is matched, case-insensitively, against container',
    'names and images (the check commands grep whole `docker ps` or inspect lines); a node may set its own pattern',
    '(`plimsoll node add --platform-pattern`), which then applies to every such rule:',
    '',
    ...filtered.map((x) => `- ${x.id}: \`${x.filter}\``),
    '',
    'Readings of individual rules (**deviation**: the verdict can differ from what the check text\'s command gives):',
    '',
    ...readings.map((x) => `- ${x.id}${x.reading?.deviation === true ? ' (**deviation**)' : ''}: ${(x.reading?.reading ?? '').replace(/\s+/g, ' ').trim()}`),
    '',
  ];
}

/** The markdown document, one table row per rule in benchmark order. */
export function renderCoverageDoc(input: CoverageInput): string {
  const b = input.benchmark;
  const release = b.release !== undefined ? `V${b.version}R${b.release}` : `version ${b.version}`;
  const rows = input.rules.map((r) => ({ rule: r, coverage: coverageOf(r.stigId, input) }));
  const automated = rows.filter((r) => r.coverage.kind === 'automated');
  const byFacts = new Map<string, number>();
  for (const r of automated) if (r.coverage.kind === 'automated') for (const f of r.coverage.facts) byFacts.set(f, (byFacts.get(f) ?? 0) + 1);
  const byReason = new Map<string, number>();
  for (const r of rows) if (r.coverage.kind === 'manual') byReason.set(MANUAL_REASON_LABELS[r.coverage.reason.kind], (byReason.get(MANUAL_REASON_LABELS[r.coverage.reason.kind]) ?? 0) + 1);
  const planned = rows.filter((r) => r.coverage.kind === 'planned').length;
  const unexplained = rows.filter((r) => r.coverage.kind === 'unexplained').length;
  const manual = rows.length - automated.length - planned - unexplained;

  const lines = [
    `# STIG coverage: ${b.title} ${release}`,
    '',
    `Generated from \`${b.file}\`, the check registry (src/checks/registry.ts) and the manual-review reasons`,
    `(src/checks/manual-reasons.ts) by \`${input.command}\`. Do not edit by hand: a unit test fails when this file`,
    'differs from what the script generates.',
    '',
    `- Rules: ${rows.length}`,
    `- Automated: ${automated.length}${automated.length > 0 ? ` (by facts read: ${tally(byFacts)})` : ''}`,
    `- Manual review: ${manual}${manual > 0 ? ` (${tally(byReason)})` : ''}`,
    ...(planned > 0 ? [`- Automation in progress: ${planned}`] : []),
    ...(unexplained > 0 ? [`- Without a check or a recorded reason: ${unexplained}`] : []),
    '',
    'Facts: **container** is each container\'s inspection, **engine** the engine\'s images, **daemon** the daemon\'s',
    '/info, /version, daemon.json and command line, **swarm** the swarm, its nodes, services, networks and secrets,',
    '**host** the Docker files on the host (owner, group, mode) and its FIPS and audit state, **registry** the',
    'repositories, tags and manifest digests of the environment\'s registries, **trust** the TUF metadata of their',
    'trust server (Notary). A manual rule is `not-checked` in every assessment and is answered by an attestation.',
    '',
    '| STIG id | Severity | Title | Coverage |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.rule.stigId} | ${r.rule.severity} | ${cell(r.rule.title)} | ${cell(describe(r.coverage))} |`),
    '',
    ...readingsSection(input, automated.map((r) => r.rule.stigId)),
  ];
  return lines.join('\n');
}
