/**
 * What the PDF reports show, derived from their input (pure, no drawing): per-node and per-rule results with
 * the targets that failed, chart rows by severity and by control family, which failures are exempted or
 * accepted as risks (kept apart from open ones everywhere), and the prioritised remediation items with their
 * due dates (the one milestone policy of src/domain/milestones.ts) and concrete steps per target
 * (src/checks/remediation.ts).
 */
import { recreatesContainer, remediationFor, targetCommands } from '../checks/remediation.js';
import { DEFAULT_MILESTONE_POLICY, dueDate } from '../domain/milestones.js';
import type { RuleResult, Severity } from '../domain/results.js';
import { type AssessedTarget, NODE_TARGET_KEY } from '../domain/target-results.js';
import type { ChartRow } from './pdf-charts.js';
import { findingKey, type PdfAcceptedRisk, type PdfReportInput } from './pdf-report-input.js';
import type { Branding, ChartStatus } from './report-layout.js';

export const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low', 'unknown'];
const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, unknown: 3 };

/** How a failure is recorded: open, under an approved exemption, or accepted as a risk. */
export type FailureDisposition = { kind: 'open' } | { kind: 'exempted'; by: NonNullable<RuleResult['exemption']> } | { kind: 'accepted'; by: PdfAcceptedRisk };

export class PdfReportModel {
  readonly nodeNames: ReadonlyMap<string, string>;
  private readonly failingTargets = new Map<string, AssessedTarget[]>();
  private readonly containers = new Map<string, Set<string>>();

  constructor(readonly input: PdfReportInput) {
    this.nodeNames = new Map(input.report.nodes.map((n) => [n.id, n.name]));
    for (const t of input.report.targets) {
      if (t.target.kind === 'container') {
        const keys = this.containers.get(t.nodeId);
        if (keys === undefined) this.containers.set(t.nodeId, new Set([t.target.key]));
        else keys.add(t.target.key);
      }
      if (t.status !== 'fail') continue;
      const key = `${t.nodeId}\u0000${t.ruleId}`;
      const list = this.failingTargets.get(key);
      if (list === undefined) this.failingTargets.set(key, [t.target]);
      else list.push(t.target);
    }
  }

  nodeName(nodeId: string): string {
    return this.nodeNames.get(nodeId) ?? nodeId;
  }

  /** The targets of a node that failed a rule (from the per-target results), in result order. */
  failedTargets(r: Pick<RuleResult, 'nodeId' | 'ruleId'>): readonly AssessedTarget[] {
    return this.failingTargets.get(`${r.nodeId}\u0000${r.ruleId}`) ?? [];
  }

  /** The failing targets of a failed rule, or the node itself when the failure names no target. */
  private stepTargets(r: RuleResult): readonly AssessedTarget[] {
    const targets = this.failedTargets(r);
    return targets.length > 0 ? targets : [{ kind: 'node', key: NODE_TARGET_KEY, id: r.nodeId, name: this.nodeName(r.nodeId) }];
  }

  /** Whether a failure is open, exempted (an approved exemption covers it) or accepted as a risk. */
  disposition(r: RuleResult): FailureDisposition {
    const e = r.exemption;
    if (e !== undefined && this.input.exemptionKinds?.[e.id] === 'risk-accepted') {
      return { kind: 'accepted', by: { stigId: r.stigId, nodeId: r.nodeId, justification: e.justification, approvedBy: e.approvedBy, approvedAt: e.approvedAt, expiresAt: e.expiresAt } };
    }
    if (e !== undefined) return { kind: 'exempted', by: e };
    const risk = (this.input.acceptedRisks ?? []).find((a) => a.stigId === r.stigId && (a.nodeId === undefined || a.nodeId === r.nodeId));
    return risk !== undefined ? { kind: 'accepted', by: risk } : { kind: 'open' };
  }

  /** A result's chart status: a failure not open counts as `accepted`. */
  chartStatus(r: RuleResult): ChartStatus {
    if (r.status !== 'fail') return r.status;
    return this.disposition(r).kind === 'open' ? 'fail' : 'accepted';
  }

  /** Results per severity, across every node. */
  bySeverity(branding: Branding): ChartRow[] {
    return SEVERITY_ORDER.map((s) => ({ label: branding.severityLabels[s], counts: this.count(this.input.report.results.filter((r) => r.severity === s)) })).filter(
      (row) => Object.keys(row.counts).length > 0,
    );
  }

  /**
   * Results per SP 800-53 control family (`CM` from `cm-7_smt.a`), across every node: a rule mapped to several
   * families counts in each; a rule mapped to none is under "Not mapped".
   */
  byControlFamily(): ChartRow[] {
    const groups = new Map<string, RuleResult[]>();
    for (const r of this.input.report.results) {
      const families = new Set(r.controlIds.map((id) => id.split(/[-._]/)[0]!.toUpperCase()));
      for (const f of families.size > 0 ? families : ['Not mapped']) {
        const list = groups.get(f);
        if (list === undefined) groups.set(f, [r]);
        else list.push(r);
      }
    }
    const names = [...groups.keys()].sort((a, b) => (a === 'Not mapped' ? 1 : b === 'Not mapped' ? -1 : a.localeCompare(b)));
    return names.map((f) => ({ label: f, counts: this.count(groups.get(f)!) }));
  }

