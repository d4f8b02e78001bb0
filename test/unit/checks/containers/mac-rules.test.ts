import { describe, expect, it } from 'vitest';
import { securityModules } from '../../../../src/checks/containers/mac-rules.js';
import { container, evaluate, facts, statusOf, verdicts } from './container-facts.js';

const APPARMOR_INFO = { OperatingSystem: 'Ubuntu 22.04.4 LTS', SecurityOptions: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=cgroupns'] };
const SELINUX_INFO = { OperatingSystem: 'Red Hat Enterprise Linux 9.4', SecurityOptions: ['name=seccomp,profile=default', 'name=selinux'] };
const PLAIN_INFO = { OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', SecurityOptions: ['name=seccomp,profile=default'] };

describe('securityModules', () => {
  it('reads name= entries and the bare names of old engines', () => {
    expect(securityModules(['name=apparmor', 'name=seccomp,profile=default', 'name=userns'])).toEqual(['apparmor', 'seccomp', 'userns']);
    expect(securityModules(['apparmor', 'seccomp'])).toEqual(['apparmor', 'seccomp']);
    expect(securityModules(null)).toEqual([]);
    expect(securityModules('apparmor')).toBeUndefined();
    expect(securityModules([1])).toBeUndefined();
  });
});

describe('DKER-EE-001930 AppArmor profile', () => {
  it('is not applicable without AppArmor, with the /info evidence', () => {
    const outcome = evaluate('DKER-EE-001930', facts([container('a', { AppArmorProfile: '' })], { info: PLAIN_INFO }));
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toContain('Debian GNU/Linux 12');
    expect(outcome.observations).toEqual([
      expect.objectContaining({ target: { kind: 'daemon', id: 'node-1', name: 'node one' }, field: 'info.SecurityOptions', value: PLAIN_INFO.SecurityOptions }),
    ]);
  });

  it('passes a named profile and fails unconfined or none on an AppArmor host', () => {
    const outcome = evaluate(
      'DKER-EE-001930',
      facts(
        [
          container('default', { AppArmorProfile: 'docker-default' }),
          container('custom', { AppArmorProfile: 'my-profile' }),
          container('unconfined', { AppArmorProfile: 'unconfined' }),
          container('privileged', { AppArmorProfile: 'unconfined', 'HostConfig.Privileged': true }),
          container('none', { AppArmorProfile: '' }),
        ],
        { info: APPARMOR_INFO },
      ),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^3 of 5 containers run without an AppArmor profile/);
    expect(verdicts(outcome)).toEqual({ default: ['pass'], custom: ['pass'], unconfined: ['fail'], privileged: ['fail'], none: ['fail'] });
    expect(outcome.observations.find((o) => o.target.name === 'privileged')?.message).toContain('privileged');
    // The host evidence comes first.
    expect(outcome.observations[0]).toMatchObject({ target: { kind: 'daemon' }, field: 'info.SecurityOptions', verdict: 'pass' });
  });

  it('does not leave platform containers out (the STIG command does not filter them)', () => {
    expect(statusOf('DKER-EE-001930', container('ucp-agent', { AppArmorProfile: 'unconfined' }), { info: APPARMOR_INFO })).toBe('fail');
  });

  it('never passes on missing data', () => {
    expect(statusOf('DKER-EE-001930', container('a', { AppArmorProfile: undefined }), { info: APPARMOR_INFO })).toBe('error');
    expect(statusOf('DKER-EE-001930', container('a', { AppArmorProfile: 7 }), { info: APPARMOR_INFO })).toBe('error');
    expect(statusOf('DKER-EE-001930', container('a', { AppArmorProfile: 'docker-default' }), { info: { OperatingSystem: 'x' } })).toBe('error');
    expect(statusOf('DKER-EE-001930', container('a', { AppArmorProfile: 'docker-default' }), { info: { SecurityOptions: 'apparmor' } })).toBe('error');
  });
});

describe('DKER-EE-001940 SELinux options', () => {
  it('is not applicable without SELinux', () => {
    const outcome = evaluate('DKER-EE-001940', facts([container('a', { 'HostConfig.SecurityOpt': ['label=disable'] })], { info: APPARMOR_INFO }));
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toContain('without name=selinux');
  });

  it('fails label=disable (and label:disable), passes other options, on an SELinux host', () => {
    const outcome = evaluate(
      'DKER-EE-001940',
      facts(
        [
          container('none', { 'HostConfig.SecurityOpt': null, ProcessLabel: 'system_u:system_r:container_t:s0:c1,c2' }),
          container('typed', { 'HostConfig.SecurityOpt': ['label=type:container_t', 'no-new-privileges'] }),
          container('disabled', { 'HostConfig.SecurityOpt': ['label=disable'] }),
          container('legacy', { 'HostConfig.SecurityOpt': ['label:disable'] }),
          container('privileged', { 'HostConfig.SecurityOpt': ['label=disable'], 'HostConfig.Privileged': true }),
        ],
        { info: SELINUX_INFO },
      ),
    );
    expect(verdicts(outcome)).toEqual({ none: ['pass'], typed: ['pass'], disabled: ['fail'], legacy: ['fail'], privileged: ['fail'] });
    expect(outcome.observations.find((o) => o.target.name === 'none')?.message).toContain('container_t');
    expect(outcome.message).toMatch(/^3 of 5 containers/);
  });

  it('leaves platform containers out, as the STIG command does', () => {
    const outcome = evaluate(
      'DKER-EE-001940',
      facts([container('ucp-proxy', { 'HostConfig.SecurityOpt': ['label=disable'] }), container('app', { 'HostConfig.SecurityOpt': null })], { info: SELINUX_INFO }),
    );
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('ucp-proxy');
  });

  it('never passes on unreadable options', () => {
    expect(statusOf('DKER-EE-001940', container('a', { 'HostConfig.SecurityOpt': 'label=disable' }), { info: SELINUX_INFO })).toBe('error');
    expect(statusOf('DKER-EE-001940', container('a', { 'HostConfig.SecurityOpt': undefined }), { info: SELINUX_INFO })).toBe('error');
  });
});
