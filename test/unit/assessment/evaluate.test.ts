import { describe, expect, it } from 'vitest';
import { type CheckCatalog, controlIdsOf, controlLookupFrom, evaluateNode, MANUAL_REVIEW_MESSAGE, selectRules } from '../../../src/assessment/evaluate.js';
import type { BenchmarkRule } from '../../../src/domain/content.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../src/domain/results.js';
import type { ControlMapping } from '../../../src/domain/services.js';

const AT = '2024-07-24T12:00:00.000Z';

function rule(stigId: string, ccis: string[], extra: Partial<BenchmarkRule> = {}): BenchmarkRule {
  const n = stigId.slice(-4);
  return {
    groupId: `V-${n}`,
    ruleId: `SV-${n}r1_rule`,
    stigId,
    title: `Rule ${stigId}`,
    severity: 'medium',
    discussion: '',
    checkContent: 'docker ps',
    checkContentHash: `hash-${n}`,
    fixText: `fix ${stigId}`,
    ccis,
    legacyIds: [],
    ...extra,
  };
}

function facts(privileged: string[], all: string[]): NodeFacts {
  return {
    nodeId: 'node-1',
    nodeName: 'one',
    endpoint: 'unix:///var/run/docker.sock',
    collectedAt: AT,
    version: {},
    info: {},
    containers: all.map((name) => ({ id: `${name}-id`, name, image: 'busybox', inspect: { HostConfig: { Privileged: privileged.includes(name) } } })),
  };
}

/** A real (if small) check: fails when any container runs privileged. */
function privilegedCheck(f: NodeFacts): CheckOutcome {
  if (f.containers.length === 0) return { status: 'not-applicable', message: 'no containers', observations: [] };
  const observations = f.containers.map((c) => {
    const value = (c.inspect.HostConfig as { Privileged: boolean }).Privileged;
    return { target: { kind: 'container' as const, id: c.id, name: c.name }, field: 'HostConfig.Privileged', value, expected: 'false', verdict: value ? ('fail' as const) : ('pass' as const), message: `${c.name} privileged=${value}`, collectedAt: f.collectedAt };
  });
  const failing = observations.filter((o) => o.verdict === 'fail').length;
  return { status: failing > 0 ? 'fail' : 'pass', message: `${failing} of ${observations.length} containers run privileged`, observations };
}

const catalog: CheckCatalog = {
  checkFor(stigId) {
    switch (stigId) {
      case 'DKER-EE-0001':
        return { evaluate: privilegedCheck };
      case 'DKER-EE-0002':
        return {
          evaluate: () => {
            throw new TypeError('Cannot read properties of undefined (reading "Mounts")');
          },
        };
      case 'DKER-EE-0004':
        // A broken check answering something that is no verdict.
        return { evaluate: () => ({ status: 'passed', message: 'x', observations: [] }) as unknown as CheckOutcome };
      case 'DKER-EE-0005':
        // A check that is not configured here (e.g. no trust server): manual review, saying why.
        return { evaluate: () => ({ status: 'not-checked', message: 'No trust server is configured for environment prod', observations: [] }) };
      default:
        return undefined;
    }
  },
};

