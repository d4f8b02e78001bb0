/** Reading dockerd's command line and daemon.json the way dockerd does. */
import { describe, expect, it } from 'vitest';
import { boolFlag, boolSetting, daemonHosts, flagValues, hostScheme, logOption, logOptions, parseGoBool } from '../../../../src/checks/engine/daemon-config.js';
import type { DaemonConfigFacts } from '../../../../src/domain/facts.js';

const daemon = (daemonJson: DaemonConfigFacts['daemonJson'], commandLine: string[] | null): DaemonConfigFacts => ({ daemonJson, daemonJsonPath: '/etc/docker/daemon.json', commandLine });

describe('flagValues', () => {
  const host = { long: 'host', short: 'H' };
  it('reads --flag value, --flag=value, -H value, -H=value, -Hvalue and -DH value in order', () => {
    const argv = ['dockerd', '--host', 'unix:///a', '--host=tcp://0.0.0.0:2375', '-H', 'fd://', '-H=tcp://b:1', '-Htcp://c:2', '-DH', 'unix:///d'];
    expect(flagValues(argv, host)).toEqual(['unix:///a', 'tcp://0.0.0.0:2375', 'fd://', 'tcp://b:1', 'tcp://c:2', 'unix:///d']);
  });
  it('ignores the program name, other flags, values after -- and lookalike flags', () => {
    expect(flagValues(['-H', '--hostname', 'x', '--hosts=y', '-bHello', '--', '-H', 'tcp://z'], host)).toEqual([]);
    expect(flagValues(['dockerd', '--log-opt', 'max-size=1m', '--log-opt=max-file=2'], { long: 'log-opt' })).toEqual(['max-size=1m', 'max-file=2']);
  });
});

describe('boolean flags', () => {
  it('parses Go booleans only', () => {
    expect(parseGoBool('false')).toBe(false);
    expect(parseGoBool('0')).toBe(false);
    expect(parseGoBool('T')).toBe(true);
    expect(parseGoBool('no')).toBeUndefined();
  });
  it('takes the last occurrence; a bare flag is true', () => {
    expect(boolFlag(['dockerd', '--userland-proxy=false'], 'userland-proxy')).toEqual({ value: false, field: 'cmdline --userland-proxy', source: 'command line' });
    expect(boolFlag(['dockerd', '--userland-proxy=false', '--userland-proxy'], 'userland-proxy')).toMatchObject({ value: true });
    expect(boolFlag(['dockerd', '--userland-proxy-path=/x'], 'userland-proxy')).toBeUndefined();
    expect(boolFlag(['dockerd', '--userland-proxy=nope'], 'userland-proxy')).toHaveProperty('invalid');
  });
  it('reads daemon.json first, needs the command line when daemon.json is silent', () => {
    expect(boolSetting(daemon({ 'userland-proxy': false }, null), 'userland-proxy')).toEqual({ value: false, field: 'daemon.json#/userland-proxy', source: 'daemon.json' });
    expect(boolSetting(daemon({ 'userland-proxy': 'false' }, ['dockerd']), 'userland-proxy')).toHaveProperty('invalid');
    expect(boolSetting(daemon(null, null), 'userland-proxy')).toHaveProperty('invalid');
    expect(boolSetting(daemon(null, ['dockerd']), 'userland-proxy')).toBeUndefined();
  });
});

describe('hosts', () => {
  it('joins -H flags and daemon.json hosts; a missing scheme is tcp', () => {
    const hosts = daemonHosts(daemon({ hosts: ['tcp://0.0.0.0:2376', 'unix:///var/run/docker.sock'] }, ['dockerd', '-H', 'fd://']));
    expect(hosts).toEqual([
      { value: 'fd://', field: 'cmdline --host', source: 'command line' },
      { value: 'tcp://0.0.0.0:2376', field: 'daemon.json#/hosts/0', source: 'daemon.json' },
      { value: 'unix:///var/run/docker.sock', field: 'daemon.json#/hosts/1', source: 'daemon.json' },
    ]);
    expect(['TCP://h:1', ':2375', '0.0.0.0:2375', 'unix:///s', 'fd://'].map(hostScheme)).toEqual(['tcp', 'tcp', 'tcp', 'unix', 'fd']);
  });
  it('can not be read without the command line, nor from a malformed hosts key', () => {
    expect(daemonHosts(daemon({}, null))).toHaveProperty('invalid');
    expect(daemonHosts(daemon({ hosts: 'tcp://x' }, ['dockerd']))).toHaveProperty('invalid');
  });
});

describe('log options', () => {
  it('merges daemon.json log-opts with --log-opt', () => {
    const opts = logOptions(daemon({ 'log-opts': { 'max-size': '10m' } }, ['dockerd', '--log-opt', 'max-file=3']));
    expect(opts instanceof Map && Object.fromEntries(opts)).toEqual({
      'max-size': { value: '10m', field: 'daemon.json#/log-opts/max-size', source: 'daemon.json' },
      'max-file': { value: '3', field: 'cmdline --log-opt max-file', source: 'command line' },
    });
  });
  it('is absent only when the command line was read', () => {
    expect(logOption(daemon({}, ['dockerd']), 'max-size')).toEqual({ absent: true });
    expect(logOption(daemon({}, null), 'max-size')).toHaveProperty('invalid');
    expect(logOption(daemon({ 'log-opts': { 'max-size': '1m' } }, null), 'max-size')).toMatchObject({ value: '1m' });
    expect(logOption(daemon({ 'log-opts': ['max-size'] }, ['dockerd']), 'max-size')).toHaveProperty('invalid');
    expect(logOption(daemon(null, ['dockerd', '--log-opt', 'oops']), 'max-size')).toHaveProperty('invalid');
  });
});
