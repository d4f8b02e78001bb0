import { describe, expect, it } from 'vitest';
import { hostPortNumber, publishedPorts } from '../../../../src/checks/containers/port-rules.js';
import { container, evaluate, facts, statusOf, verdicts } from './container-facts.js';

/** A running container with these bound ports (NetworkSettings.Ports). */
const bound = (name: string, ports: Record<string, unknown>) => container(name, { 'NetworkSettings.Ports': ports, 'HostConfig.PortBindings': {} });
/** A stopped container with these configured bindings (HostConfig.PortBindings). */
const configured = (name: string, bindings: Record<string, unknown>) =>
  container(name, { 'State.Running': false, 'State.Status': 'created', 'NetworkSettings.Ports': {}, 'HostConfig.PortBindings': bindings });

describe('publishedPorts', () => {
  it('reads what is bound when running and what is configured otherwise', () => {
    const running = publishedPorts(bound('r', { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '443/tcp': null }).inspect);
    expect(running).toEqual({ running: true, source: 'NetworkSettings.Ports', bindings: [expect.objectContaining({ containerPort: '80/tcp', hostIp: '0.0.0.0', hostPort: '8080', field: 'NetworkSettings.Ports.80/tcp.0' })] });
    const stopped = publishedPorts(configured('s', { '80/tcp': [{ HostIp: '', HostPort: '' }] }).inspect);
    expect(stopped).toMatchObject({ running: false, source: 'HostConfig.PortBindings', bindings: [{ hostIp: '', hostPort: '' }] });
    expect(publishedPorts(container('n', { 'NetworkSettings.Ports': null }).inspect)).toMatchObject({ bindings: [] });
  });
  it('says why malformed ports cannot be read', () => {
    expect(publishedPorts(container('x', { 'NetworkSettings.Ports': [] }).inspect)).toHaveProperty('invalid');
    expect(publishedPorts(container('x', { 'NetworkSettings.Ports': { '80/tcp': 'x' } }).inspect)).toHaveProperty('invalid');
    expect(publishedPorts(container('x', { 'NetworkSettings.Ports': { '80/tcp': [{ HostIp: 1 }] } }).inspect)).toHaveProperty('invalid');
    expect(publishedPorts(container('x', { 'State.Running': 'yes' }).inspect)).toHaveProperty('invalid');
  });
});

describe('hostPortNumber', () => {
  it('reads ports, ranges and engine-chosen ports', () => {
    expect(hostPortNumber('8080')).toBe(8080);
    expect(hostPortNumber('80-90')).toBe(80);
    expect(hostPortNumber('')).toBe(0);
    expect(hostPortNumber('0')).toBe(0);
    expect(hostPortNumber('http')).toBeUndefined();
  });
});

describe('DKER-EE-002150 privileged host ports', () => {
  it('fails host ports below 1024, bound or configured, and passes the others', () => {
    const outcome = evaluate(
      'DKER-EE-002150',
      facts([
        bound('low', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '80' }] }),
        bound('high', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }),
        bound('ephemeral', { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }] }),
        bound('edge', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '1024' }] }),
        bound('none', {}),
        configured('low-created', { '443/tcp': [{ HostIp: '10.1.2.3', HostPort: '443' }] }),
        configured('any-created', { '443/tcp': [{ HostIp: '', HostPort: '' }] }),
      ]),
    );
    expect(verdicts(outcome)).toEqual({ low: ['fail'], high: ['pass'], ephemeral: ['pass'], edge: ['pass'], none: ['pass'], 'low-created': ['fail'], 'any-created': ['pass'] });
    expect(outcome.observations.find((o) => o.target.name === 'low-created')).toMatchObject({ field: 'HostConfig.PortBindings.443/tcp.0', value: { HostIp: '10.1.2.3', HostPort: '443' } });
    expect(outcome.observations.find((o) => o.target.name === 'low-created')?.message).toContain('not running');
    expect(outcome.message).toBe('2 of 7 containers map privileged host ports.');
  });
  it('is an error on an unreadable HostPort or missing fields', () => {
    expect(statusOf('DKER-EE-002150', bound('x', { '80/tcp': [{ HostIp: '', HostPort: 'http' }] }))).toBe('error');
    expect(statusOf('DKER-EE-002150', container('x', { 'HostConfig.PortBindings': undefined }))).toBe('error');
    expect(statusOf('DKER-EE-002150', container('x', { NetworkSettings: undefined }))).toBe('error');
  });
});

describe('DKER-EE-002160 specific host interface', () => {
  it('fails wildcard addresses (0.0.0.0, ::, and an empty configured HostIp) and passes specific ones', () => {
    const outcome = evaluate(
      'DKER-EE-002160',
      facts([
        bound('v4', { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }] }),
        bound('v6', { '80/tcp': [{ HostIp: '::', HostPort: '49153' }] }),
        bound('specific', { '80/tcp': [{ HostIp: '10.2.3.4', HostPort: '49153' }], '443/tcp': null }),
        bound('unpublished', { '443/tcp': null }),
        configured('default-ip', { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }),
        configured('specific-created', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }),
      ]),
    );
    expect(verdicts(outcome)).toEqual({ v4: ['fail'], v6: ['fail'], specific: ['pass'], unpublished: ['pass'], 'default-ip': ['fail'], 'specific-created': ['pass'] });
    expect(outcome.observations.find((o) => o.target.name === 'default-ip')?.message).toContain('--ip');
  });
  it('gives one observation per wildcard binding', () => {
    const outcome = evaluate('DKER-EE-002160', facts([bound('both', { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '1' }, { HostIp: '::', HostPort: '1' }], '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '2' }] })]));
    expect(outcome.observations.map((o) => o.field)).toEqual(['NetworkSettings.Ports.80/tcp.0', 'NetworkSettings.Ports.80/tcp.1']);
  });
});