const mappings: ControlMapping[] = [
  { cci: 'CCI-000381', index: 'CM-7 a', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.a', resolved: true },
  { cci: 'CCI-000381', index: 'CM-7 b', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.b', resolved: true },
  { cci: 'CCI-000366', index: 'CM-6 b', revision: '5', controlId: 'cm-6', statementId: 'cm-6_smt.b', resolved: true },
  { cci: 'CCI-002235', index: 'AC-6 (10)', revision: '5', controlId: 'ac-6.10', statementId: 'ac-6.10', resolved: true },
  // Not in any loaded catalog, and a CCI the list doesn't know: neither is claimed.
  { cci: 'CCI-001234', index: 'IR-2 c', revision: '5', controlId: 'ir-2', statementId: 'ir-2_smt.c', resolved: false },
  { cci: 'CCI-999999', index: '', revision: '5', controlId: '', statementId: '', resolved: false },
];

const RULES = [
  rule('DKER-EE-0001', ['CCI-000381', 'CCI-002235', 'CCI-000366']),
  rule('DKER-EE-0002', ['CCI-000366']),
  rule('DKER-EE-0003', ['CCI-001234', 'CCI-999999']),
  rule('DKER-EE-0004', ['CCI-000381']),
  rule('DKER-EE-0005', ['CCI-000381']),
];

describe('evaluateNode', () => {
  const lookup = controlLookupFrom(mappings);

  it('gives one result per rule: check outcomes, not-checked without a check, error when a check throws', () => {
    const results = evaluateNode(RULES, facts(['web'], ['web', 'db']), catalog, lookup);
    expect(results.map((r) => [r.stigId, r.status])).toEqual([
      ['DKER-EE-0001', 'fail'],
      ['DKER-EE-0002', 'error'],
      ['DKER-EE-0003', 'not-checked'],
      ['DKER-EE-0004', 'error'],
      ['DKER-EE-0005', 'not-checked'],
    ]);
    const [privileged, throwing, manual, broken, unconfigured] = results as [typeof results[0], typeof results[0], typeof results[0], typeof results[0], typeof results[0]];
    expect(unconfigured.message).toBe('No trust server is configured for environment prod');
    expect(privileged.message).toBe('1 of 2 containers run privileged');
    expect(privileged.observations.map((o) => [o.target.name, o.value, o.verdict])).toEqual([
      ['web', true, 'fail'],
      ['db', false, 'pass'],
    ]);
    expect(throwing.message).toContain('Cannot read properties of undefined');
    expect(throwing.observations).toEqual([]);
    expect(manual.message).toBe(MANUAL_REVIEW_MESSAGE);
    expect(manual.observations).toEqual([]);
    expect(broken.message).toMatch(/no valid outcome/);
  });

  it('copies the rule identity and maps CCIs to resolved statement ids only', () => {
    const [privileged, , manual] = evaluateNode(RULES, facts([], ['db']), catalog, lookup);
    expect(privileged).toMatchObject({
      nodeId: 'node-1',
      ruleId: 'SV-0001r1_rule',
      groupId: 'V-0001',
      checkContentHash: 'hash-0001',
      severity: 'medium',
      status: 'pass',
      fixText: 'fix DKER-EE-0001',
      ccis: ['CCI-000381', 'CCI-002235', 'CCI-000366'],
      controlIds: ['cm-7_smt.a', 'cm-7_smt.b', 'ac-6.10', 'cm-6_smt.b'],
    });
    expect(manual!.controlIds).toEqual([]);
  });

  it('passes a node on its own facts: no containers is not-applicable, never pass', () => {
    const [r] = evaluateNode(RULES.slice(0, 1), facts([], []), catalog, lookup);
    expect(r!.status).toBe('not-applicable');
  });

  it('never reports a rule without a check as passed', () => {
    const none: CheckCatalog = { checkFor: () => undefined };
    const results = evaluateNode(RULES, facts([], ['db']), none, lookup);
    expect(results.every((r) => r.status === 'not-checked')).toBe(true);
  });
});

describe('selectRules and controlIdsOf', () => {
  it('keeps the rules a profile selects, in benchmark order', () => {
    const selected = selectRules(RULES, { selectedRuleIds: ['SV-0003r1_rule', 'SV-0001r1_rule', 'SV-9999r1_rule'] });
    expect(selected.map((r) => r.stigId)).toEqual(['DKER-EE-0001', 'DKER-EE-0003']);
    expect(selectRules(RULES)).toHaveLength(RULES.length);
  });

  it('deduplicates statement ids', () => {
    expect(controlIdsOf([...mappings, ...mappings])).toEqual(['cm-7_smt.a', 'cm-7_smt.b', 'cm-6_smt.b', 'ac-6.10']);
  });
});
