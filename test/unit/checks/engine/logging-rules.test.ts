/** The logging rules on the recorded /info (json-file), mutated copies and constructed daemon parts. */
import { describe, expect, it } from 'vitest';
import { isLocalDestination, logDriverKind, parseLogSize } from '../../../../src/checks/engine/logging-rules.js';
import type { ApiObject } from '../../../../src/domain/facts.js';
import { commandLine, daemonPart, engineFacts, evaluate, infoWith } from './engine-facts.js';

const withDriver = (driver: string) => infoWith((i) => (i.LoggingDriver = driver));

describe('log driver kinds and destinations', () => {
  it('classifies drivers', () => {
    expect(['json-file', 'local', 'journald', 'none'].map(logDriverKind)).toEqual(['local', 'local', 'local', 'local']);
    expect(['syslog', 'splunk', 'awslogs', 'gcplogs', 'logentries', 'fluentd', 'gelf'].every((d) => logDriverKind(d) === 'remote')).toBe(true);
    expect(logDriverKind('grafana/loki-docker-driver:latest')).toBe('plugin');
  });
  it('tells local destinations from remote ones', () => {
    for (const local of ['unix:///dev/log', 'unixgram:///dev/log', 'udp://127.0.0.1:514', 'tcp://localhost:24224', 'localhost:24224', 'tcp://[::1]:514']) expect(isLocalDestination(local), local).toBe(true);
    for (const remote of ['udp://10.1.2.3:514', 'tcp+tls://siem.example.mil:6514', 'fluent.example.mil:24224', 'https://splunk.example.mil:8088']) expect(isLocalDestination(remote), remote).toBe(false);
  });
  it('parses sizes as dockerd does', () => {
    expect(parseLogSize('10m')).toBe(10 * 1024 ** 2);
    expect(parseLogSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseLogSize('100')).toBe(100);
    expect(parseLogSize('10MB')).toBe(10 * 1024 ** 2);
    expect(parseLogSize('-1')).toBeNaN();
    expect(parseLogSize('big')).toBeNaN();
  });
});

describe('DKER-EE-003230 log driver', () => {
  it('fails the recorded json-file default and the other local drivers', () => {
    const recorded = evaluate('DKER-EE-003230', engineFacts());
    expect(recorded.status).toBe('fail');
    expect(recorded.observations[0]).toMatchObject({ target: { kind: 'daemon' }, field: 'info.LoggingDriver', value: 'json-file', verdict: 'fail' });
    for (const d of ['local', 'journald', 'none']) expect(evaluate('DKER-EE-003230', engineFacts({ info: withDriver(d) })).status, d).toBe('fail');
  });
  it('passes the drivers the STIG names, fluentd, gelf and plugins the engine lists', () => {
    for (const d of ['syslog', 'awslogs', 'splunk', 'gcplogs', 'logentries', 'fluentd', 'gelf']) expect(evaluate('DKER-EE-003230', engineFacts({ info: withDriver(d) })).status, d).toBe('pass');
    const loki = infoWith((i) => Object.assign(i, { LoggingDriver: 'loki', Plugins: { ...(i.Plugins as ApiObject), Log: [...((i.Plugins as ApiObject).Log as string[]), 'loki'] } }));
    expect(evaluate('DKER-EE-003230', engineFacts({ info: loki })).status).toBe('pass');
  });
  it('does not count an unknown driver as a plugin unless info.Plugins.Log lists it', () => {
    const outcome = evaluate('DKER-EE-003230', engineFacts({ info: withDriver('loki') }));
    expect(outcome).toMatchObject({ status: 'error', message: expect.stringContaining('neither a built-in driver nor among the engine\'s log drivers') });
    const unlisted = infoWith((i) => Object.assign(i, { LoggingDriver: 'loki', Plugins: {} }));
    expect(evaluate('DKER-EE-003230', engineFacts({ info: unlisted })).status).toBe('error');
  });
  it('is an error without info.LoggingDriver', () => {
    expect(evaluate('DKER-EE-003230', engineFacts({ info: infoWith((i) => delete i.LoggingDriver) })).status).toBe('error');
  });
});

