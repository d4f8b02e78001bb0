import { describe, expect, it } from 'vitest';
import { applyExemptions, type ExemptionScope } from '../../../src/assessment/apply-exemptions.js';
import { summarize } from '../../../src/domain/assessment.js';
import type { Exemption, ExemptionLifecycle } from '../../../src/domain/exemption.js';
import type { ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import type { Observation, RuleResult } from '../../../src/domain/results.js';

const NOW = new Date('2026-01-15T00:00:00Z');
const APPROVED: ExemptionLifecycle = { status: 'approved', approvedBy: 'carol', approvedAt: '2025-12-01T00:00:00Z' };

function container(id: string, name: string, labels: Record<string, string> | null = null): ContainerFacts {
  return { id, name, image: 'busybox', inspect: { Id: id, Name: `/${name}`, Config: { Labels: labels } } };
}

function facts(nodeId: string, containers: ContainerFacts[]): NodeFacts {
  return { nodeId, nodeName: nodeId, endpoint: `unix:///${nodeId}.sock`, collectedAt: '2026-01-15T00:00:00Z', version: {}, info: {}, containers };
}

function obs(c: ContainerFacts, verdict: 'pass' | 'fail'): Observation {
  return {
    target: { kind: 'container', id: c.id, name: c.name },
    field: 'HostConfig.Privileged',
    value: verdict === 'fail',
    expected: 'false',
    verdict,
    message: `Container ${c.name}`,
    collectedAt: '2026-01-15T00:00:00Z',
  };
}

function result(stigId: string, observations: Observation[], nodeId = 'n1', severity: RuleResult['severity'] = 'high'): RuleResult {
  const status = observations.some((o) => o.verdict === 'fail') ? 'fail' : 'pass';
  return {
    nodeId,
    stigId,
    ruleId: `SV-${stigId}_rule`,
    groupId: `V-${stigId}`,
    checkContentHash: 'h',
    title: stigId,
    severity,
    status,
    message: 'm',
    observations,
    controlIds: [],
    ccis: [],
    fixText: 'fix',
  };
}

function exemption(id: string, over: Partial<Exemption> = {}): Exemption {
  return {
    id,
    name: `exemption ${id}`,
    kind: 'risk-accepted',
    rule: 'DKER-EE-001960',
    target: { container: 'ucp-*', labels: {} },
    justification: `justified ${id}`,
    requestedBy: 'alice',
    requestedByTokenId: 't-alice',
    requestedAt: '2025-11-01T00:00:00Z',
    expiresAt: '2027-06-30',
    lifecycle: APPROVED,
    ...over,
  };
}

const ucp = container('c-ucp', 'ucp-agent-x', { 'com.docker.ucp.role': 'agent', tier: 'platform' });
const web = container('c-web', 'web-1', { tier: 'frontend' });
const db = container('c-db', 'db', null);
const scope: ExemptionScope = {
  now: NOW,
  nodes: [
    { id: 'n1', name: 'node-one', endpoint: 'unix:///n1.sock' },
    { id: 'n2', name: 'node-two', endpoint: 'tcp://10.0.0.2:2376' },
  ],
  facts: [facts('n1', [ucp, web, db]), facts('n2', [container('c-ucp2', 'ucp-agent-y')])],
};

describe('applyExemptions', () => {
  it('marks the matching failing observation exempted, keeps every observation, and leaves a partly covered rule open', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail'), obs(web, 'fail'), obs(db, 'pass')]);
    const [out] = applyExemptions([r], [exemption('x1')], scope);
    expect(out!.status).toBe('fail');
    expect(out!.observations).toHaveLength(3);
    expect(out!.observations.map((o) => [o.target.name, o.verdict, o.exemptedBy])).toEqual([
      ['ucp-agent-x', 'fail', 'x1'],
      ['web-1', 'fail', undefined],
      ['db', 'pass', undefined],
    ]);
    expect(out!.exemption).toBeUndefined();
    expect(summarize([out!]).exempted).toBeUndefined();
    // The input is not modified.
    expect(r.observations[0]!.exemptedBy).toBeUndefined();
  });

  it('records the exemption on a rule whose every failing observation is covered, still as a failure', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail'), obs(web, 'pass')]);
    const [out] = applyExemptions([r], [exemption('x1')], scope);
    expect(out!.status).toBe('fail');
    expect(out!.exemption).toEqual({ id: 'x1', name: 'exemption x1', kind: 'risk-accepted', justification: 'justified x1', approvedBy: 'carol', approvedAt: '2025-12-01T00:00:00Z', expiresAt: '2027-06-30' });
    const summary = summarize([out!, result('DKER-EE-002000', [obs(web, 'fail')], 'n1', 'medium')]);
    expect(summary.counts.fail).toBe(2);
    expect(summary.failedBySeverity).toEqual({ high: 1, medium: 1, low: 0, unknown: 0 });
    expect(summary.exempted).toEqual({ count: 1, bySeverity: { high: 1, medium: 0, low: 0, unknown: 0 } });
  });

  it('matches by label, requiring every label, and by glob and label together', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail'), obs(web, 'fail'), obs(db, 'fail')]);
    const byLabel = exemption('l1', { target: { labels: { tier: 'frontend' } } });
    expect(applyExemptions([r], [byLabel], scope)[0]!.observations.map((o) => o.exemptedBy)).toEqual([undefined, 'l1', undefined]);

    const wrongValue = exemption('l2', { target: { labels: { tier: 'backend' } } });
    const twoLabels = exemption('l3', { target: { labels: { tier: 'platform', 'com.docker.ucp.role': 'manager' } } });
    const globAndLabel = exemption('l4', { target: { container: 'web-*', labels: { tier: 'platform' } } });
    expect(applyExemptions([r], [wrongValue, twoLabels, globAndLabel], scope)[0]).toBe(r);

    const bothMatch = exemption('l5', { target: { container: 'ucp-*', labels: { tier: 'platform' } } });
    expect(applyExemptions([r], [bothMatch], scope)[0]!.observations.map((o) => o.exemptedBy)).toEqual(['l5', undefined, undefined]);
  });

  it('anchors globs and treats other characters literally', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail'), obs(web, 'fail')]);
    const cases: [string, (string | undefined)[]][] = [
      ['ucp', [undefined, undefined]],
      ['agent-x', [undefined, undefined]],
      ['*agent*', ['g', undefined]],
      ['web-?', [undefined, 'g']],
      ['web.1', [undefined, undefined]],
      ['*', ['g', 'g']],
    ];
    for (const [pattern, expected] of cases) {
      const out = applyExemptions([r], [exemption('g', { target: { container: pattern, labels: {} } })], scope)[0]!;
      expect(out.observations.map((o) => o.exemptedBy), pattern).toEqual(expected);
    }
  });

  it('never applies an expired exemption, and says on the result that one existed', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail')]);
    const lapsed = exemption('old', { expiresAt: '2026-01-14' });
    const [out] = applyExemptions([r], [lapsed], scope);
    expect(out!.observations[0]!.exemptedBy).toBeUndefined();
    expect(out!.exemption).toBeUndefined();
    expect(out!.expiredExemptions).toEqual([{ id: 'old', name: 'exemption old', expiresAt: '2026-01-14' }]);
    // Valid through its expiry day.
    expect(applyExemptions([r], [exemption('today', { expiresAt: '2026-01-15' })], scope)[0]!.exemption?.id).toBe('today');
    // An expired one that would not have matched is not mentioned.
    expect(applyExemptions([result('DKER-EE-001960', [obs(web, 'fail')])], [lapsed], scope)[0]!.expiredExemptions).toBeUndefined();
  });

  it('never applies requested, rejected or revoked exemptions, nor mentions them', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail')]);
    const unapproved = [
      exemption('req', { lifecycle: { status: 'requested' } }),
      exemption('rej', { lifecycle: { status: 'rejected', rejectedBy: 'carol', rejectedAt: '2025-12-01T00:00:00Z', reason: 'no' } }),
      exemption('rev', { lifecycle: { ...APPROVED, status: 'revoked', revokedBy: 'carol', revokedAt: '2025-12-02T00:00:00Z' } }),
    ];
    expect(applyExemptions([r], unapproved, scope)[0]).toBe(r);
  });

  it('applies * to every rule, a STIG id to that rule only, and a node ref to that node only', () => {
    const results = [
      result('DKER-EE-001960', [obs(ucp, 'fail')]),
      result('DKER-EE-002000', [obs(ucp, 'fail')]),
      result('DKER-EE-001960', [obs(container('c-ucp2', 'ucp-agent-y'), 'fail')], 'n2'),
    ];
    expect(applyExemptions(results, [exemption('all', { rule: '*' })], scope).map((r) => r.exemption?.id)).toEqual(['all', 'all', 'all']);
    expect(applyExemptions(results, [exemption('one')], scope).map((r) => r.exemption?.id)).toEqual(['one', undefined, 'one']);
    for (const node of ['n2', 'node-two', 'tcp://10.0.0.2:2376']) {
      const out = applyExemptions(results, [exemption('n', { rule: '*', target: { container: 'ucp-*', labels: {}, node } })], scope);
      expect(out.map((r) => r.exemption?.id), node).toEqual([undefined, undefined, 'n']);
    }
  });

  it('touches only failed results and only containers', () => {
    const passed = result('DKER-EE-001960', [obs(ucp, 'pass')]);
    const daemon: RuleResult = { ...result('DKER-EE-001440', []), status: 'fail', observations: [{ ...obs(ucp, 'fail'), target: { kind: 'daemon', id: 'ucp-daemon', name: 'ucp-daemon' } }] };
    const errored: RuleResult = { ...result('DKER-EE-001960', [obs(ucp, 'fail')]), status: 'error' };
    const out = applyExemptions([passed, daemon, errored], [exemption('all', { rule: '*' })], scope);
    expect(out[0]).toBe(passed);
    expect(out[1]).toBe(daemon);
    expect(out[2]).toBe(errored);
  });

  it('records each observation under the longest-lasting exemption, the result under the first to expire', () => {
    const r = result('DKER-EE-001960', [obs(ucp, 'fail'), obs(web, 'fail')]);
    const short = exemption('short', { target: { container: '*', labels: {} }, expiresAt: '2026-03-01' });
    const long = exemption('long', { target: { container: 'ucp-*', labels: {} }, expiresAt: '2028-01-01' });
    for (const order of [[short, long], [long, short]]) {
      const [out] = applyExemptions([r], order, scope);
      expect(out!.observations.map((o) => o.exemptedBy)).toEqual(['long', 'short']);
      expect(out!.exemption?.id).toBe('short');
    }
  });
});

