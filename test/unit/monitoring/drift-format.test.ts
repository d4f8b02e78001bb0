/** One line per change, naming rule, node, target and field; hidden values never shown. */
import { describe, expect, it } from 'vitest';
import type { DriftChange } from '../../../src/domain/drift.js';
import { describeChange } from '../../../src/monitoring/drift-format.js';

const node = { nodeId: 'n1', nodeName: 'prod-1' };

describe('describeChange', () => {
  it('names the rule, node, target (with its key when it is not the name) and field of a regression', () => {
    const c: DriftChange = {
      kind: 'regression', ...node, stigId: 'DKER-EE-001240', ruleId: 'SV-1', severity: 'medium', target: { kind: 'container', key: 'compose/shop/web/1', name: 'shop-web-1' },
      from: 'pass', to: 'fail', fields: [{ field: 'HostConfig.PidMode', old: '', new: 'host' }], reason: 'joined the host PID namespace',
    };
    expect(describeChange(c)).toBe('regression DKER-EE-001240 medium prod-1 container `shop-web-1` (compose/shop/web/1): pass → fail; HostConfig.PidMode "" → "host"');
  });

  it('says a hidden value changed, was added or removed, and never shows it', () => {
    const line = (old: boolean, now: boolean): string =>
      describeChange({ kind: 'evidence-changed', ...node, target: { kind: 'container', key: 'name/db', name: 'db' }, stigIds: [], change: { field: 'Config.Env[DB_PASSWORD]', redacted: true, ...(old ? { old: '[redacted]' } : {}), ...(now ? { new: '[redacted]' } : {}) } });
    expect(line(true, true)).toBe('evidence - prod-1 container `db`: Config.Env[DB_PASSWORD] value changed (not shown)');
    expect(line(false, true)).toBe('evidence - prod-1 container `db`: Config.Env[DB_PASSWORD] added (value not shown)');
    expect(line(true, false)).toBe('evidence - prod-1 container `db`: Config.Env[DB_PASSWORD] removed');
  });

  it('lists what a disappeared target failed, and an expired exemption with its date', () => {
    expect(describeChange({ kind: 'target-disappeared', ...node, target: { kind: 'image', key: 'tag/nginx:1.27', name: 'nginx:1.27' }, ruleCount: 4, failing: [{ stigId: 'R1', severity: 'high' }] }))
      .toBe('disappeared - prod-1 image `nginx:1.27`: 4 rules then, failing R1');
    expect(describeChange({ kind: 'expired', ...node, subject: 'exemption', subjectId: 'ex-1', subjectName: 'ucp-privileged', stigId: 'DKER-EE-001960', expiresAt: '2026-06-30' }))
      .toBe('expired DKER-EE-001960 prod-1 exemption `ucp-privileged` (ex-1): expired 2026-06-30');
  });
});