  /** Results per node. */
  byNode(): ChartRow[] {
    return this.input.report.nodes.map((n) => ({ label: n.name, counts: this.count(this.input.report.results.filter((r) => r.nodeId === n.id)) }));
  }

  count(results: readonly RuleResult[]): Partial<Record<ChartStatus, number>> {
    const counts: Partial<Record<ChartStatus, number>> = {};
    for (const r of results) {
      const s = this.chartStatus(r);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    return counts;
  }

  /** Distinct containers (by stable key) a node's per-target results name. */
  containersOf(nodeId: string): number {
    return this.containers.get(nodeId)?.size ?? 0;
  }

  /** The results grouped by rule, in the plan's rule order (rules without a plan entry last). */
  resultsByRule(): { ruleId: string; stigId: string; title: string; severity: Severity; results: RuleResult[] }[] {
    const byRule = new Map<string, RuleResult[]>();
    for (const r of this.input.report.results) {
      const list = byRule.get(r.ruleId);
      if (list === undefined) byRule.set(r.ruleId, [r]);
      else list.push(r);
    }
    const ordered = this.input.report.rules.filter((p) => byRule.has(p.ruleId)).map((p) => p.ruleId);
    for (const id of byRule.keys()) if (!ordered.includes(id)) ordered.push(id);
    return ordered.map((ruleId) => {
      const results = byRule.get(ruleId)!;
      const first = results[0]!;
      return { ruleId, stigId: first.stigId, title: first.title, severity: first.severity, results };
    });
  }

  /** Failed results recorded under an exemption or an accepted risk. */
  deferred(): { result: RuleResult; disposition: Exclude<FailureDisposition, { kind: 'open' }> }[] {
    return this.input.report.results.flatMap((r) => {
      if (r.status !== 'fail') return [];
      const d = this.disposition(r);
      return d.kind === 'open' ? [] : [{ result: r, disposition: d }];
    });
  }

  /**
   * The remediation items: one per failed rule and due date, listing each node where the rule is open
   * (neither exempted nor accepted) with its owner and the concrete step for each failing target, so the fix
   * text is printed once per rule. Ordered by severity (CAT I first), then due date, then STIG id.
   */
  remediationItems(): RemediationItem[] {
    const policy = this.input.milestonePolicy ?? DEFAULT_MILESTONE_POLICY;
    const start = this.input.report.assessment.startedAt;
    const items = new Map<string, RemediationItem>();
    for (const r of this.input.report.results) {
      if (r.status !== 'fail' || this.disposition(r).kind !== 'open') continue;
      const first = this.input.firstObservedAt?.[findingKey(r.nodeId, r.stigId)] ?? start;
      const due = dueDate(r.severity, new Date(first), policy).toISOString().slice(0, 10);
      const key = `${r.ruleId}\u0000${due}`;
      let item = items.get(key);
      if (item === undefined) {
        const concrete = remediationFor(r.stigId);
        item = { stigId: r.stigId, ruleId: r.ruleId, title: r.title, severity: r.severity, due, fixText: r.fixText, ...(concrete !== undefined ? { concrete } : {}), nodes: [] };
        items.set(key, item);
      }
      const owner = this.input.owners?.[r.nodeId];
      item.nodes.push({
        nodeId: r.nodeId,
        nodeName: this.nodeName(r.nodeId),
        firstObservedAt: first,
        message: r.message,
        ...(owner !== undefined ? { owner } : {}),
        steps: this.stepTargets(r).map((t) => {
          const commands = targetCommands(r.stigId, t);
          // A setting that can't change in place: the container is recreated without it.
          if (commands.length === 0 && t.kind === 'container' && recreatesContainer(r.stigId)) commands.push(`docker rm -f ${t.name}`, `docker run … (recreate ${t.name} with the change above)`);
          return { target: t, commands };
        }),
      });
    }
    return [...items.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.due.localeCompare(b.due) || a.stigId.localeCompare(b.stigId));
  }
}

/** One failed rule due on one date, with the nodes where it is open. */
export interface RemediationItem {
  stigId: string;
  ruleId: string;
  title: string;
  severity: Severity;
  /** YYYY-MM-DD. */
  due: string;
  fixText: string;
  /** Plimsoll's concrete remediation of the rule (commands with placeholders), when it has one. */
  concrete?: string;
  nodes: {
    nodeId: string;
    nodeName: string;
    firstObservedAt: string;
    message: string;
    owner?: string;
    /** Per failing target (the node itself when the failure names none), the commands acting on it. */
    steps: { target: AssessedTarget; commands: string[] }[];
  }[];
}

/** `container web`, `image nginx:1.25`, `file /etc/docker`. */
export function targetLabel(t: Pick<AssessedTarget, 'kind' | 'name'>): string {
  return `${t.kind} ${t.name}`;
}

/** A date as `YYYY-MM-DD HH:MM UTC` (ISO input), or the text as given when it is not a date. */
export function showDate(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