describe('risk acceptance of a whole failed rule (allTargets)', () => {
  const whole = (id: string, over: Partial<Exemption> = {}): Exemption => exemption(id, { target: { allTargets: true, labels: {} }, ...over });

  it('covers a failure with no failing observations (a manual rule a review found failing), still a failure, apart from open', () => {
    const r: RuleResult = { ...result('DKER-EE-001070', []), status: 'fail' };
    const [out] = applyExemptions([r], [whole('w1', { rule: 'DKER-EE-001070' })], scope);
    expect(out!.status).toBe('fail');
    expect(out!.exemption).toMatchObject({ id: 'w1', kind: 'risk-accepted' });
    expect(summarize([out!]).exempted?.count).toBe(1);
  });

  it('covers every failing observation of any target kind on the matching node only', () => {
    const r = result('DKER-EE-001960', [obs(web, 'fail'), obs(db, 'fail')]);
    const [n1] = applyExemptions([r], [whole('w1', { target: { allTargets: true, labels: {}, node: 'node-one' } })], scope);
    expect(n1!.observations.map((o) => o.exemptedBy)).toEqual(['w1', 'w1']);
    expect(n1!.exemption?.id).toBe('w1');
    const [n2] = applyExemptions([{ ...r, nodeId: 'n2' }], [whole('w1', { target: { allTargets: true, labels: {}, node: 'node-one' } })], scope);
    expect(n2!.exemption).toBeUndefined();
  });

  it('never applies when expired, and is listed as expired; container exemptions never cover a failure without observations', () => {
    const r: RuleResult = { ...result('DKER-EE-001070', []), status: 'fail' };
    const [lapsed] = applyExemptions([r], [whole('w1', { rule: 'DKER-EE-001070', expiresAt: '2026-01-01' })], scope);
    expect(lapsed!.exemption).toBeUndefined();
    expect(lapsed!.expiredExemptions?.map((e) => e.id)).toEqual(['w1']);
    const [containerOnly] = applyExemptions([r], [exemption('x1', { rule: 'DKER-EE-001070' })], scope);
    expect(containerOnly!.exemption).toBeUndefined();
  });
});
