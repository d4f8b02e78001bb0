import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import { DEFAULT_MILESTONE_POLICY } from '../../../src/domain/milestones.js';
import type { Observation, RuleResult, RuleStatus, Severity } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import type { ArNode, AssessmentReportInput } from '../../../src/reporting/oscal-ar-builder.js';
import { ASSESSMENT_PLAN_FILE } from '../../../src/domain/download.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { buildPoam, type EarlierFinding, type PoamDocument } from '../../../src/reporting/oscal-poam-builder.js';
import { PoamWriter } from '../../../src/reporting/oscal-poam-writer.js';
import { oscalJsonText } from '../../../src/reporting/oscal-values.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { reportInput } from './report-input.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const writer = PoamWriter.fromSchema(schemaPath);

type Json = Record<string, any>;

const NODES: ArNode[] = ['alpha', 'beta', 'gamma'].map((name, i) => ({ id: `node-${name}`, name, endpoint: `tcp://10.0.0.${i + 4}:2376` }));

interface Rule {
  stigId: string;
  ruleId: string;
  severity: Severity;
}
const MEMORY: Rule = { stigId: 'DKER-EE-002010', ruleId: 'SV-235805r1_rule', severity: 'medium' };
const HOST_NET: Rule = { stigId: 'DKER-EE-002000', ruleId: 'SV-235803r1_rule', severity: 'high' };
const PIDS: Rule = { stigId: 'DKER-EE-002780', ruleId: 'SV-235830r1_rule', severity: 'low' };
const INSECURE: Rule = { stigId: 'DKER-EE-001800', ruleId: 'SV-235799r1_rule', severity: 'medium' };

function container(name: string, verdict: 'pass' | 'fail', collectedAt: string, exemptedBy?: string): Observation {
  return {
    target: { kind: 'container', id: `id-${name}`, name },
    field: 'HostConfig.Memory',
    value: verdict === 'fail' ? 0 : 268435456,
    expected: '> 0',
    verdict,
    message: `${name} ${verdict === 'fail' ? 'has no limit' : 'is limited'}`,
    collectedAt,
    ...(exemptedBy !== undefined ? { exemptedBy } : {}),
  };
}

function result(nodeId: string, rule: Rule, status: RuleStatus, observations: Observation[], extra: Partial<RuleResult> = {}): RuleResult {
  return {
    nodeId,
    ...rule,
    groupId: rule.ruleId.replace(/^SV-(\d+).*/, 'V-$1'),
    checkContentHash: '0'.repeat(64),
    title: `Title of ${rule.stigId}`,
    status,
    message: `${status} on ${nodeId}`,
    observations,
    controlIds: ['cm-6_smt.b'],
    ccis: ['CCI-000366'],
    fixText: `Fix ${rule.stigId}.`,
    ...extra,
  };
}

/**
 * A three-node fleet: memory limits fail on web (alpha) and api (beta), pass on db; host networking fails on
 * cache (alpha), which an approved exemption covers; the PIDs limit fails on web; gamma's daemon allows an
 * insecure registry (a failure with no per-target observation: an item on the node).
 */
