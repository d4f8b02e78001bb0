/**
 * A synthetic fleet for the PDF benchmarks and tests: the real Docker STIG V2R2 rules (101, with their titles,
 * severities and fix texts, parsed from the shared reference content) over N nodes with M containers each.
 * Verdicts are a deterministic function of rule, node and container indexes (no randomness), observations
 * name real Docker fields, per-target results are split as the assessment service splits them. Control ids
 * come from a fixed table (the CCI list is not parsed here): charts by control family get several families.
 * Optional extras (exemption, accepted risk, reviews, drift, signers) exercise every attestation section.
 */
import fs from 'node:fs';
import { ruleResultOf } from '../src/assessment/evaluate.js';
import { targetResultsOf } from '../src/assessment/target-results.js';
import { REMEDIATIONS, withConcreteRemediation } from '../src/checks/remediation.js';
import { summarize } from '../src/domain/assessment.js';
import type { BenchmarkRule } from '../src/domain/content.js';
import type { Observation, RuleResult, RuleStatus } from '../src/domain/results.js';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseBenchmark } from '../src/formats/xccdf/parse.js';
import type { ArNode, AssessmentReportInput } from '../src/reporting/oscal-inventory.js';
import type { PdfReportInput } from '../src/reporting/pdf-report-input.js';
import { DOCKER_STIG } from './content.bench.js';

/** The container rules of the Docker STIG (their checks look at each container). */
const CONTAINER_RULES = new Set(
  Object.keys(REMEDIATIONS).filter((id) => {
    const n = Number(id.slice(-6));
    return (n >= 1190 && n <= 2160) || n === 2770 || n === 2780 || n === 4030 || n === 4040;
  }),
);
const FAMILIES = ['cm-7_smt.a', 'ac-6.10', 'au-12_smt.c', 'sc-7_smt.c', 'si-2_smt.c', 'ia-5.1', 'cm-6_smt.b'];
const COLLECTED = '2026-11-30T10:00:01.000Z';

let rulesCache: BenchmarkRule[] | undefined;

/** The Docker STIG V2R2 rules (parsed once). */
export function dockerStigRules(): BenchmarkRule[] {
  if (rulesCache !== undefined) return rulesCache;
  const bytes = fs.readFileSync(DOCKER_STIG);
  const fp = fingerprint(DOCKER_STIG, bytes);
  if (fp.kind !== 'benchmark') throw new Error(`${DOCKER_STIG} is not an XCCDF benchmark`);
  rulesCache = parseBenchmark(fp.root, DOCKER_STIG, fp.xccdfVersion).rules;
  return rulesCache;
}

export interface FleetOptions {
  nodes: number;
  containersPerNode: number;
  /** Add an exemption, an accepted risk, reviews, drift and signers. */
  extras?: boolean;
}

