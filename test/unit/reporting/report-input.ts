/** Builds the reporting input of a finished assessment from rule results, as the assessment service does. */
import { targetResultsOf } from '../../../src/assessment/target-results.js';
import type { Assessment } from '../../../src/domain/assessment.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type { ArBenchmark, ArNode, AssessmentReportInput } from '../../../src/reporting/oscal-ar-builder.js';

export interface ReportInputSpec {
  assessment: Omit<Assessment, 'nodes'> & { nodes?: Assessment['nodes'] };
  results: readonly RuleResult[];
  benchmark: ArBenchmark;
  nodes: readonly ArNode[];
  profile?: { id: string; title?: string };
  actor?: { name: string; role?: string };
  tool?: { name: string; version: string };
  /** Rule ids the plan marks manual (default: those not-checked in the results). */
  manual?: readonly string[];
}

/** The input with per-target results split from the results (keys from kind and id) and one planned rule per distinct rule. */
export function reportInput(spec: ReportInputSpec): AssessmentReportInput {
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const targets = spec.results.flatMap((r) => targetResultsOf(r, { id: r.nodeId, name: byId.get(r.nodeId)?.name ?? r.nodeId }, undefined));
  const rules = new Map<string, AssessmentReportInput['rules'][number]>();
  for (const r of spec.results) {
    if (rules.has(r.ruleId)) continue;
    const manual = spec.manual?.includes(r.ruleId) ?? r.status === 'not-checked';
    rules.set(r.ruleId, { ruleId: r.ruleId, stigId: r.stigId, title: r.title, severity: r.severity, checkContent: `Check ${r.stigId}.`, automated: !manual, controlIds: r.controlIds });
  }
  return {
    assessment: { ...spec.assessment, nodes: spec.assessment.nodes ?? [] },
    results: spec.results,
    targets,
    rules: [...rules.values()],
    benchmark: spec.benchmark,
    nodes: spec.nodes,
    ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
    actor: spec.actor ?? { name: 'alice', role: 'assessor' },
    tool: spec.tool ?? { name: 'Plimsoll', version: '0.1.0' },
  };
}
