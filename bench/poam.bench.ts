/**
 * The POA&M of a 100-node assessment: build, validate against the OSCAL 1.1.2 schema (as every write does) and
 * serialise, warm (the schema compiled once per process, as the server does). The fleet is synthetic but
 * shaped like a real run of the Docker STIG's 101 rules: 20 containers per node, the 28 container rules (with
 * their concrete per-container commands) failing on one container in `failEvery` (10: the typical fleet the
 * 2 s target is for, some 63 items per node; 5: a heavy one, reported without a target), and node-level rules of
 * which one in ten fails; one failure in ten is covered by an exemption.
 */
import { performance } from 'node:perf_hooks';
import { targetResultsOf } from '../src/assessment/target-results.js';
import { REMEDIATIONS } from '../src/checks/remediation.js';
import { summarize } from '../src/domain/assessment.js';
import type { Observation, RuleResult, RuleStatus, Severity } from '../src/domain/results.js';
import type { AssessmentReportInput } from '../src/reporting/oscal-inventory.js';
import { PoamWriter } from '../src/reporting/oscal-poam-writer.js';
import { oscalJsonText } from '../src/reporting/oscal-values.js';
import { sharedData } from './content.bench.js';
import type { BenchRow } from './run.js';

const AT = '2026-01-05T10:00:00.000Z';
const SEVERITIES: Severity[] = ['high', 'medium', 'low'];

function rule(nodeId: string, i: number, stigId: string, status: RuleStatus, observations: Observation[]): RuleResult {
  return {
    nodeId,
    stigId,
    ruleId: `SV-${235_000 + i}r1_rule`,
    groupId: `V-${235_000 + i}`,
    checkContentHash: String(i).padStart(64, '0'),
    title: `Rule ${stigId}`,
    severity: SEVERITIES[i % 3]!,
    status,
    message: `${status} on ${nodeId}`,
    observations,
    controlIds: ['cm-6_smt.b', 'cm-7_smt.a'],
    ccis: ['CCI-000366'],
    fixText: `Fix text of ${stigId}: configure the setting as the STIG requires.`,
  };
}

/** The reporting input of a synthetic assessment of `nodes` nodes. */
export function syntheticFleet(nodes: number, containers = 20, failEvery = 10): AssessmentReportInput {
  const stigIds = Object.keys(REMEDIATIONS);
  const containerRules = stigIds.slice(0, 28);
  const results: RuleResult[] = [];
  const nodeList = Array.from({ length: nodes }, (_, n) => ({ id: `node-${n}`, name: `host-${n}`, endpoint: `tcp://10.0.${n >> 8}.${n & 255}:2376`, collectedAt: AT }));
  for (const node of nodeList) {
    containerRules.forEach((stigId, k) => {
      const obs: Observation[] = Array.from({ length: containers }, (_, j) => {
        const fail = (j + k) % failEvery === 0;
        const exempt = fail && (j + k) % (failEvery * 10) === 0;
        return {
          target: { kind: 'container', id: `${node.id}-c${j}`, name: `app-${j}` },
          field: 'HostConfig.Memory',
          value: fail ? 0 : 1,
          expected: '> 0',
          verdict: fail ? 'fail' : 'pass',
          message: `app-${j} ${fail ? 'fails' : 'passes'}`,
          collectedAt: AT,
          ...(exempt ? { exemptedBy: 'ex-1' } : {}),
        };
      });
      results.push(rule(node.id, k, stigId, obs.some((o) => o.verdict === 'fail') ? 'fail' : 'pass', obs));
    });
    for (let i = 28; i < 101; i += 1) {
      const status: RuleStatus = i % 10 === 0 ? 'fail' : i % 4 === 0 ? 'not-checked' : 'pass';
      results.push(rule(node.id, i, stigIds[i] ?? `DKER-EE-9${String(i).padStart(5, '0')}`, status, []));
    }
  }
  const byId = new Map(nodeList.map((n) => [n.id, n]));
  return {
    assessment: {
      id: 'bench-poam',
      status: 'completed',
      benchmarkDocumentId: 'doc',
      benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
      benchmarkTitle: 'Docker Enterprise 2.x STIG',
      benchmarkVersion: '2',
      benchmarkRelease: '2',
      nodeIds: nodeList.map((n) => n.id),
      nodes: [],
      startedAt: AT,
      finishedAt: AT,
      startedBy: 'bench',
      summary: summarize(results),
    },
    benchmark: { documentId: 'doc', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x STIG', version: '2', release: '2' },
    rules: [],
    results,
    targets: results.flatMap((r) => targetResultsOf(r, { id: r.nodeId, name: byId.get(r.nodeId)!.name }, undefined)),
    nodes: nodeList,
    actor: { name: 'bench' },
    tool: { name: 'Plimsoll', version: 'bench' },
  };
}

/**
 * The POA&M of `nodes` nodes: build + validate + serialise, median of `runs` warm runs. The typical fleet
 * (one container in ten failing each container rule) has the 2 s target; the heavy one (one in five) none.
 */
export function benchPoam(nodes = 100, runs = 3): BenchRow[] {
  const writer = PoamWriter.fromSchema(sharedData('oscal', 'schemas', 'oscal_complete_schema-1.1.2.json'));
  return [
    measure(writer, nodes, 10, runs, 'typical', 2000),
    measure(writer, nodes, 5, runs, 'heavy', undefined),
  ];
}

function measure(writer: PoamWriter, nodes: number, failEvery: number, runs: number, label: string, target: number | undefined): BenchRow {
  const input = syntheticFleet(nodes, 20, failEvery);
  let text = oscalJsonText(writer.render(input));
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    text = oscalJsonText(writer.render(input));
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const items = (JSON.parse(text) as { 'plan-of-action-and-milestones': { 'poam-items': unknown[] } })['plan-of-action-and-milestones']['poam-items'].length;
  return {
    name: `POA&M, ${nodes} nodes, ${label}`,
    value: Math.round(times[Math.floor(times.length / 2)]!),
    unit: 'ms',
    ...(target !== undefined ? { target } : {}),
    note: `${items} poam-items, ${Math.round(text.length / 1024)} KiB; build + schema validation + serialise, median of ${runs}, warm; CPU ${Math.round(cpu[Math.floor(cpu.length / 2)]!)} ms (wall time on a shared machine runs above it)`,
  };
}
