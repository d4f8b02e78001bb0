/** Each rule's decision on the values the engine can report, including the borderline ones. */
import { describe, expect, it } from 'vitest';
import { sensitiveDirectoryOf } from '../../../src/checks/mounts.js';
import { checkFor } from '../../../src/checks/registry.js';
import { parseSecurityOpt } from '../../../src/checks/security-opts.js';
import { nodeFacts, variant } from './facts-helpers.js';

/** The status of one rule on one container made from the hardened recording with `hostConfig` replaced. */
function statusOf(stigId: string, hostConfig: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  const check = checkFor(stigId);
  if (check === undefined) throw new Error(`no check ${stigId}`);
  return check.evaluate(nodeFacts([variant('c', hostConfig, top)])).status;
}

const bind = (Source: string, RW: boolean, Destination = '/mnt', Type = 'bind') => ({ Type, Source, Destination, Mode: RW ? '' : 'ro', RW, Propagation: 'rprivate' });

describe('namespace rules', () => {
  const cases: [string, string][] = [
    ['DKER-EE-002000', 'NetworkMode'],
    ['DKER-EE-001240', 'PidMode'],
    ['DKER-EE-001250', 'IpcMode'],
    ['DKER-EE-002060', 'UTSMode'],
    ['DKER-EE-002120', 'UsernsMode'],
  ];
  for (const [stigId, field] of cases) {
    it(`${stigId} fails ${field} "host" only`, () => {
      expect(statusOf(stigId, { [field]: 'host' })).toBe('fail');
      for (const other of ['', 'private', 'none', 'bridge', 'container:abc', 'HOST-ish']) expect(statusOf(stigId, { [field]: other }), other).toBe('pass');
      if (field !== 'IpcMode') expect(statusOf(stigId, { [field]: 'shareable' })).toBe('pass');
      expect(statusOf(stigId, { [field]: null })).toBe('error');
      expect(statusOf(stigId, { [field]: undefined })).toBe('error');
    });
  }
  it('DKER-EE-001250 fails "shareable", the check text\'s finding, as well as "host"', () => {
    expect(statusOf('DKER-EE-001250', { IpcMode: 'shareable' })).toBe('fail');
  });
});

describe('privilege rules', () => {
  it('DKER-EE-001960 fails Privileged true', () => {
    expect(statusOf('DKER-EE-001960', { Privileged: true })).toBe('fail');
    expect(statusOf('DKER-EE-001960', { Privileged: false })).toBe('pass');
    expect(statusOf('DKER-EE-001960', { Privileged: null })).toBe('error');
  });
  it('DKER-EE-001950 fails any added capability', () => {
    expect(statusOf('DKER-EE-001950', { CapAdd: ['CAP_NET_ADMIN'] })).toBe('fail');
    expect(statusOf('DKER-EE-001950', { CapAdd: ['NET_BIND_SERVICE'], CapDrop: ['ALL'] })).toBe('fail');
    expect(statusOf('DKER-EE-001950', { CapAdd: null })).toBe('pass');
    expect(statusOf('DKER-EE-001950', { CapAdd: [] })).toBe('pass');
    expect(statusOf('DKER-EE-001950', { CapAdd: 'NET_ADMIN' })).toBe('error');
    expect(statusOf('DKER-EE-001950', { CapAdd: undefined })).toBe('error');
  });
});

describe('security option rules', () => {
  it('parses options like the engine', () => {
    expect(parseSecurityOpt('no-new-privileges')).toEqual({ key: 'no-new-privileges' });
    expect(parseSecurityOpt('no-new-privileges:true')).toEqual({ key: 'no-new-privileges', value: 'true' });
    expect(parseSecurityOpt('seccomp=/p:x.json')).toEqual({ key: 'seccomp', value: '/p:x.json' });
  });
  it('DKER-EE-002110 requires no-new-privileges to be set, the last one winning', () => {
    const s = (SecurityOpt: unknown) => statusOf('DKER-EE-002110', { SecurityOpt });
    for (const on of [['no-new-privileges'], ['no-new-privileges:true'], ['no-new-privileges=true'], ['label=disable', 'no-new-privileges=1'], ['no-new-privileges=false', 'no-new-privileges']]) {
      expect(s(on), on.join(' ')).toBe('pass');
    }
    for (const off of [null, [], ['label=disable'], ['no-new-privileges=false'], ['no-new-privileges:false'], ['no-new-privileges', 'no-new-privileges=0'], ['no-new-privileges-please']]) {
      expect(s(off), JSON.stringify(off)).toBe('fail');
    }
    expect(s('no-new-privileges')).toBe('error');
    expect(s(undefined)).toBe('error');
  });
  it('DKER-EE-002070 fails seccomp unconfined in either syntax', () => {
    const s = (SecurityOpt: unknown) => statusOf('DKER-EE-002070', { SecurityOpt });
    expect(s(['seccomp=unconfined'])).toBe('fail');
    expect(s(['no-new-privileges', 'seccomp:unconfined'])).toBe('fail');
    expect(s(['seccomp=/etc/docker/seccomp.json'])).toBe('pass');
    expect(s(null)).toBe('pass');
    expect(s(['apparmor=unconfined'])).toBe('pass');
    expect(s([42])).toBe('error');
    expect(s(undefined)).toBe('error');
  });
  it('DKER-EE-002070 fails a privileged container, which the engine runs without seccomp', () => {
    expect(statusOf('DKER-EE-002070', { SecurityOpt: null, Privileged: true })).toBe('fail');
    expect(statusOf('DKER-EE-002070', { SecurityOpt: ['seccomp=/etc/docker/seccomp.json'], Privileged: true })).toBe('fail');
    expect(statusOf('DKER-EE-002070', { SecurityOpt: null, Privileged: undefined })).toBe('error');
  });
});

