/** The daemon rules on the recorded /info and /version of a real 20.10 daemon, mutated copies, and constructed daemon parts. */
import { describe, expect, it } from 'vitest';
import { commandLine, container, daemonPart, engineFacts, evaluate, infoWith, recordedVersion } from './engine-facts.js';

describe('DKER-EE-001050 TCP socket', () => {
  const status = (json: Record<string, unknown> | null, argv: string[] | null, containers = [container('web', 'nginx:1')]) =>
    evaluate('DKER-EE-001050', engineFacts({ daemon: daemonPart(json, argv), containers }));

  it('passes a daemon listening on unix sockets only, or on the default socket', () => {
    const unix = status(null, commandLine('-H', 'unix:///var/run/docker.sock'));
    expect(unix.status).toBe('pass');
    expect(unix.observations[0]).toMatchObject({ target: { kind: 'daemon', id: 'node-1' }, field: 'cmdline --host', value: ['unix:///tmp/d/docker.sock', 'unix:///var/run/docker.sock'] });
    expect(status(null, ['/usr/bin/dockerd']).status).toBe('pass');
  });

  it('is not applicable to systemd sockets (-H fd://) unless a tcp host is given too', () => {
    expect(status(null, ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock']).status).toBe('not-applicable');
    expect(status(null, ['/usr/bin/dockerd', '-H', 'fd://', '-H', 'tcp://0.0.0.0:2375']).status).toBe('fail');
  });

  it('fails tcp:// without TLS verification, from the command line or daemon.json', () => {
    const cmd = status(null, commandLine('-H', 'tcp://0.0.0.0:2375'));
    expect(cmd.status).toBe('fail');
    expect(cmd.observations.find((o) => o.verdict === 'fail' && o.field === 'cmdline --host')).toMatchObject({ value: 'tcp://0.0.0.0:2375' });
    expect(status({ hosts: ['tcp://0.0.0.0:2375'] }, ['dockerd']).status).toBe('fail');
    // No scheme means tcp, as dockerd reads it; --tls without verification of clients is not enough.
    expect(status(null, commandLine('-H', ':2375', '--tls', '--tlscert', '/c', '--tlskey', '/k')).status).toBe('fail');
    expect(status({ tlsverify: false }, commandLine('--host=tcp://127.0.0.1:2376')).status).toBe('fail');
  });

  it('passes tcp:// with tlsverify outside a UCP cluster, fails it on a UCP node', () => {
    expect(status(null, commandLine('-H', 'tcp://0.0.0.0:2376', '--tlsverify')).status).toBe('pass');
    expect(status({ tlsverify: true, hosts: ['tcp://0.0.0.0:2376'] }, ['dockerd']).status).toBe('pass');
    const ucp = status(null, commandLine('-H', 'tcp://0.0.0.0:2376', '--tlsverify'), [container('ucp-proxy', 'docker/ucp-agent:3.2.5')]);
    expect(ucp.status).toBe('fail');
    expect(ucp.message).toContain('UCP cluster');
  });

  it('is an error without the daemon part or the command line', () => {
    expect(evaluate('DKER-EE-001050', engineFacts()).status).toBe('error');
    expect(evaluate('DKER-EE-001050', engineFacts({ daemon: { status: 'failed', error: 'no helper' } })).message).toContain('no helper');
    expect(status({ hosts: ['unix:///var/run/docker.sock'] }, null).status).toBe('error');
  });
});

describe('DKER-EE-001800 insecure registries', () => {
  it('passes the recorded default (only 127.0.0.0/8, docker.io secure)', () => {
    const outcome = evaluate('DKER-EE-001800', engineFacts());
    expect(outcome.status).toBe('pass');
    expect(outcome.observations[0]).toMatchObject({ field: 'info.RegistryConfig', verdict: 'pass' });
  });
  it('fails an extra insecure CIDR', () => {
    const info = infoWith((i) => ((i.RegistryConfig as { InsecureRegistryCIDRs: string[] }).InsecureRegistryCIDRs = ['10.0.0.0/8', '127.0.0.0/8']));
    const outcome = evaluate('DKER-EE-001800', engineFacts({ info }));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations).toMatchObject([{ field: 'info.RegistryConfig.InsecureRegistryCIDRs', value: '10.0.0.0/8', verdict: 'fail' }]);
  });
  it('fails an index configured insecure (--insecure-registry host:port)', () => {
    const info = infoWith((i) => {
      (i.RegistryConfig as { IndexConfigs: Record<string, unknown> }).IndexConfigs['10.1.2.3:5000'] = { Name: '10.1.2.3:5000', Mirrors: [], Secure: false, Official: false };
    });
    const outcome = evaluate('DKER-EE-001800', engineFacts({ info }));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations[0]?.field).toBe('info.RegistryConfig.IndexConfigs["10.1.2.3:5000"].Secure');
  });
  it('is an error when RegistryConfig is missing or malformed', () => {
    expect(evaluate('DKER-EE-001800', engineFacts({ info: infoWith((i) => delete i.RegistryConfig) })).status).toBe('error');
    const info = infoWith((i) => ((i.RegistryConfig as Record<string, unknown>).IndexConfigs = { 'docker.io': { Name: 'docker.io' } }));
    expect(evaluate('DKER-EE-001800', engineFacts({ info })).status).toBe('error');
  });
});

