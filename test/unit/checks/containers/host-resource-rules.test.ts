import { describe, expect, it } from 'vitest';
import { container, evaluate, facts, statusOf, verdicts } from './container-facts.js';

describe('DKER-EE-002020 CPU shares', () => {
  it('fails 0 and 1024 (the STIG text) and passes other weights', () => {
    expect(statusOf('DKER-EE-002020', container('c', { 'HostConfig.CpuShares': 0 }))).toBe('fail');
    expect(statusOf('DKER-EE-002020', container('c', { 'HostConfig.CpuShares': 1024 }))).toBe('fail');
    for (const v of [2, 512, 2048]) expect(statusOf('DKER-EE-002020', container('c', { 'HostConfig.CpuShares': v })), String(v)).toBe('pass');
    expect(statusOf('DKER-EE-002020', container('c', { 'HostConfig.CpuShares': null }))).toBe('error');
    expect(statusOf('DKER-EE-002020', container('c', { 'HostConfig.CpuShares': undefined }))).toBe('error');
  });
});

describe('DKER-EE-002040 host devices', () => {
  it('fails any device, naming it with its permissions; passes none', () => {
    const outcome = evaluate('DKER-EE-002040', facts([container('dev', { 'HostConfig.Devices': [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'rwm' }] }), container('none', { 'HostConfig.Devices': [] }), container('nil', { 'HostConfig.Devices': null })]));
    expect(verdicts(outcome)).toEqual({ dev: ['fail'], none: ['pass'], nil: ['pass'] });
    expect(outcome.observations[0]?.message).toContain('/dev/sda at /dev/xvda (rwm)');
    expect(statusOf('DKER-EE-002040', container('c', { 'HostConfig.Devices': 'x' }))).toBe('error');
  });
});

describe('DKER-EE-002050 mount propagation', () => {
  const mount = (Propagation: unknown, Source = '/data') => ({ Type: 'bind', Source, Destination: '/mnt', Mode: '', RW: true, Propagation });
  it('fails shared and rshared, passes private, slave and volumes', () => {
    const outcome = evaluate(
      'DKER-EE-002050',
      facts([
        container('shared', { Mounts: [mount('rprivate', '/a'), mount('shared', '/b')] }),
        container('rshared', { Mounts: [mount('rshared')] }),
        container('private', { Mounts: [mount('rprivate'), mount('rslave'), { Type: 'volume', Name: 'v', Source: '/var/lib/docker/volumes/v/_data', Destination: '/v', Propagation: '' }] }),
        container('none', { Mounts: [] }),
      ]),
    );
    expect(verdicts(outcome)).toEqual({ shared: ['fail'], rshared: ['fail'], private: ['pass'], none: ['pass'] });
    expect(outcome.observations.find((o) => o.target.name === 'shared')).toMatchObject({ field: 'Mounts.1.Propagation', value: 'shared' });
  });
  it('leaves platform containers out, as the STIG command does', () => {
    const outcome = evaluate('DKER-EE-002050', facts([container('dtr-registry', { Mounts: [mount('rshared')] }), container('app', { Mounts: [] })]));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('dtr-registry');
  });
  it('is an error on unreadable mounts', () => {
    expect(statusOf('DKER-EE-002050', container('c', { Mounts: undefined }))).toBe('error');
    expect(statusOf('DKER-EE-002050', container('c', { Mounts: [mount(3)] }))).toBe('error');
    expect(statusOf('DKER-EE-002050', container('c', { Mounts: ['x'] }))).toBe('error');
  });
});

describe('DKER-EE-002100 cgroup parent', () => {
  it('passes the default cgroup and fails any other', () => {
    expect(statusOf('DKER-EE-002100', container('c', { 'HostConfig.CgroupParent': '' }))).toBe('pass');
    expect(statusOf('DKER-EE-002100', container('c', { 'HostConfig.CgroupParent': '/custom' }))).toBe('fail');
    expect(statusOf('DKER-EE-002100', container('c', { 'HostConfig.CgroupParent': null }))).toBe('error');
  });
});

describe('DKER-EE-004040 ulimits', () => {
  it('passes no override and fails any, naming it', () => {
    expect(statusOf('DKER-EE-004040', container('c', { 'HostConfig.Ulimits': [] }))).toBe('pass');
    expect(statusOf('DKER-EE-004040', container('c', { 'HostConfig.Ulimits': null }))).toBe('pass');
    const outcome = evaluate('DKER-EE-004040', facts([container('c', { 'HostConfig.Ulimits': [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] })]));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations[0]?.message).toContain('nofile=1024:2048');
    expect(statusOf('DKER-EE-004040', container('c', { 'HostConfig.Ulimits': undefined }))).toBe('error');
  });
});

describe('Linux-only rules', () => {
  it('are not applicable on a Windows engine, with the evidence, and decide on Linux or without an OSType', () => {
    const c = container('c', { 'HostConfig.CgroupParent': '/custom', 'HostConfig.Ulimits': [{ Name: 'nofile', Soft: 1, Hard: 2 }] });
    for (const stigId of ['DKER-EE-002100', 'DKER-EE-004040', 'DKER-EE-001970', 'DKER-EE-002080', 'DKER-EE-002090']) {
      const outcome = evaluate(stigId, facts([c], { info: { OSType: 'windows' } }));
      expect(outcome.status, stigId).toBe('not-applicable');
      expect(outcome.observations).toEqual([expect.objectContaining({ field: 'info.OSType', value: 'windows', target: expect.objectContaining({ kind: 'daemon' }) })]);
    }
    expect(evaluate('DKER-EE-002100', facts([c], { info: { OSType: 'linux' } })).status).toBe('fail');
    expect(evaluate('DKER-EE-004040', facts([c])).status).toBe('fail');
  });
});
