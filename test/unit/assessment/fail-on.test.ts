/** The --fail-on gate: which failed rules count at a threshold, and what the CLI prints and exits with. */
import { describe, expect, it } from 'vitest';
import { atOrAbove, decideFailOn, FAIL_ON_SEVERITIES, isFailOnSeverity } from '../../../src/assessment/fail-on.js';
import { CliExit, describeError, EXIT, formatFailOn } from '../../../src/cli/format.js';
import type { RuleExemption, RuleResult, RuleStatus, Severity } from '../../../src/domain/results.js';

const EXEMPTION: RuleExemption = { id: 'ex-1', name: 'vendor agent', justification: 'needs it', approvedBy: 'alice', approvedAt: '2024-07-01T00:00:00Z', expiresAt: '2099-01-01' };

function r(stigId: string, severity: Severity, status: RuleStatus, extra: Partial<RuleResult> = {}): RuleResult {
  return {
    nodeId: extra.nodeId ?? 'node-1', stigId, ruleId: `SV-${stigId}`, groupId: 'V-1', checkContentHash: '0'.repeat(64), title: `Title ${stigId}`, severity, status,
    message: '', observations: [], controlIds: [], ccis: [], fixText: '', ...extra,
  };
}

const RESULTS: RuleResult[] = [
  r('DKER-EE-002030', 'high', 'fail'),
  r('DKER-EE-002030', 'high', 'fail', { nodeId: 'node-0' }),
  r('DKER-EE-001960', 'medium', 'fail'),
  r('DKER-EE-002020', 'low', 'fail'),
  r('DKER-EE-002110', 'high', 'pass'),
  r('DKER-EE-005170', 'high', 'error'),
  r('DKER-EE-001070', 'high', 'not-checked'),
  r('DKER-EE-002000', 'high', 'not-applicable'),
];

describe('decideFailOn', () => {
  it('counts failed rules at or above the threshold, highest first, then STIG id and node', () => {
    expect(decideFailOn(RESULTS, 'high').open.map((o) => [o.stigId, o.nodeId])).toEqual([['DKER-EE-002030', 'node-0'], ['DKER-EE-002030', 'node-1']]);
    expect(decideFailOn(RESULTS, 'medium').open.map((o) => o.stigId)).toEqual(['DKER-EE-002030', 'DKER-EE-002030', 'DKER-EE-001960']);
    expect(decideFailOn(RESULTS, 'low').open.map((o) => o.severity)).toEqual(['high', 'high', 'medium', 'low']);
    expect(decideFailOn(RESULTS, 'low')).toMatchObject({ threshold: 'low', failed: true, exempted: 0 });
  });

  it('passes when only lower severities fail, and ignores pass, error, not-checked and not-applicable', () => {
    const lowOnly = RESULTS.filter((x) => !(x.status === 'fail' && x.severity !== 'low'));
    expect(decideFailOn(lowOnly, 'high')).toEqual({ threshold: 'high', failed: false, open: [], exempted: 0 });
    expect(decideFailOn(lowOnly, 'medium').failed).toBe(false);
    expect(decideFailOn(lowOnly, 'low').open).toEqual([{ stigId: 'DKER-EE-002020', nodeId: 'node-1', severity: 'low', title: 'Title DKER-EE-002020' }]);
    expect(decideFailOn([], 'low').failed).toBe(false);
  });

  it('does not count failures fully covered by an approved exemption, but does count partly covered ones', () => {
    const covered = [r('DKER-EE-002030', 'high', 'fail', { exemption: EXEMPTION }), r('DKER-EE-001960', 'low', 'fail')];
    expect(decideFailOn(covered, 'high')).toEqual({ threshold: 'high', failed: false, open: [], exempted: 1 });
    // Partly covered: the failing observation of `db` has no exemption, so no `exemption` on the result.
    const partly = r('DKER-EE-002030', 'high', 'fail', {
      observations: [
        { target: { kind: 'container', id: 'a', name: 'agent' }, field: 'HostConfig.ReadonlyRootfs', value: false, expected: 'true', verdict: 'fail', message: '', collectedAt: '', exemptedBy: 'ex-1' },
        { target: { kind: 'container', id: 'b', name: 'db' }, field: 'HostConfig.ReadonlyRootfs', value: false, expected: 'true', verdict: 'fail', message: '', collectedAt: '' },
      ],
    });
    expect(decideFailOn([partly], 'high').failed).toBe(true);
  });

  it('counts a failure of unknown severity at every threshold', () => {
    for (const t of FAIL_ON_SEVERITIES) expect(decideFailOn([r('X-1', 'unknown', 'fail')], t).failed).toBe(true);
    expect(atOrAbove('medium', 'high')).toBe(false);
    expect(atOrAbove('high', 'low')).toBe(true);
    expect(isFailOnSeverity('medium')).toBe(true);
    expect(isFailOnSeverity('critical')).toBe(false);
  });
});

describe('the CLI side of --fail-on', () => {
  it('lists the open failures and exits 4 through describeError, without an error code', () => {
    const lines = formatFailOn(decideFailOn([...RESULTS, r('DKER-EE-001960', 'medium', 'fail', { nodeId: 'node-2', exemption: EXEMPTION })], 'medium'));
    expect(lines).toEqual([
      'fail-on medium: 3 failed rules at or above medium remain open (1 more covered by approved exemptions)',
      '  high    DKER-EE-002030  node-0  Title DKER-EE-002030',
      '  high    DKER-EE-002030  node-1  Title DKER-EE-002030',
      '  medium  DKER-EE-001960  node-1  Title DKER-EE-001960',
    ]);
    expect(EXIT.findingsAtOrAbove).toBe(4);
    expect(describeError(new CliExit(EXIT.findingsAtOrAbove, lines))).toEqual({ lines, exitCode: 4 });
  });

  it('says so in one line when nothing is open', () => {
    expect(formatFailOn(decideFailOn([], 'high'))).toEqual(['fail-on high: no open failed rule at or above high']);
    expect(formatFailOn(decideFailOn([r('A', 'high', 'fail', { exemption: EXEMPTION })], 'high'))).toEqual(['fail-on high: no open failed rule at or above high (1 more covered by approved exemptions)']);
  });
});
