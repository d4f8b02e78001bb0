/**
 * Rules about the host operating system around the engine: FIPS mode (DKER-EE-001070) and audit rules for
 * the Docker files (DKER-EE-001090).
 */
import type { HostFacts, HostFileFacts, NodeFacts } from '../../domain/facts.js';
import type { CheckOutcome, Observation, TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';
import { daemonTarget } from '../engine/engine-rule.js';
import { requirePart } from '../parts.js';
import { AUDITED_PATHS, AUDIT_RULES, AUDIT_RULES_DIR, unitFile } from './docker-files.js';
import { contentUnreadable, fileTarget, lookup, unreadable } from './file-rule.js';

function nodeTarget(facts: NodeFacts): TargetRef {
  return { kind: 'node', id: facts.nodeId, name: facts.nodeName };
}

function observation(facts: NodeFacts, target: TargetRef, field: string, value: unknown, expected: string, verdict: 'pass' | 'fail', message: string): Observation {
  return { target, field, value: value === undefined ? null : value, expected, verdict, message, collectedAt: facts.collectedAt };
}

/** The engine's `fips` security option (`name=fips`), as Docker Engine - Enterprise reports it in FIPS mode. */
export function fipsSecurityOption(info: Record<string, unknown>): string | undefined {
  const options = Array.isArray(info.SecurityOptions) ? info.SecurityOptions : [];
  return options.find((o): o is string => typeof o === 'string' && (o === 'fips' || o.split(',').some((kv) => kv.trim() === 'name=fips')));
}

const FIPS_EXPECTED = 'FIPS mode on: the engine reports the "fips" security option, or the host kernel runs in FIPS mode (fips_enabled = 1)';

function evaluateFips(facts: NodeFacts): CheckOutcome {
  // The engine always reports SecurityOptions: without it, whether it runs in FIPS mode is unknown.
  if (!Array.isArray(facts.info.SecurityOptions)) {
    return { status: 'error', message: `Cannot decide: GET /info of ${facts.nodeName} has SecurityOptions ${JSON.stringify(facts.info.SecurityOptions ?? null)}, not a list: whether the engine reports "fips" is unknown.`, observations: [] };
  }
  const label = fipsSecurityOption(facts.info);
  const engineObs = observation(facts, daemonTarget(facts), 'info.SecurityOptions', label ?? facts.info.SecurityOptions ?? null, FIPS_EXPECTED, label !== undefined ? 'pass' : 'fail',
    label !== undefined ? `The engine reports the security option ${label}.` : 'The engine reports no "fips" security option.');
  // The check text reads the engine's label: when the engine says it runs in FIPS mode, that decides.
  if (label !== undefined) return { status: 'pass', message: `The engine runs in FIPS mode (security option ${label}).`, observations: [engineObs] };
  const host = requirePart(facts, 'host');
  if ('outcome' in host) return { ...host.outcome, observations: [engineObs] };
  const { enabled, evidence } = host.data.fips;
  if (enabled === null) return { status: 'error', message: `Cannot decide: the host's FIPS mode is unknown (${evidence}) and the engine reports no "fips" security option.`, observations: [engineObs] };
  const hostObs = observation(facts, nodeTarget(facts), '/proc/sys/crypto/fips_enabled', enabled ? 1 : 0, FIPS_EXPECTED, enabled ? 'pass' : 'fail',
    enabled ? `The host kernel runs in FIPS mode (${evidence}).` : `The host kernel does not run in FIPS mode (${evidence}).`);
  if (enabled) {
    // Docker Engine - Community never reports the label; the host's FIPS mode is what the fix text asks for.
    return { status: 'pass', message: `The host kernel runs in FIPS mode (${evidence}); the engine reports no "fips" security option (only Docker Engine - Enterprise does).`, observations: [hostObs] };
  }
  return { status: 'fail', message: `FIPS mode is off: ${evidence}, and the engine reports no "fips" security option.`, observations: [hostObs, engineObs] };
}

/** One audit rule that watches a path: `-w PATH …` or `-F path=PATH` / `-F dir=PATH`. */
export interface AuditWatch {
  path: string;
  /** Watches (`-w`) and `dir=` cover everything below the path. */
  recursive: boolean;
  line: string;
  file: string;
}

/** The paths watched by the rules of one audit rules file (auditctl syntax). */
export function parseAuditRules(text: string, file: string): AuditWatch[] {
  const watches: AuditWatch[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/\s+/);
    tokens.forEach((t, i) => {
      const next = tokens[i + 1];
      if (t === '-w' && next !== undefined) watches.push({ path: trimSlash(next), recursive: true, line, file });
      if (t === '-F' && next !== undefined) {
        const m = /^(path|dir)=(.+)$/.exec(next);
        if (m !== null) watches.push({ path: trimSlash(m[2] as string), recursive: m[1] === 'dir', line, file });
      }
    });
  }
  return watches;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** Paths that name the same file on merged-/usr hosts (/lib → /usr/lib). */
function aliases(p: string): string[] {
  if (p.startsWith('/usr/lib/')) return [p, p.slice('/usr'.length)];
  if (p.startsWith('/lib/')) return [p, `/usr${p}`];
  return [p];
}

/** The watch covering `path`, if any. */
export function watchFor(watches: readonly AuditWatch[], path: string): AuditWatch | undefined {
  const names = aliases(path);
  return watches.find((w) => names.some((n) => n === w.path || (w.recursive && n.startsWith(`${w.path === '/' ? '' : w.path}/`))));
}

const AUDIT_EXPECTED = 'an audit rule (-w or -F path=/dir=) in /etc/audit/audit.rules or /etc/audit/rules.d/*.rules covering the path';

function evaluateAudit(facts: NodeFacts): CheckOutcome {
  const part = requirePart(facts, 'host');
  if ('outcome' in part) return part.outcome;
  const host: HostFacts = part.data;
  const main = lookup(host, AUDIT_RULES);
  const dir = lookup(host, AUDIT_RULES_DIR);
  if ('notRead' in main) return { status: 'error', message: `Cannot decide: ${main.notRead}`, observations: [] };
  if ('notRead' in dir) return { status: 'error', message: `Cannot decide: ${dir.notRead}`, observations: [] };
  if (dir.exists && dir.contentError !== undefined) return { status: 'error', message: `Cannot decide: ${contentUnreadable(host, dir)}.`, observations: [] };
  const inDir = host.files.filter((f) => f.path.startsWith(`${AUDIT_RULES_DIR}/`) && f.path.endsWith('.rules'));
  const unstated = inDir.find((f) => f.error !== undefined);
  if (unstated !== undefined) return { status: 'error', message: `Cannot decide: ${unreadable(host, unstated)}.`, observations: [] };
  const ruleFiles = [main, ...inDir].filter((f) => f.exists && f.type === 'file');
  if (ruleFiles.length === 0) {
    const obs = observation(facts, fileTarget(AUDIT_RULES), 'exists', false, AUDIT_EXPECTED, 'fail', `No audit rules file exists (${AUDIT_RULES}, ${AUDIT_RULES_DIR}/*.rules): the host does not audit the Docker files.`);
    return { status: 'fail', message: obs.message, observations: [obs] };
  }
  const unreadRules = ruleFiles.find((f) => f.content === undefined);
  if (unreadRules !== undefined) return { status: 'error', message: `Cannot decide: the audit rules file ${contentUnreadable(host, unreadRules)}.`, observations: [] };
  const watches = ruleFiles.flatMap((f) => parseAuditRules(f.content as string, f.path));

  const required: HostFileFacts[] = [];
  const absent: string[] = [];
  for (const p of AUDITED_PATHS) {
    const f = lookup(host, p);
    if ('notRead' in f) return { status: 'error', message: `Cannot decide: ${f.notRead}`, observations: [] };
    if (f.exists) required.push(f);
    else absent.push(p);
  }
  for (const unit of ['docker.service', 'docker.socket'] as const) {
    const f = unitFile(host, unit);
    if (f !== undefined && 'notRead' in f) return { status: 'error', message: `Cannot decide: ${f.notRead}.`, observations: [] };
    if (f !== undefined) required.push(f);
  }
  if (required.length === 0) return { status: 'error', message: `Cannot decide: none of the Docker paths the rule lists exists on ${host.source}.`, observations: [] };
  const observations = required.map((f) => {
    const w = watchFor(watches, f.path);
    return w === undefined
      ? observation(facts, fileTarget(f.path), 'audit rule', null, AUDIT_EXPECTED, 'fail', `No audit rule covers ${f.path}.`)
      : observation(facts, fileTarget(f.path), 'audit rule', w.line, AUDIT_EXPECTED, 'pass', `${f.path} is audited by "${w.line}" (${w.file}).`);
  });
  const failed = observations.filter((o) => o.verdict === 'fail');
  const skipped = absent.length > 0 ? ` Not present on the host, so not required: ${absent.join(', ')}.` : '';
  const basis = ' Read from the persistent rules files, not the loaded rules (auditctl -l).';
  return failed.length > 0
    ? { status: 'fail', message: `${failed.length} of ${observations.length} Docker paths have no audit rule: ${failed.map((o) => o.target.name).join(', ')}.${skipped}${basis}`, observations }
    : { status: 'pass', message: `All ${observations.length} Docker paths present on the host have audit rules.${skipped}${basis}`, observations };
}

export const HOST_OS_CHECKS: readonly Check[] = [
  { stigId: 'DKER-EE-001070', title: 'FIPS mode must be enabled on all Docker Engine - Enterprise nodes.', targetKinds: ['node', 'daemon'], evaluate: evaluateFips },
  {
    stigId: 'DKER-EE-001090',
    title: 'The host operating systems auditing policies for the Docker Engine - Enterprise component of Docker Enterprise must be set.',
    targetKinds: ['file'],
    evaluate: evaluateAudit,
  },
];