function ruleResult(rule: BenchmarkRule, ruleIndex: number, nodeIndex: number, containers: number): RuleResult {
  const nodeId = `node-${nodeIndex}`;
  const observations: Observation[] = [];
  let status: RuleStatus;
  let message: string;
  if (CONTAINER_RULES.has(rule.stigId)) {
    for (let c = 0; c < containers; c += 1) {
      // `web` always lacks its memory limit (the issue's example: `docker update --memory 256m web`).
      const fails = (ruleIndex * 7 + nodeIndex * 3 + c) % 9 === 0 || (rule.stigId === 'DKER-EE-002010' && c === 0);
      observations.push({
        target: { kind: 'container', id: `${nodeId}-c${c}`.padEnd(12, '0'), name: c === 0 ? 'web' : `app-${c}` },
        field: 'HostConfig.Memory',
        value: fails ? 0 : 268435456,
        expected: 'a memory limit above 0',
        verdict: fails ? 'fail' : 'pass',
        message: fails ? `${c === 0 ? 'web' : `app-${c}`} has no memory limit` : 'limited',
        collectedAt: COLLECTED,
      });
    }
    const failing = observations.filter((o) => o.verdict === 'fail').length;
    status = failing > 0 ? 'fail' : 'pass';
    message = `${failing} of ${containers} containers fail`;
  } else if (!Object.hasOwn(REMEDIATIONS, rule.stigId)) {
    status = 'not-checked';
    message = 'No automated check; manual review required';
  } else {
    status = (ruleIndex + nodeIndex) % 13 === 0 ? 'error' : (ruleIndex + nodeIndex) % 4 === 0 ? 'fail' : ruleIndex % 11 === 0 ? 'not-applicable' : 'pass';
    message = status === 'error' ? 'The host file could not be read: EACCES' : `daemon ${status}`;
    if (status === 'pass' || status === 'fail') {
      observations.push({ target: { kind: 'daemon', id: nodeId, name: 'engine' }, field: 'daemon.json', value: status === 'pass', expected: 'set', verdict: status, message, collectedAt: COLLECTED });
    }
  }
  const concrete = REMEDIATIONS[rule.stigId];
  return {
    ...ruleResultOf(rule, nodeId, { status, message, observations }, () => []),
    controlIds: [FAMILIES[ruleIndex % FAMILIES.length]!],
    ...(status === 'fail' && concrete !== undefined ? { remediation: withConcreteRemediation(rule.fixText, concrete) } : {}),
  };
}