describe('DKER-EE-001810 storage driver', () => {
  it('passes the recorded vfs driver and fails aufs', () => {
    expect(evaluate('DKER-EE-001810', engineFacts()).status).toBe('pass');
    for (const driver of ['overlay2', 'btrfs', 'zfs', 'devicemapper']) expect(evaluate('DKER-EE-001810', engineFacts({ info: infoWith((i) => (i.Driver = driver)) })).status).toBe('pass');
    const aufs = evaluate('DKER-EE-001810', engineFacts({ info: infoWith((i) => (i.Driver = 'aufs')) }));
    expect(aufs.status).toBe('fail');
    expect(aufs.observations[0]).toMatchObject({ field: 'info.Driver', value: 'aufs', verdict: 'fail' });
  });
  it('is not applicable on Windows and an error without a driver', () => {
    expect(evaluate('DKER-EE-001810', engineFacts({ info: infoWith((i) => (i.OSType = 'windows')) })).status).toBe('not-applicable');
    expect(evaluate('DKER-EE-001810', engineFacts({ info: infoWith((i) => delete i.Driver) })).status).toBe('error');
    expect(evaluate('DKER-EE-001810', engineFacts({ info: infoWith((i) => delete i.OSType) })).status).toBe('error');
  });
});

describe('DKER-EE-001830 userland proxy', () => {
  const outcome = (json: Record<string, unknown> | null, argv: string[] | null = commandLine()) => evaluate('DKER-EE-001830', engineFacts({ daemon: daemonPart(json, argv) }));
  it('fails the default (enabled) and an explicit true', () => {
    const byDefault = outcome(null);
    expect(byDefault.status).toBe('fail');
    expect(byDefault.observations[0]).toMatchObject({ field: 'cmdline --userland-proxy', value: null, verdict: 'fail' });
    expect(outcome({ 'userland-proxy': true }).status).toBe('fail');
    expect(outcome(null, commandLine('--userland-proxy')).status).toBe('fail');
  });
  it('passes --userland-proxy=false or daemon.json "userland-proxy": false', () => {
    expect(outcome(null, commandLine('--userland-proxy=false')).status).toBe('pass');
    const json = outcome({ 'userland-proxy': false }, null);
    expect(json.status).toBe('pass');
    expect(json.observations[0]).toMatchObject({ field: 'daemon.json#/userland-proxy', value: false });
  });
  it('is an error when unknowable, not applicable on a UCP node', () => {
    expect(outcome({}, null).status).toBe('error');
    expect(evaluate('DKER-EE-001830', engineFacts()).status).toBe('error');
    const ucp = evaluate('DKER-EE-001830', engineFacts({ containers: [container('ucp-agent.x.y', 'docker/ucp-agent:3.2.5')] }));
    expect(ucp.status).toBe('not-applicable');
  });
});

describe('DKER-EE-001840 experimental features', () => {
  it('passes the recorded daemon (ExperimentalBuild false, Engine Experimental "false")', () => {
    const outcome = evaluate('DKER-EE-001840', engineFacts());
    expect(outcome.status).toBe('pass');
    expect(outcome.observations.map((o) => o.field)).toEqual(['info.ExperimentalBuild']);
  });
  it('fails when /info or /version says experimental', () => {
    expect(evaluate('DKER-EE-001840', engineFacts({ info: infoWith((i) => (i.ExperimentalBuild = true)) })).status).toBe('fail');
    const version = { ...recordedVersion(), Experimental: true };
    const outcome = evaluate('DKER-EE-001840', engineFacts({ version }));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain('version.Experimental is true');
  });
  it('is an error without info.ExperimentalBuild or with a malformed value', () => {
    expect(evaluate('DKER-EE-001840', engineFacts({ info: infoWith((i) => delete i.ExperimentalBuild) })).status).toBe('error');
    expect(evaluate('DKER-EE-001840', engineFacts({ version: { ...recordedVersion(), Experimental: 'yes' } })).status).toBe('error');
  });
});