describe('DKER-EE-003320 remote log aggregation', () => {
  const outcome = (driver: string, json: ApiObject | null, argv: string[] | null = commandLine()) =>
    evaluate('DKER-EE-003320', engineFacts({ info: withDriver(driver), daemon: daemonPart(json, argv) }));
  it('fails a local driver, even without the daemon part', () => {
    expect(evaluate('DKER-EE-003320', engineFacts()).status).toBe('fail');
  });
  it('passes a remote syslog-address, gelf-address or fluentd-address, from daemon.json or --log-opt', () => {
    const syslog = outcome('syslog', { 'log-driver': 'syslog', 'log-opts': { 'syslog-address': 'udp://10.1.2.3:514' } });
    expect(syslog.status).toBe('pass');
    expect(syslog.observations[1]).toMatchObject({ field: 'daemon.json#/log-opts/syslog-address', value: 'udp://10.1.2.3:514', verdict: 'pass' });
    expect(outcome('gelf', null, commandLine('--log-driver', 'gelf', '--log-opt', 'gelf-address=udp://graylog.example.mil:12201')).status).toBe('pass');
    expect(outcome('fluentd', { 'log-opts': { 'fluentd-address': 'fluent.example.mil:24224' } }).status).toBe('pass');
  });
  it('fails syslog to the host socket, fluentd to its localhost default, and loopback relays', () => {
    const local = outcome('syslog', { 'log-driver': 'syslog' });
    expect(local.status).toBe('fail');
    expect(local.observations[1]).toMatchObject({ field: 'daemon.json#/log-opts/syslog-address', value: null, verdict: 'fail' });
    expect(outcome('fluentd', null).status).toBe('fail');
    expect(outcome('syslog', { 'log-opts': { 'syslog-address': 'unixgram:///dev/log' } }).status).toBe('fail');
    expect(outcome('syslog', { 'log-opts': { 'syslog-address': 'tcp://127.0.0.1:514' } }).status).toBe('fail');
  });
  it('passes hosted services from /info alone; a logging plugin\'s destination is not visible: error', () => {
    expect(evaluate('DKER-EE-003320', engineFacts({ info: withDriver('awslogs') })).status).toBe('pass');
    const plugin = infoWith((i) => Object.assign(i, { LoggingDriver: 'splunk/docker-logging-plugin:latest', Plugins: { Log: ['json-file', 'splunk/docker-logging-plugin:latest'] } }));
    expect(evaluate('DKER-EE-003320', engineFacts({ info: plugin }))).toMatchObject({ status: 'error', message: expect.stringContaining("destination is in the plugin's own settings") });
  });
  it('is an error when the destination is unknowable', () => {
    expect(evaluate('DKER-EE-003320', engineFacts({ info: withDriver('syslog') })).status).toBe('error');
    expect(outcome('syslog', {}, null).status).toBe('error');
  });
});

describe('DKER-EE-001370 and DKER-EE-003310 log rotation', () => {
  const both = ['DKER-EE-001370', 'DKER-EE-003310'];
  const outcome = (id: string, json: ApiObject | null, argv: string[] | null = commandLine(), driver = 'json-file') =>
    evaluate(id, engineFacts({ info: withDriver(driver), daemon: daemonPart(json, argv) }));

  it('pass with max-size and max-file in daemon.json or on the command line', () => {
    for (const id of both) {
      const json = outcome(id, { 'log-opts': { 'max-size': '10m', 'max-file': '3' } });
      expect(json.status, id).toBe('pass');
      expect(json.observations.map((o) => [o.field, o.value])).toEqual([
        ['daemon.json#/log-opts/max-size', '10m'],
        ['daemon.json#/log-opts/max-file', '3'],
      ]);
      expect(outcome(id, null, commandLine('--log-opt', 'max-size=50m', '--log-opt=max-file=5')).status, id).toBe('pass');
    }
    expect(outcome('DKER-EE-003310', { 'log-opts': { 'max-size': '10m', 'max-file': '3' } }).message).toContain('System Security Plan');
  });
  it('fail when one is missing or out of range', () => {
    for (const id of both) {
      const missing = outcome(id, { 'log-opts': { 'max-size': '10m' } });
      expect(missing.status, id).toBe('fail');
      expect(missing.observations.find((o) => o.verdict === 'fail')).toMatchObject({ field: 'daemon.json#/log-opts/max-file', value: null });
      expect(outcome(id, null).status, id).toBe('fail');
      expect(outcome(id, { 'log-opts': { 'max-size': '-1', 'max-file': '3' } }).status, id).toBe('fail');
      expect(outcome(id, { 'log-opts': { 'max-size': '10m', 'max-file': '0' } }).status, id).toBe('fail');
    }
  });
  it('apply to json-file (001370 also to local) and are not applicable with a remote driver', () => {
    expect(outcome('DKER-EE-001370', null, commandLine(), 'local').status).toBe('fail');
    expect(outcome('DKER-EE-003310', null, commandLine(), 'local').status).toBe('not-applicable');
    for (const id of both) {
      const syslog = outcome(id, null, commandLine(), 'syslog');
      expect(syslog.status, id).toBe('not-applicable');
      expect(syslog.observations[0]).toMatchObject({ field: 'info.LoggingDriver', value: 'syslog' });
    }
  });
  it('are errors when the options are unknowable', () => {
    for (const id of both) {
      expect(evaluate(id, engineFacts()).status, id).toBe('error');
      expect(outcome(id, { 'log-opts': { 'max-size': '10m' } }, null).status, id).toBe('error');
    }
  });
});