describe('resource rules', () => {
  it('DKER-EE-002010 requires Memory > 0', () => {
    expect(statusOf('DKER-EE-002010', { Memory: 268435456 })).toBe('pass');
    expect(statusOf('DKER-EE-002010', { Memory: 0 })).toBe('fail');
    expect(statusOf('DKER-EE-002010', { Memory: '256m' })).toBe('error');
  });
  it('DKER-EE-002780 requires PidsLimit > 0', () => {
    expect(statusOf('DKER-EE-002780', { PidsLimit: 100 })).toBe('pass');
    for (const unlimited of [null, 0, -1]) expect(statusOf('DKER-EE-002780', { PidsLimit: unlimited }), String(unlimited)).toBe('fail');
    expect(statusOf('DKER-EE-002780', { PidsLimit: undefined })).toBe('error');
    expect(statusOf('DKER-EE-002780', { PidsLimit: '100' })).toBe('error');
  });
});

describe('filesystem rules', () => {
  it('DKER-EE-002030 requires ReadonlyRootfs true', () => {
    expect(statusOf('DKER-EE-002030', { ReadonlyRootfs: true })).toBe('pass');
    expect(statusOf('DKER-EE-002030', { ReadonlyRootfs: false })).toBe('fail');
    expect(statusOf('DKER-EE-002030', { ReadonlyRootfs: undefined })).toBe('error');
  });

  it('DKER-EE-002130 fails a Docker socket at either end of a mount, read-only or not', () => {
    const s = (Mounts: unknown) => statusOf('DKER-EE-002130', {}, { Mounts });
    expect(s([bind('/var/run/docker.sock', true, '/var/run/docker.sock')])).toBe('fail');
    expect(s([bind('/run/docker.sock', false, '/sock')])).toBe('fail');
    expect(s([bind('/srv/sock', true, '/var/run/docker.sock')])).toBe('fail');
    expect(s([bind('\\\\.\\pipe\\docker_engine', true, '\\\\.\\pipe\\docker_engine', 'npipe')])).toBe('fail');
    expect(s([bind('/srv/data', true)])).toBe('pass');
    expect(s([])).toBe('pass');
    expect(s(null)).toBe('pass');
    expect(s([{ Destination: '/x' }])).toBe('error');
    expect(s('x')).toBe('error');
  });

  it('knows which host paths are sensitive', () => {
    for (const p of ['/', '/etc', '/etc/', '/etc/shadow', '/usr/share', '/proc/1', '/sys', '/boot', '/dev', '/lib/modules', '/etc/../usr', '//etc']) {
      expect(sensitiveDirectoryOf(p), p).toBeDefined();
    }
    for (const p of ['/etcetera', '/srv/data', '/var/lib/app', '/tmp', '/home/u', '/library', 'etc', '/usrlocal']) {
      expect(sensitiveDirectoryOf(p), p).toBeUndefined();
    }
  });

  it('DKER-EE-001190 fails read-write bind mounts of sensitive directories only', () => {
    const s = (Mounts: unknown) => statusOf('DKER-EE-001190', {}, { Mounts });
    expect(s([bind('/', true, '/host')])).toBe('fail');
    expect(s([bind('/srv', true), bind('/proc', true, '/host/proc')])).toBe('fail');
    expect(s([bind('/lib/modules', true)])).toBe('fail');
    expect(s([bind('/etc', false)])).toBe('pass');
    expect(s([bind('/srv/data', true)])).toBe('pass');
    // A named volume's data lives under the engine's root, not a sensitive directory of its own choosing.
    expect(s([bind('/var/lib/docker/volumes/v/_data', true, '/data', 'volume')])).toBe('pass');
    expect(s([{ ...bind('/etc', true), RW: undefined }])).toBe('error');
  });

  it('never reads a mount field the engine left out as harmless: no Type, Source, Destination, RW or Propagation is an error', () => {
    for (const field of ['Type', 'Source', 'Destination', 'RW']) {
      // Not even on a mount of a harmless directory: without Type it could be a bind of anything.
      const mount = { ...bind('/srv/data', true), [field]: undefined };
      for (const stigId of ['DKER-EE-001190', 'DKER-EE-002130']) expect(statusOf(stigId, {}, { Mounts: [mount] }), `${stigId} without ${field}`).toBe('error');
    }
    expect(statusOf('DKER-EE-002050', {}, { Mounts: [{ ...bind('/srv/data', true), Propagation: undefined }] })).toBe('error');
    expect(statusOf('DKER-EE-002050', {}, { Mounts: [bind('/srv/data', true)] })).toBe('pass');
  });
});
