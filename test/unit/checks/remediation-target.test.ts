/** Concrete steps for one target: the container's own name in the commands that act on it, nothing invented. */
import { describe, expect, it } from 'vitest';
import { recreatesContainer, remediationForTarget, targetCommands } from '../../../src/checks/remediation.js';

const web = { kind: 'container', name: 'web' };

describe('concrete remediation per target', () => {
  it('names the container in the commands that change it in place', () => {
    expect(targetCommands('DKER-EE-002010', web)).toEqual(['docker update --memory 256m --memory-swap 256m web']);
    expect(targetCommands('DKER-EE-002780', web)).toEqual(['docker update --pids-limit 100 web']);
    expect(targetCommands('DKER-EE-004030', web)).toEqual(['docker update --restart on-failure:5 web']);
  });

  it('gives no command for settings that need the container recreated, and says they do', () => {
    expect(targetCommands('DKER-EE-001240', web)).toEqual([]);
    expect(recreatesContainer('DKER-EE-001240')).toBe(true);
    expect(recreatesContainer('DKER-EE-002010')).toBe(false);
  });

  it('keeps placeholders that name something else than the failing container', () => {
    // --hostname NAME and --ipc=container:NAME are other names; only the recreate command names the container.
    const uts = remediationForTarget('DKER-EE-002060', web)!;
    expect(uts).toContain('`--hostname NAME`');
    expect(uts).toContain('`docker rm -f web`');
    expect(remediationForTarget('DKER-EE-001250', web)).toContain('--ipc=container:NAME');
  });

  it('leaves non-container targets and unknown rules alone', () => {
    expect(targetCommands('DKER-EE-002010', { kind: 'daemon', name: 'engine' })).toEqual([]);
    expect(remediationForTarget('DKER-EE-005210', { kind: 'file', name: '/etc/docker' })).toBe('`chown root:root /etc/docker`.');
    expect(remediationForTarget('DKER-EE-000000', web)).toBeUndefined();
  });
});