/** The reporting input of a finished assessment of the synthetic fleet. */
export function fleetReportInput(opts: FleetOptions): AssessmentReportInput {
  const rules = dockerStigRules();
  const nodes: ArNode[] = Array.from({ length: opts.nodes }, (_, n) => ({
    id: `node-${n}`,
    name: n === 0 ? 'alpha' : `node-${String(n).padStart(3, '0')}`,
    endpoint: n === 0 ? 'unix:///var/run/docker.sock' : `tcp://10.0.${Math.floor(n / 250)}.${(n % 250) + 1}:2376`,
    collectedAt: COLLECTED,
    factsSha256: (n % 16).toString(16).repeat(64),
    engineVersion: '26.1.5',
    status: { state: 'collected', collectedAt: COLLECTED, factsSha256: (n % 16).toString(16).repeat(64) },
    asset: {
      hostName: { value: n === 0 ? 'alpha' : `host-${n}`, source: 'engine', detail: 'GET /info Name', recordedAt: COLLECTED },
      fqdn: { value: `${n === 0 ? 'alpha' : `host-${n}`}.example.mil`, source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
      ipAddresses: { value: [`10.0.0.${n + 4}`], source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
      macAddresses: { value: ['02:42:ac:11:00:02'], source: 'host', detail: '/sys/class/net/eth0/address', recordedAt: COLLECTED },
      os: { value: 'Debian GNU/Linux 12 (bookworm), 6.1.0 x86_64', source: 'engine', detail: 'GET /info', recordedAt: COLLECTED },
      role: { value: 'standalone engine', source: 'engine', detail: 'GET /info Swarm', recordedAt: COLLECTED },
    },
  }));
  const results = nodes.flatMap((_, n) => rules.map((rule, i) => ruleResult(rule, i, n, opts.containersPerNode)));
  if (opts.extras === true) {
    // One approved exemption on the first failing container rule of node 0.
    const r = results.find((x) => x.nodeId === 'node-0' && x.status === 'fail' && CONTAINER_RULES.has(x.stigId));
    if (r !== undefined) {
      r.exemption = { id: 'ex-1', name: 'legacy-web', justification: 'The legacy web tier needs this until its migration in Q2.', approvedBy: 'bob', approvedAt: '2026-11-01T09:00:00.000Z', expiresAt: '2027-03-31' };
      for (const o of r.observations) if (o.verdict === 'fail') o.exemptedBy = 'ex-1';
    }
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    assessment: {
      id: 'asm-fleet',
      status: 'completed',
      benchmarkDocumentId: 'doc-docker-v2r2',
      benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
      benchmarkTitle: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide',
      benchmarkVersion: '2',
      benchmarkRelease: '2',
      nodeIds: nodes.map((n) => n.id),
      nodes: nodes.map((n) => ({ nodeId: n.id, name: n.name, endpoint: n.endpoint, status: n.status!, ...(n.asset !== undefined ? { asset: n.asset } : {}) })),
      startedAt: '2026-11-30T10:00:00.000Z',
      finishedAt: '2026-11-30T10:02:00.000Z',
      startedBy: 'alice',
      summary: summarize(results),
    },
    benchmark: { documentId: 'doc-docker-v2r2', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide', version: '2', release: '2', releaseDate: '24 Jul 2024', sha256: 'e'.repeat(64) },
    rules: rules.map((r, i) => ({ ruleId: r.ruleId, stigId: r.stigId, title: r.title, severity: r.severity, checkContent: r.checkContent, automated: Object.hasOwn(REMEDIATIONS, r.stigId), controlIds: [FAMILIES[i % FAMILIES.length]!] })),
    results,
    targets: results.flatMap((r) => targetResultsOf(r, { id: r.nodeId, name: byId.get(r.nodeId)!.name }, undefined)),
    nodes,
    actor: { name: 'alice', role: 'assessor' },
    tool: { name: 'Plimsoll', version: '0.1.0' },
  };
}

/** The PDF input of the fleet; with `extras`, every optional section has data. */
export function fleetPdfInput(opts: FleetOptions): PdfReportInput {
  const report = fleetReportInput(opts);
  if (opts.extras !== true) return { report };
  const acceptedStig = report.results.find((r) => r.nodeId === 'node-0' && r.status === 'fail' && r.exemption === undefined && !CONTAINER_RULES.has(r.stigId))?.stigId;
  return {
    report,
    system: 'Mission Planning Platform (MPP)',
    oscalResultsSha256: '3b'.repeat(32),
    reviews: [
      { stigId: 'DKER-EE-001030', scope: 'every node', status: 'pass', state: 'accepted', statement: 'UCP is configured for LDAP; see the SSP, section 4.', evidence: 'sha256:' + 'ab'.repeat(32), submittedBy: 'carol', submittedAt: '2026-11-20T08:00:00.000Z', approvedBy: 'dave', approvedAt: '2026-11-21T08:00:00.000Z', expiresAt: '2027-11-21' },
      { stigId: 'DKER-EE-001040', scope: 'alpha', status: 'not-applicable', state: 'expired', statement: 'DTR is not deployed.', submittedBy: 'carol', approvedBy: 'dave', expiresAt: '2026-11-01' },
    ],
    ...(acceptedStig !== undefined ? { acceptedRisks: [{ stigId: acceptedStig, nodeId: 'node-0', justification: 'Compensating control: host firewall.', approvedBy: 'dave', approvedAt: '2026-11-25T12:00:00.000Z' }] } : {}),
    drift: [
      {
        against: 'previous',
        assessmentId: 'asm-prev',
        finishedAt: '2026-11-29T10:00:00.000Z',
        changes: [
          { kind: 'regression', nodeName: 'alpha', stigId: 'DKER-EE-001240', severity: 'medium', line: 'regression DKER-EE-001240 medium alpha container `api`: pass → fail; HostConfig.PidMode "" → "host"' },
          { kind: 'evidence-changed', nodeName: 'alpha', stigId: 'DKER-EE-002010', line: 'evidence DKER-EE-002010 alpha container `web`: HostConfig.Memory changed from 268435456 to 0' },
          { kind: 'target-appeared', nodeName: 'alpha', line: 'appeared - alpha container `cache`: 27 rules now, failing none' },
        ],
      },
      { against: 'reference', assessmentId: 'asm-ref', finishedAt: '2026-10-01T10:00:00.000Z', changes: [] },
    ],
    signers: [{ role: 'assessor', name: 'Alice Assessor', title: 'ISSO', date: '2026-11-30T12:00:00.000Z' }],
    owners: { 'node-0': 'Platform team' },
  };
}
