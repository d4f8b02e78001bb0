/** Output of `plimsoll remediate`: a plan with its items, the calls of an application, the unlock keys. */
import type { ApplyReport, EngineCallRecord, RemediationItem, RemediationPlan, RevealedUnlockKey } from '../domain/remediation.js';
import { formatMemory } from '../domain/remediation.js';
import { UnreachableCaseError } from '../domain/errors.js';
import { table } from './format.js';

/** Who decided and acted, in one line. */
function lifecycleLine(p: RemediationPlan): string {
  const l = p.lifecycle;
  switch (l.status) {
    case 'proposed':
      return 'waiting for another person to approve or reject it';
    case 'approved':
      return `approved by ${l.approval.by} at ${l.approval.at}`;
    case 'rejected':
      return `rejected by ${l.rejection.by} at ${l.rejection.at}: ${l.reason}`;
    case 'stale':
      return `approved by ${l.approval.by}; found stale at ${l.detected.at}: ${l.reasons.join('; ')}`;
    case 'applying':
      return `approved by ${l.approval.by}; being applied by ${l.application.by} since ${l.application.startedAt}`;
    case 'applied':
    case 'partially-applied':
    case 'failed':
      return `approved by ${l.approval.by}; applied by ${l.application.by} (${l.application.startedAt} to ${l.application.finishedAt}): ${l.application.message}`;
    default:
      throw new UnreachableCaseError(l);
  }
}

/** The plan's header: id, status, assessment, settings and counts. */
export function formatPlanHeader(p: RemediationPlan): string[] {
  const s = p.settings;
  const settings = [
    s.memoryBytes !== undefined ? `memory ${formatMemory(s.memoryBytes)}` : 'no memory limit given',
    s.pidsLimit !== undefined ? `pids-limit ${s.pidsLimit}` : 'no PIDs limit given',
    `cpu-shares ${s.cpuShares}`,
    `restart on-failure:${s.restartMaxRetries}`,
  ].join(', ');
  const exempted = p.counts.exempted > 0 ? `; ${p.counts.exempted} exempted failure(s) left out` : '';
  return [
    `remediation plan ${p.id}  ${p.lifecycle.status}`,
    `assessment ${p.assessmentId}, proposed by ${p.proposedBy} at ${p.proposedAt}${p.note !== undefined ? `: ${p.note}` : ''}`,
    `${p.counts.engine} engine change(s) Plimsoll applies, ${p.counts.manual} manual step(s)${exempted}${p.rules.length > 0 ? `; rules ${p.rules.join(', ')}` : ''}`,
    `settings: ${settings}`,
    lifecycleLine(p),
    ...(p.pendingUnlockKeys > 0 ? [`${p.pendingUnlockKeys} sealed swarm unlock key(s) wait for the approver: plimsoll remediate ${p.assessmentId} --unlock-keys ${p.id}`] : []),
  ];
}

/** The items: a table (position, node, rule, target, mode, change or reason), then the manual steps in full. */
export function formatItems(items: readonly RemediationItem[]): string[] {
  const rows = items.map((i) => {
    const what = i.action.mode === 'engine' ? i.action.command : i.action.reason;
    return [String(i.position), i.nodeName, i.stigId, `${i.target.kind} ${i.target.key}`, i.dueAt?.slice(0, 10) ?? '-', i.action.mode, what, i.verification?.outcome ?? ''];
  });
  const lines = table(['#', 'NODE', 'RULE', 'TARGET', 'DUE', 'MODE', 'CHANGE', 'AFTER'], rows);
  const manual = items.filter((i) => i.action.mode === 'manual');
  if (manual.length > 0) lines.push('', 'manual steps (Plimsoll never applies these):');
  for (const i of manual) {
    if (i.action.mode !== 'manual') continue;
    lines.push(`${i.position}. ${i.stigId} on ${i.target.name} (${i.nodeName}): ${i.action.instructions}`, ...i.action.commands.map((c) => `   $ ${c}`));
  }
  return lines;
}

/** Calls as a table. */
export function formatCalls(calls: readonly EngineCallRecord[]): string[] {
  if (calls.length === 0) return ['no Engine API calls'];
  return table(
    ['SEQ', '#', 'CALL', 'SENT', 'OUTCOME', 'HTTP', 'NOTE'],
    calls.map((c) => [String(c.sequence), String(c.position), `${c.method} ${c.path}`, JSON.stringify(c.request), c.outcome, c.httpStatus !== undefined ? String(c.httpStatus) : '-', c.note ?? '']),
  );
}

/** A dry run or an application. */
export function formatApplyReport(r: ApplyReport, items: readonly RemediationItem[]): string[] {
  if (r.dryRun) {
    const lines = [`dry run of remediation plan ${r.plan.id} (${r.plan.lifecycle.status}): nothing was changed`];
    if (r.staleReasons.length > 0) lines.push('the plan is stale; applying it would be refused:', ...r.staleReasons.map((s) => `  ${s}`));
    if (r.blockers.length > 0) lines.push('applying it would be refused:', ...r.blockers.map((b) => `  ${b}`));
    lines.push(`${r.calls.length} call(s) would be made:`, ...formatCalls(r.calls));
    if (r.staleReasons.length === 0 && r.blockers.length === 0) lines.push(`apply it with: plimsoll remediate ${r.plan.assessmentId} --apply ${r.plan.id} --no-dry-run`);
    return lines;
  }
  return [...formatPlanHeader(r.plan), '', ...formatCalls(r.calls), '', ...formatItems(items)];
}

/** The unlock keys, with the warning that this is the only time they are shown. */
export function formatUnlockKeys(keys: readonly RevealedUnlockKey[]): string[] {
  return [
    'swarm unlock keys (shown this once; Plimsoll no longer holds them: store them in your key vault now):',
    ...keys.map((k) => `  swarm ${k.swarmId} (through ${k.nodeName}, item ${k.position}): ${k.unlockKey}`),
  ];
}

/** Plans as a table. */
export function formatPlans(plans: readonly RemediationPlan[]): string[] {
  if (plans.length === 0) return ['no remediation plans'];
  return table(
    ['PLAN', 'STATUS', 'PROPOSED BY', 'PROPOSED AT', 'ENGINE', 'MANUAL'],
    plans.map((p) => [p.id, p.lifecycle.status, p.proposedBy, p.proposedAt, String(p.counts.engine), String(p.counts.manual)]),
  );
}