function fleet(id: string, at: string, opts: { webFixed?: boolean } = {}): AssessmentReportInput {
  const [a, b, g] = NODES.map((n) => n.id) as [string, string, string];
  const exemption = { id: 'ex-1', name: 'cache needs host net', justification: 'Vendor appliance.', approvedBy: 'bob', approvedAt: '2024-07-01T00:00:00.000Z', expiresAt: '2025-01-31' };
  const results: RuleResult[] = [
    result(a, MEMORY, opts.webFixed ? 'pass' : 'fail', [container('web', opts.webFixed ? 'pass' : 'fail', at), container('db', 'pass', at)]),
    result(b, MEMORY, 'fail', [container('api', 'fail', at)]),
    result(g, MEMORY, 'pass', [container('db', 'pass', at)]),
    result(a, HOST_NET, 'fail', [container('cache', 'fail', at, 'ex-1')], { exemption }),
    result(a, PIDS, 'fail', [container('web', 'fail', at)]),
    result(g, INSECURE, 'fail', []),
    result(b, INSECURE, 'not-checked', []),
  ];
  return reportInput({
    assessment: {
      id,
      status: 'completed',
      benchmarkDocumentId: 'doc-1',
      benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
      benchmarkTitle: 'Docker Enterprise 2.x STIG',
      benchmarkVersion: '2',
      benchmarkRelease: '2',
      nodeIds: NODES.map((n) => n.id),
      startedAt: at,
      finishedAt: at,
      startedBy: 'alice',
      summary: summarize(results),
    },
    results,
    benchmark: { documentId: 'doc-1', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x STIG', version: '2', release: '2' },
    nodes: NODES.map((n) => ({ ...n, collectedAt: at })),
  });
}

const T1 = '2024-07-24T12:00:00.000Z';
const T2 = '2024-09-01T08:00:00.000Z';

function poam(doc: PoamDocument): Json {
  return doc['plan-of-action-and-milestones'];
}
function props(x: Json | undefined, name: string): string[] {
  return ((x?.props ?? []) as Json[]).filter((p) => p.name === name).map((p) => p.value as string);
}
function item(doc: PoamDocument, stigId: string, targetKey: string, nodeId: string): Json {
  const found = (poam(doc)['poam-items'] as Json[]).filter((i) => props(i, 'stig-id')[0] === stigId && props(i, 'target-key')[0] === targetKey && props(i, 'node-id')[0] === nodeId);
  expect(found).toHaveLength(1);
  return found[0]!;
}
function riskOf(doc: PoamDocument, i: Json): Json {
  const uuid = i['related-risks'][0]['risk-uuid'];
  return (poam(doc).risks as Json[]).find((r) => r.uuid === uuid)!;
}
function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

describe('buildPoam', () => {
  it('is valid OSCAL 1.1.2 for a several-node fleet, with a poam-item per failing target', () => {
    const doc = writer.render(fleet('asm-1', T1));
    expect(createOscalValidator(schemaPath).validate(doc, 'poam.json')).toEqual([]);
    const p = poam(doc);
    expect(p.metadata['oscal-version']).toBe('1.1.2');
    const keys = (p['poam-items'] as Json[]).map((i) => `${props(i, 'node-id')[0]} ${props(i, 'stig-id')[0]} ${props(i, 'target-key')[0]}`);
    expect(keys).toEqual([
      'node-alpha DKER-EE-002010 id/id-web',
      'node-beta DKER-EE-002010 id/id-api',
      'node-alpha DKER-EE-002000 id/id-cache',
      'node-alpha DKER-EE-002780 id/id-web',
      'node-gamma DKER-EE-001800 node',
    ]);
  });

  it('gives each container its concrete step, with the container named in the command', () => {
    const doc = buildPoam(fleet('asm-1', T1));
    const web = riskOf(doc, item(doc, 'DKER-EE-002010', 'id/id-web', 'node-alpha')).remediations[0];
    expect(props(web, 'command')).toEqual(['docker update --memory 256m --memory-swap 256m web']);
    expect(web.description).toContain('Fix DKER-EE-002010.');
    expect(web.description).toContain('`docker update --memory 256m --memory-swap 256m web`');
    const api = riskOf(doc, item(doc, 'DKER-EE-002010', 'id/id-api', 'node-beta')).remediations[0];
    expect(props(api, 'command')).toEqual(['docker update --memory 256m --memory-swap 256m api']);
    expect(props(riskOf(doc, item(doc, 'DKER-EE-002780', 'id/id-web', 'node-alpha')).remediations[0], 'command')).toEqual(['docker update --pids-limit 100 web']);
    // The daemon setting has no per-container command; the concrete step is the daemon.json change.
    const daemon = riskOf(doc, item(doc, 'DKER-EE-001800', 'node', 'node-gamma')).remediations[0];
    expect(props(daemon, 'command')).toEqual([]);
    expect(daemon.description).toContain('"insecure-registries": []');
  });

  it('links observations and subjects to the inventory items of the assessment results', () => {
    const input = fleet('asm-1', T1);
    const doc = buildPoam(input);
    const ar = AssessmentResultsWriter.fromSchema(schemaPath).render(input).results['assessment-results'].results[0]!;
    const arObservations = new Map((ar.observations ?? []).map((o) => [o.uuid, o]));
    const arItems = new Set(((ar['local-definitions']?.['inventory-items'] ?? []) as Json[]).map((i) => i.uuid));
    const web = item(doc, 'DKER-EE-002010', 'id/id-web', 'node-alpha');
    const obsUuid = web['related-observations'][0]['observation-uuid'];
    const obs = (poam(doc).observations as Json[]).find((o) => o.uuid === obsUuid)!;
    expect(arObservations.get(obsUuid)?.subjects).toEqual(obs.subjects);
    expect(arItems.has(obs.subjects[0]['subject-uuid'])).toBe(true);
    const own = new Set((poam(doc)['local-definitions']['inventory-items'] as Json[]).map((i) => i.uuid));
    expect(own.has(obs.subjects[0]['subject-uuid'])).toBe(true);
    expect(props(web, 'finding-uuid')).toEqual([(ar.findings ?? []).find((f) => f.title.startsWith('DKER-EE-002010 on alpha'))!.uuid]);
  });

  it('dates milestones by severity from the first observation, per the configured policy', () => {
    const doc = buildPoam(fleet('asm-1', T1));
    const due = (i: Json): string => riskOf(doc, i).remediations[0].tasks[0].timing['on-date'].date;
    expect(daysBetween(T1, due(item(doc, 'DKER-EE-002010', 'id/id-web', 'node-alpha')))).toBe(90);
    expect(daysBetween(T1, due(item(doc, 'DKER-EE-002780', 'id/id-web', 'node-alpha')))).toBe(180);
    const gamma = item(doc, 'DKER-EE-001800', 'node', 'node-gamma');
    expect(riskOf(doc, gamma).deadline).toBe(due(gamma));
    expect(props(gamma, 'due-date')).toEqual([due(gamma)]);
    const policy = { dueDays: { ...DEFAULT_MILESTONE_POLICY.dueDays, medium: 45, low: 7 } };
    const custom = buildPoam(fleet('asm-1', T1), { policy });
    const customDue = (i: Json): string => riskOf(custom, i).remediations[0].tasks[0].timing['on-date'].date;
    expect(daysBetween(T1, customDue(item(custom, 'DKER-EE-002010', 'id/id-api', 'node-beta')))).toBe(45);
    expect(daysBetween(T1, customDue(item(custom, 'DKER-EE-002780', 'id/id-web', 'node-alpha')))).toBe(7);
  });

  it('marks exempted deviations as approved, never open, and counts them apart', () => {
    const doc = buildPoam(fleet('asm-1', T1));
    const cache = item(doc, 'DKER-EE-002000', 'id/id-cache', 'node-alpha');
    const risk = riskOf(doc, cache);
    expect(risk.status).toBe('deviation-approved');
    expect(risk.deadline).toBe('2025-02-01T00:00:00.000Z');
    expect(risk['risk-log'].entries[0].description).toBe('Vendor appliance.');
    expect(risk.remediations[0].tasks).toBeUndefined();
    expect(props(cache, 'poam-status')).toEqual(['deviation-approved']);
    const statuses = (poam(doc).risks as Json[]).map((r) => r.status);
    expect(statuses.filter((s) => s === 'open')).toHaveLength(4);
    expect(props(poam(doc).metadata, 'open-items')).toEqual(['4']);
    expect(props(poam(doc).metadata, 'deviation-approved-items')).toEqual(['1']);
  });

  it('carries items over by rule and target: same uuid and first-observed date; closed items drop out', () => {
    const first = buildPoam(fleet('asm-1', T1));
    const earlier: EarlierFinding[] = (poam(first)['poam-items'] as Json[]).map((i) => ({
      nodeId: props(i, 'node-id')[0]!,
      stigId: props(i, 'stig-id')[0]!,
      kind: props(i, 'target-kind')[0] as EarlierFinding['kind'],
      key: props(i, 'target-key')[0]!,
      firstObservedAt: props(i, 'first-observed')[0]!,
    }));
    const second = writer.render(fleet('asm-2', T2, { webFixed: true }), { earlier });
    const api1 = item(first, 'DKER-EE-002010', 'id/id-api', 'node-beta');
    const api2 = item(second, 'DKER-EE-002010', 'id/id-api', 'node-beta');
    expect(api2.uuid).toBe(api1.uuid);
    expect(props(api2, 'first-observed')).toEqual([T1]);
    expect(props(api2, 'carried-over')).toEqual(['true']);
    expect(props(api2, 'due-date')).toEqual(props(api1, 'due-date'));
    // web's memory limit was fixed: its item is gone.
    expect((poam(second)['poam-items'] as Json[]).filter((i) => props(i, 'stig-id')[0] === 'DKER-EE-002010' && props(i, 'target-key')[0] === 'id/id-web')).toEqual([]);
    // Without carry-over the later assessment would open a new item dated from its own observation.
    const fresh = item(buildPoam(fleet('asm-2', T2, { webFixed: true })), 'DKER-EE-002010', 'id/id-api', 'node-beta');
    expect(fresh.uuid).not.toBe(api1.uuid);
    expect(props(fresh, 'first-observed')).toEqual([T2]);
  });

  it('renders the same bytes for the same assessment', () => {
    const a = oscalJsonText(buildPoam(fleet('asm-1', T1), { assessmentResults: { href: 'assessment-results.json', sha256: 'a'.repeat(64) } }));
    const b = oscalJsonText(buildPoam(fleet('asm-1', T1), { assessmentResults: { href: 'assessment-results.json', sha256: 'a'.repeat(64) } }));
    expect(a).toBe(b);
    expect(a).not.toContain(ASSESSMENT_PLAN_FILE);
    expect(a).toContain('"rel": "assessment-results"');
  });

  it('is valid with nothing open: one item says so', () => {
    const input = fleet('asm-3', T1);
    const passing = { ...input, results: input.results.filter((r) => r.status !== 'fail'), targets: input.targets.filter((t) => t.status !== 'fail') };
    const doc = writer.render(passing);
    expect((poam(doc)['poam-items'] as Json[]).map((i) => props(i, 'poam-status')[0])).toEqual(['none-open']);
    expect(props(poam(doc).metadata, 'open-items')).toEqual(['0']);
  });
});
