/** The per-target comparison (pure): transitions by stable key, presence, unknown kinds, rules, deciding fields. */
import { describe, expect, it } from 'vitest';
import type { TargetState } from '../../../src/domain/drift.js';
import type { Observation } from '../../../src/domain/results.js';
import type { AssessedTargetKind } from '../../../src/domain/target-results.js';
import { ALL_KINDS, classifyTransition, compareTargets, transitionFields } from '../../../src/monitoring/drift-engine.js';

let nextId = 1;
function state(kind: AssessedTargetKind, key: string, stigId: string, status: TargetState['status'], over: Partial<TargetState> = {}): TargetState {
  return { id: nextId++, kind, key, name: key.replace(/^name\//, ''), stigId, ruleId: `SV-${stigId}_rule`, severity: 'medium', status, message: `${status} message`, ...over };
}
const side = (states: TargetState[], kinds: ReadonlySet<AssessedTargetKind> = ALL_KINDS) => ({ nodeId: 'n1', nodeName: 'local', states, collectedKinds: kinds });

describe('classifyTransition', () => {
  it.each([
    ['pass', 'fail', 'regression'],
    ['absent', 'fail', 'regression'],
    ['error', 'fail', 'regression'],
    ['fail', 'pass', 'remediation'],
    ['pass', 'error', 'error-appeared'],
    ['error', 'pass', 'error-cleared'],
    ['pass', 'not-applicable', 'status-changed'],
    ['fail', 'absent', 'status-changed'],
    ['pass', 'pass', undefined],
  ] as const)('%s → %s is %s', (from, to, kind) => {
    expect(classifyTransition(from, to)).toBe(kind);
  });

  it('a failure under another exemption is an exemption change; the same exemption is no change', () => {
    expect(classifyTransition('fail', 'fail', 'ex-1', undefined)).toBe('exemption-changed');
    expect(classifyTransition('fail', 'fail', 'ex-1', 'ex-1')).toBeUndefined();
  });
});

describe('compareTargets', () => {
  it('matches targets by kind and stable key (a recreated container is the same target) and names the regression', () => {
    const old = [state('container', 'name/api', 'DKER-EE-002000', 'pass', { id: 1 }), state('container', 'name/db', 'DKER-EE-002000', 'pass')];
    const now = [state('container', 'name/api', 'DKER-EE-002000', 'fail', { id: 2 }), state('container', 'name/db', 'DKER-EE-002000', 'pass')];
    const r = compareTargets(side(old), side(now));
    expect(r.presence).toEqual([]);
    expect(r.transitions).toHaveLength(1);
    expect(r.transitions[0]).toMatchObject({ oldId: 1, newId: 2, change: { kind: 'regression', stigId: 'DKER-EE-002000', from: 'pass', to: 'fail', target: { kind: 'container', key: 'name/api', name: 'api' } } });
  });

  it('reports a target in one run only once, as appeared or disappeared, with the rules it failed', () => {
    const old = [state('container', 'name/old', 'R1', 'fail', { severity: 'high' }), state('container', 'name/old', 'R2', 'pass'), state('container', 'name/kept', 'R1', 'pass')];
    const now = [state('container', 'name/fresh', 'R1', 'pass'), state('container', 'name/fresh', 'R2', 'pass'), state('container', 'name/kept', 'R1', 'pass')];
    const r = compareTargets(side(old), side(now));
    expect(r.transitions).toEqual([]);
    expect(r.presence.map((p) => [p.kind, p.target.name, p.ruleCount, p.failing])).toEqual([
      ['target-appeared', 'fresh', 2, []],
      ['target-disappeared', 'old', 2, [{ stigId: 'R1', severity: 'high' }]],
    ]);
  });

  it('a kind not collected on one side is unknown there, not gone: only a failure on the known side is reported', () => {
    const old = [state('image', 'tag/a:1', 'R1', 'pass'), state('image', 'tag/b:1', 'R1', 'fail')];
    const now: TargetState[] = [state('node', 'node', 'R1', 'error')];
    const kinds = new Set<AssessedTargetKind>(['node', 'daemon', 'container']);
    const r = compareTargets(side(old), side(now, kinds));
    expect(r.presence).toEqual([]);
    expect(r.transitions.map((t) => [t.change.target.key, t.change.kind])).toEqual([['node', 'error-appeared']]);
  });

  it('the node and its daemon never appear or disappear', () => {
    const r = compareTargets(side([state('daemon', 'daemon', 'R1', 'pass')]), side([state('container', 'name/x', 'R1', 'pass')]));
    expect(r.presence.map((p) => [p.kind, p.target.kind])).toEqual([['target-appeared', 'container']]);
    expect(r.transitions.map((t) => [t.change.target.kind, t.change.from, t.change.to, t.change.kind])).toEqual([['daemon', 'pass', 'absent', 'status-changed']]);
  });

  it('a rule in one run only is reported once as added or removed, not per target', () => {
    const old = [state('container', 'name/a', 'OLD', 'fail'), state('container', 'name/a', 'BOTH', 'pass')];
    const now = [state('container', 'name/a', 'NEW', 'fail'), state('container', 'name/a', 'BOTH', 'pass')];
    const r = compareTargets(side(old), side(now));
    expect(r.transitions).toEqual([]);
    expect(r.rules.map((x) => [x.kind, x.stigId, x.failingTargets])).toEqual([['rule-added', 'NEW', 1], ['rule-removed', 'OLD', 1]]);
  });
});

describe('transitionFields', () => {
  const obs = (field: string, value: unknown, verdict: Observation['verdict']): Observation => ({ target: { kind: 'container', id: 'c1', name: 'api' }, field, value, expected: 'x', verdict, message: '', collectedAt: '2026-01-01T00:00:00Z' });
  const change = (from: 'pass' | 'fail', to: 'pass' | 'fail') => ({ kind: 'regression' as const, nodeId: 'n', nodeName: 'n', stigId: 'R', ruleId: 'R', severity: 'medium' as const, target: { kind: 'container' as const, key: 'name/api', name: 'api' }, from, to, fields: [], reason: '' });

  it('gives the failing fields of the failing side with both values', () => {
    const fields = transitionFields(change('pass', 'fail'), [obs('HostConfig.PidMode', '', 'pass'), obs('HostConfig.IpcMode', '', 'pass')], [obs('HostConfig.PidMode', 'host', 'fail'), obs('HostConfig.IpcMode', '', 'pass')]);
    expect(fields).toEqual([{ field: 'HostConfig.PidMode', old: '', new: 'host' }]);
  });

  it('never gives an environment value, only that it is hidden', () => {
    const fields = transitionFields(change('pass', 'fail'), [obs('Config.Env[API_KEY]', 'hash-a', 'pass')], [obs('Config.Env[API_KEY]', 'hash-b', 'fail')]);
    expect(fields).toEqual([{ field: 'Config.Env[API_KEY]', redacted: true }]);
  });
});
