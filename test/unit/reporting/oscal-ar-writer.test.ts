import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import { ASSESSMENT_PLAN_FILE } from '../../../src/domain/download.js';
import type { RuleResult, RuleStatus } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import type { ArNode, AssessmentReportInput } from '../../../src/reporting/oscal-ar-builder.js';
import { AssessmentResultsWriter, documentSha256 } from '../../../src/reporting/oscal-ar-writer.js';
import type { AssessmentResultsDocument, OscalFindingJson } from '../../../src/reporting/oscal-values.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { reportInput } from './report-input.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const COLLECTED = '2024-07-24T12:00:01.000Z';

const NODES: ArNode[] = [
  {
    id: 'node-a',
    name: 'alpha',
    endpoint: 'unix:///var/run/docker.sock',
    collectedAt: COLLECTED,
    factsSha256: 'a'.repeat(64),
    engineVersion: '26.1.5',
    status: { state: 'collected', collectedAt: COLLECTED, factsSha256: 'a'.repeat(64) },
    asset: {
      fqdn: { value: 'alpha.example.mil', source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
      ipAddresses: { value: ['10.0.0.4', 'fd00::4'], source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
      macAddresses: { value: ['02:42:ac:11:00:02'], source: 'host', detail: '/sys/class/net/eth0/address', recordedAt: COLLECTED },
      unreadable: [{ path: '/etc/hostname (host root /)', error: 'EACCES: permission denied (readFile)' }],
    },
  },
  { id: 'node-b', name: 'beta', endpoint: 'tcp://10.0.0.5:2376', collectedAt: COLLECTED, factsSha256: 'b'.repeat(64) },
];

interface RuleSpec {
  stigId: string;
  ruleId: string;
  controlIds: string[];
  severity: RuleResult['severity'];
}

const RULES: RuleSpec[] = [
  { stigId: 'DKER-EE-001960', ruleId: 'SV-235802r960963_rule', controlIds: ['cm-7_smt.a', 'cm-7_smt.b'], severity: 'medium' },
  { stigId: 'DKER-EE-002000', ruleId: 'SV-235803r960963_rule', controlIds: ['ac-6.10'], severity: 'high' },
  { stigId: 'DKER-EE-001800', ruleId: 'SV-235799r960963_rule', controlIds: ['cm-6_smt.b'], severity: 'medium' },
  // No mapped statement: the finding falls back to the rule as an objective.
  { stigId: 'DKER-EE-999999', ruleId: 'SV-260000r1_rule', controlIds: [], severity: 'low' },
  { stigId: 'DKER-EE-003200', ruleId: 'SV-235820r960963_rule', controlIds: ['au-12_smt.c'], severity: 'medium' },
];

// Per node, the status of each rule (in RULES order).
const STATUSES: Record<string, RuleStatus[]> = {
  'node-a': ['pass', 'fail', 'not-checked', 'fail', 'not-applicable'],
  'node-b': ['fail', 'pass', 'not-checked', 'error', 'pass'],
};

function result(nodeId: string, spec: RuleSpec, status: RuleStatus): RuleResult {
  // The container named after the node fails a failed rule; "db" passes it; the engine is observed too.
  const failing = { kind: 'container' as const, id: `${nodeId}-c0ffee`, name: nodeId === 'node-a' ? 'web\nfront' : 'api' };
  const passing = { kind: 'container' as const, id: `${nodeId}-db`, name: 'db' };
  const observations =
    status === 'pass' || status === 'fail'
      ? [
          {
            target: failing,
            field: 'HostConfig.Privileged',
            value: status === 'fail',
            expected: 'false',
            verdict: status,
            message: status === 'fail' ? `${failing.name} runs privileged` : `${failing.name} is not privileged`,
            collectedAt: COLLECTED,
          },
          { target: passing, field: 'HostConfig.Privileged', value: false, expected: 'false', verdict: 'pass' as const, message: 'db is not privileged', collectedAt: COLLECTED },
          { target: { kind: 'daemon' as const, id: nodeId, name: 'engine' }, field: 'SecurityOptions', value: ['name=seccomp', 'name=userns  x'], expected: 'userns enabled\n(any profile)', verdict: 'pass' as const, message: 'ok', collectedAt: COLLECTED },
        ]
      : [];
  return {
    nodeId,
    stigId: spec.stigId,
    ruleId: spec.ruleId,
    groupId: spec.ruleId.replace(/^SV-(\d+).*/, 'V-$1'),
    checkContentHash: `${spec.stigId.length}`.padStart(64, '0'),
    title: `Title of ${spec.stigId}`,
    severity: spec.severity,
    status,
    message: status === 'not-checked' ? 'No automated check; manual review required' : status === 'error' ? 'Check failed: boom' : `${status} on ${nodeId}`,
    observations,
    controlIds: spec.controlIds,
    ccis: ['CCI-000381'],
    fixText: status === 'fail' && spec.stigId === 'DKER-EE-999999' ? '' : `Fix ${spec.stigId}:\n  run docker with --flag\n`,
  };
}

function input(): AssessmentReportInput {
  const results = NODES.flatMap((n) => RULES.map((spec, i) => result(n.id, spec, STATUSES[n.id]![i]!)));
  return reportInput({
    assessment: {
      id: 'asm-1',
      status: 'completed',
      benchmarkDocumentId: 'doc-1',
      benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
      benchmarkTitle: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide',
      benchmarkVersion: '2',
      benchmarkRelease: '2',
      profileId: 'MAC-1_Classified',
      nodeIds: NODES.map((n) => n.id),
      startedAt: '2024-07-24T12:00:00.000Z',
      finishedAt: '2024-07-24T12:00:05.000Z',
      startedBy: 'alice',
      summary: summarize(results),
    },
    results,
    benchmark: { documentId: 'doc-1', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide', version: '2', release: '2', releaseDate: '2024-07-24', sourceFile: '/x/stig.xml', sha256: 'f'.repeat(64) },
    profile: { id: 'MAC-1_Classified', title: 'I - Mission Critical Classified' },
    nodes: NODES,
  });
}

function propValues(props: { name: string; value: string }[] | undefined, name: string): string[] {
  return (props ?? []).filter((p) => p.name === name).map((p) => p.value);
}

describe('AssessmentResultsWriter', () => {
  const writer = AssessmentResultsWriter.fromSchema(schemaPath);
  const results = (): AssessmentResultsDocument['assessment-results'] => writer.render(input()).results['assessment-results'];

  it('renders a plan and results the official OSCAL 1.1.2 schema accepts', () => {
    const docs = writer.render(input());
    const validator = createOscalValidator(schemaPath);
    expect(validator.validate(docs.results, 'ar.json')).toEqual([]);
    expect(validator.validate(docs.plan, 'ap.json')).toEqual([]);
    expect(docs.results['assessment-results'].metadata['oscal-version']).toBe('1.1.2');
    expect(docs.results['assessment-results'].results).toHaveLength(1);
  });

  it('names everything deterministically: every rendering of one assessment is the same document', () => {
    const a = writer.render(input());
    const b = writer.render(input());
    expect(b).toEqual(a);
    const other = writer.render({ ...input(), assessment: { ...input().assessment, id: 'asm-2' } });
    const findingUuids = (d: AssessmentResultsDocument) => d['assessment-results'].results[0]!.findings!.map((f) => f.uuid);
    expect(findingUuids(other.results).some((u) => findingUuids(a.results).includes(u))).toBe(false);
    // Inventory items are named by node and stable key: the same container keeps its uuid across assessments.
    const items = (d: AssessmentResultsDocument) => (d['assessment-results'].results[0]!['local-definitions'] as { 'inventory-items': { uuid: string }[] })['inventory-items'].map((i) => i.uuid);
    expect(items(other.results)).toEqual(items(a.results));
    expect(JSON.stringify(a)).not.toMatch(/"uuid":"(?![0-9a-f]{8}-[0-9a-f]{4}-5)/);
  });

  it('has one observation per rule per target, one finding per rule per node, and one risk per failure', () => {
    const r = results().results[0]!;
    // pass/fail rules observe three targets (two containers and the engine), the others the node itself.
    const decided = Object.values(STATUSES).flat().filter((s) => s === 'pass' || s === 'fail').length;
    expect(r.observations).toHaveLength(decided * 3 + (10 - decided));
    expect(r.findings).toHaveLength(10);
    const failures = Object.values(STATUSES).flat().filter((s) => s === 'fail').length;
    expect(r.risks).toHaveLength(failures);
    expect(failures).toBe(3);

    const pairs = new Set(r.findings!.map((f) => `${propValues(f.props, 'node-id')[0]}|${propValues(f.props, 'stig-id')[0]}`));
    expect(pairs.size).toBe(10);

    const observations = new Map(r.observations!.map((o) => [o.uuid, o]));
    const riskUuids = new Set(r.risks!.map((k) => k.uuid));
    for (const f of r.findings!) {
      const result = propValues(f.props, 'result')[0];
      const related = f['related-observations']!.map((x) => observations.get(x['observation-uuid'])!);
      expect(related.every((o) => o !== undefined)).toBe(true);
      // A failed rule relates only its failing targets; any other relates every observation it has.
      if (result === 'fail') expect(related.map((o) => propValues(o.props, 'result')[0])).toEqual(['fail']);
      else expect(related.length).toBe(result === 'pass' ? 3 : 1);
      expect(f['related-risks']?.length ?? 0).toBe(result === 'fail' ? 1 : 0);
      if (result === 'fail') expect(riskUuids.has(f['related-risks']![0]!['risk-uuid'])).toBe(true);
    }
    for (const k of r.risks!) expect(k.status).toBe('open');
  });

  it('lets a generic OSCAL reader find which container failed, following OSCAL structure only', () => {
    const doc = writer.render(input()).results;
    expect(genericFailures(doc)).toEqual([
      { control: 'ac-6.10', subject: 'alpha/container/id/node-a-c0ffee', description: expect.stringContaining('Container "web front" on node alpha') },
      { control: 'SV-260000r1_rule', subject: 'alpha/container/id/node-a-c0ffee', description: expect.stringContaining('Container "web front"') },
      { control: 'cm-7_smt.a', subject: 'beta/container/id/node-b-c0ffee', description: expect.stringContaining('Container "api" on node beta') },
    ]);
  });

  it('targets the first mapped statement, or the rule as an objective when none is mapped', () => {
    const r = results().results[0]!;
    const finding = (node: string, stig: string): OscalFindingJson =>
      r.findings!.find((f) => propValues(f.props, 'node-id')[0] === node && propValues(f.props, 'stig-id')[0] === stig)!;

    const privileged = finding('node-b', 'DKER-EE-001960');
    expect(privileged.target).toMatchObject({ type: 'statement-id', 'target-id': 'cm-7_smt.a', status: { state: 'not-satisfied', reason: 'fail' } });
    expect(propValues(privileged.props, 'control-statement')).toEqual(['cm-7_smt.a', 'cm-7_smt.b']);
    expect(finding('node-a', 'DKER-EE-001960').target.status).toEqual({ state: 'satisfied', reason: 'pass' });

    const unmapped = finding('node-a', 'DKER-EE-999999');
    expect(unmapped.target).toMatchObject({ type: 'objective-id', 'target-id': 'SV-260000r1_rule', status: { state: 'not-satisfied', reason: 'fail' } });

    // Nobody decided these: never satisfied.
    expect(finding('node-a', 'DKER-EE-001800').target.status.state).toBe('not-satisfied');
    expect(finding('node-b', 'DKER-EE-999999').target.status.state).toBe('not-satisfied');
    expect(finding('node-a', 'DKER-EE-003200').target.status).toEqual({ state: 'satisfied', reason: 'other' });
    expect(propValues(finding('node-a', 'DKER-EE-003200').props, 'result')).toEqual(['not-applicable']);
  });

  it('reviews controls by control id, with statement ids', () => {
    const r = results().results[0]!;
    const include = r['reviewed-controls']['control-selections'][0]!['include-controls'] as { 'control-id': string; 'statement-ids'?: string[] }[];
    expect(include).toEqual([
      { 'control-id': 'cm-7', 'statement-ids': ['cm-7_smt.a', 'cm-7_smt.b'] },
      { 'control-id': 'ac-6.10' },
      { 'control-id': 'cm-6', 'statement-ids': ['cm-6_smt.b'] },
      { 'control-id': 'au-12', 'statement-ids': ['au-12_smt.c'] },
    ]);
  });

  it('describes nodes and targets as inventory items with OSCAL asset props, and keeps evidence readable', () => {
    const r = results().results[0]!;
    const items = (r['local-definitions'] as { 'inventory-items': { uuid: string; props: { name: string; value: string; ns?: string }[] }[] })['inventory-items'];
    const oscal = (i: { props: { name: string; value: string; ns?: string }[] }, name: string) => i.props.filter((p) => p.name === name && p.ns === undefined).map((p) => p.value);
    expect(items.map((i) => oscal(i, 'asset-id')[0])).toEqual(['alpha', 'beta', 'alpha/container/id/node-a-c0ffee', 'alpha/container/id/node-a-db', 'alpha/daemon/daemon', 'beta/container/id/node-b-c0ffee', 'beta/container/id/node-b-db', 'beta/daemon/daemon']);
    expect(items.map((i) => oscal(i, 'asset-type')[0])).toEqual(['docker-host', 'docker-host', 'container', 'container', 'container-engine', 'container', 'container', 'container-engine']);
    expect(oscal(items[0]!, 'fqdn')).toEqual(['alpha.example.mil']);
    expect(oscal(items[0]!, 'ipv4-address')).toEqual(['10.0.0.4']);
    expect(oscal(items[0]!, 'ipv6-address')).toEqual(['fd00::4']);
    expect(oscal(items[0]!, 'mac-address')).toEqual(['02:42:ac:11:00:02']);
    expect(propValues(items[0]!.props, 'collection-status')).toEqual(['collected']);
    // An unreadable host file is said: the host name it would give is unknown, not absent.
    expect(items[0]!.props.filter((p) => p.name === 'asset-unreadable')).toEqual([expect.objectContaining({ value: '/etc/hostname (host root /)', remarks: 'EACCES: permission denied (readFile)' })]);
    const alphaUuid = items[0]!.uuid;

    const onNode = (o: { title?: string }, name: string) => o.title!.endsWith(`(${name})`) || o.title!.endsWith(` on ${name}`);
    const obs = r.observations!.find((o) => onNode(o, 'beta') && propValues(o.props, 'stig-id')[0] === 'DKER-EE-001960' && propValues(o.props, 'result')[0] === 'fail')!;
    expect(obs.methods).toEqual(['TEST']);
    expect(obs.types).toEqual(['finding']);
    expect(obs.collected).toBe(COLLECTED);
    expect(obs.subjects).toEqual([{ 'subject-uuid': items[5]!.uuid, type: 'inventory-item', title: 'api' }]);
    const evidence = obs['relevant-evidence']!;
    expect(evidence).toHaveLength(1);
    expect(propValues(evidence[0]!.props, 'field')).toEqual(['HostConfig.Privileged']);
    expect(propValues(evidence[0]!.props, 'value')).toEqual(['true']);
    const engine = r.observations!.find((o) => o.subjects![0]!['subject-uuid'] === items[7]!.uuid)!;
    expect(engine.types).toEqual(['control-objective']);
    expect(propValues(engine['relevant-evidence']![0]!.props, 'value')).toEqual(['["name=seccomp","name=userns  x"]']);
    expect(propValues(engine['relevant-evidence']![0]!.props, 'expected')).toEqual(['userns enabled (any profile)']);
    const web = r.observations!.find((o) => onNode(o, 'alpha') && o.subjects![0]!.title === 'web front')!;
    expect(web.subjects![0]!['subject-uuid']).toBe(items[2]!.uuid);
    // The target is the subject's: evidence does not repeat it, nor a collection time equal to the observation's.
    expect(web['relevant-evidence']![0]!.props!.map((p) => p.name)).toEqual(['field', 'value', 'expected', 'verdict']);
    expect(obs).not.toHaveProperty('origins');

    const manual = r.observations!.find((o) => onNode(o, 'alpha') && propValues(o.props, 'stig-id')[0] === 'DKER-EE-001800')!;
    expect(manual.methods).toEqual(['EXAMINE']);
    expect(manual['relevant-evidence']).toBeUndefined();
    expect(manual.subjects).toEqual([{ 'subject-uuid': alphaUuid, type: 'inventory-item', title: 'alpha' }]);
  });

  it('imports the plan it wrote: the back-matter resource has the plan uuid, its file name and sha256', () => {
    const { plan, results: doc } = writer.render(input());
    const ar = doc['assessment-results'];
    const resource = ar['back-matter']!.resources[0]! as { uuid: string; description: string; rlinks: { href: string; hashes: { algorithm: string; value: string }[] }[] };
    expect(ar['import-ap'].href).toBe(`#${resource.uuid}`);
    expect(resource.uuid).toBe(plan['assessment-plan'].uuid);
    expect(resource.rlinks).toEqual([{ href: ASSESSMENT_PLAN_FILE, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: documentSha256(plan) }] }]);
    expect(resource.description).toContain('alpha (unix:///var/run/docker.sock)');
    expect(resource.description).toContain('profile MAC-1_Classified');
  });

  it('plans every rule as an activity, every node and target as a subject, with the reviewer roles', () => {
    const { plan, results: doc } = writer.render(input());
    const ap = plan['assessment-plan'];
    const defs = ap['local-definitions'] as { activities: { uuid: string; title: string; props: { name: string; value: string }[]; 'related-controls'?: unknown }[]; 'inventory-items': { uuid: string }[] };
    expect(defs.activities.map((a) => a.title)).toEqual(RULES.map((r) => `${r.stigId}: Title of ${r.stigId}`));
    expect(defs.activities.map((a) => propValues(a.props, 'method')[0])).toEqual(['TEST', 'TEST', 'EXAMINE', 'TEST', 'TEST']);
    expect(defs.activities[3]).not.toHaveProperty('related-controls');
    const arItems = (doc['assessment-results'].results[0]!['local-definitions'] as { 'inventory-items': { uuid: string }[] })['inventory-items'];
    expect(defs['inventory-items'].map((i) => i.uuid)).toEqual(arItems.map((i) => i.uuid));
    const subjects = (ap['assessment-subjects']![0] as { 'include-subjects': { 'subject-uuid': string }[] })['include-subjects'].map((x) => x['subject-uuid']);
    expect(subjects).toEqual(arItems.map((i) => i.uuid));
    expect((ap.metadata.roles as { id: string }[]).map((r) => r.id)).toEqual(['assessor', 'assessment-tool', 'reviewer', 'approver']);
    expect(ap['import-ssp'].href).toBe(`#${(ap['back-matter']!.resources[0] as { uuid: string }).uuid}`);
    const task = ap.tasks![0] as { 'associated-activities': { 'activity-uuid': string }[] };
    expect(task['associated-activities'].map((a) => a['activity-uuid'])).toEqual(defs.activities.map((a) => a.uuid));
  });

  it('uses the fix text as the risk statement, with a fallback when the benchmark has none', () => {
    const r = results().results[0]!;
    const statements = r.risks!.map((k) => k.statement);
    expect(statements).toContain('Fix DKER-EE-002000:\n  run docker with --flag');
    expect(statements.some((s) => s.includes('gives no fix text for SV-260000r1_rule'))).toBe(true);
  });

  it('renders a run with no results and no mapped controls', () => {
    const base = input();
    const docs = writer.render({ ...base, results: [], targets: [], rules: [] });
    const r = docs.results['assessment-results'].results[0]!;
    expect(r.findings).toBeUndefined();
    expect(r['reviewed-controls']['control-selections'][0]).not.toHaveProperty('include-controls');
    expect(docs.plan['assessment-plan'].tasks).toBeUndefined();
  });

  it('refuses to return an invalid document', () => {
    const base = input();
    // A start time without a timezone violates DateTimeWithTimezoneDatatype.
    const bad = { ...base, assessment: { ...base.assessment, startedAt: '2024-07-24 12:00:00' } };
    expect(() => writer.render(bad)).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
  });
});

type Json = Record<string, any>;

/**
 * What a generic OSCAL reader knows: findings → related observations → subjects → inventory items. It reads no
 * Plimsoll (namespaced) property: the control or objective comes from the finding's target, the asset from the
 * item's OSCAL `asset-id` and its description.
 */
function genericFailures(doc: unknown): { control: string; subject: string; description: string }[] {
  const out: { control: string; subject: string; description: string }[] = [];
  for (const result of (doc as Json)['assessment-results'].results as Json[]) {
    const items = new Map<string, Json>(((result['local-definitions']?.['inventory-items'] ?? []) as Json[]).map((i) => [i.uuid, i]));
    const observations = new Map<string, Json>(((result.observations ?? []) as Json[]).map((o) => [o.uuid, o]));
    for (const finding of (result.findings ?? []) as Json[]) {
      if (finding.target.status.state !== 'not-satisfied' || finding.target.status.reason !== 'fail') continue;
      for (const rel of (finding['related-observations'] ?? []) as Json[]) {
        for (const subject of (observations.get(rel['observation-uuid'])?.subjects ?? []) as Json[]) {
          if (subject.type !== 'inventory-item') continue;
          const item = items.get(subject['subject-uuid'])!;
          const assetId = ((item.props ?? []) as Json[]).find((p) => p.name === 'asset-id' && p.ns === undefined)?.value as string;
          out.push({ control: finding.target['target-id'], subject: assetId, description: item.description });
        }
      }
    }
  }
  return out;
}
