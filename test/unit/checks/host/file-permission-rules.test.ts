import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_PERMISSION_CHECKS } from '../../../../src/checks/host/file-permission-rules.js';
import type { NodeFacts } from '../../../../src/domain/facts.js';
import { collect, compliantHost, emptyHost, evaluate, type FakeHost } from './fake-host.js';

let host: FakeHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

async function factsAfter(change: (h: FakeHost) => void | Promise<void>): Promise<NodeFacts> {
  host = await compliantHost();
  await change(host);
  return collect(host);
}

/** Each rule, a change that breaks it, and the file its failing observation must name. */
const BREAKS: { stigId: string; path: string; field: string; value: string; change: (h: FakeHost) => void; also?: string[] }[] = [
  { stigId: 'DKER-EE-005170', path: '/lib/systemd/system/docker.service', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/lib/systemd/system/docker.service'), 1000, 0) },
  { stigId: 'DKER-EE-005180', path: '/lib/systemd/system/docker.service', field: 'mode', value: '666', change: (h) => fs.chmodSync(h.at('/lib/systemd/system/docker.service'), 0o666) },
  { stigId: 'DKER-EE-005190', path: '/lib/systemd/system/docker.socket', field: 'owner:group', value: 'root:alice', change: (h) => fs.chownSync(h.at('/lib/systemd/system/docker.socket'), 0, 1000) },
  { stigId: 'DKER-EE-005200', path: '/lib/systemd/system/docker.socket', field: 'mode', value: '664', change: (h) => fs.chmodSync(h.at('/lib/systemd/system/docker.socket'), 0o664) },
  { stigId: 'DKER-EE-005210', path: '/etc/docker', field: 'owner:group', value: 'alice:alice', change: (h) => fs.chownSync(h.at('/etc/docker'), 1000, 1000) },
  { stigId: 'DKER-EE-005220', path: '/etc/docker', field: 'mode', value: '775', change: (h) => fs.chmodSync(h.at('/etc/docker'), 0o775) },
  { stigId: 'DKER-EE-005230', path: '/etc/docker/certs.d/registry.example:5000/client.cert', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/etc/docker/certs.d/registry.example:5000/client.cert'), 1000, 0) },
  { stigId: 'DKER-EE-005240', path: '/etc/docker/certs.d/registry.example:5000/ca.crt', field: 'mode', value: '644', change: (h) => fs.chmodSync(h.at('/etc/docker/certs.d/registry.example:5000/ca.crt'), 0o644) },
  { stigId: 'DKER-EE-005250', path: '/etc/docker/tls/ca.pem', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/etc/docker/tls/ca.pem'), 1000, 0) },
  { stigId: 'DKER-EE-005260', path: '/etc/docker/tls/ca.pem', field: 'mode', value: '644', change: (h) => fs.chmodSync(h.at('/etc/docker/tls/ca.pem'), 0o644) },
  { stigId: 'DKER-EE-005270', path: '/etc/docker/tls/cert.pem', field: 'owner:group', value: 'root:docker', change: (h) => fs.chownSync(h.at('/etc/docker/tls/cert.pem'), 0, 999) },
  { stigId: 'DKER-EE-005280', path: '/etc/docker/tls/cert.pem', field: 'mode', value: '666', change: (h) => fs.chmodSync(h.at('/etc/docker/tls/cert.pem'), 0o666) },
  { stigId: 'DKER-EE-005290', path: '/etc/docker/tls/key.pem', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/etc/docker/tls/key.pem'), 1000, 0) },
  { stigId: 'DKER-EE-005300', path: '/etc/docker/tls/key.pem', field: 'mode', value: '440', change: (h) => fs.chmodSync(h.at('/etc/docker/tls/key.pem'), 0o440) },
  { stigId: 'DKER-EE-005310', path: '/run/docker.sock', field: 'owner:group', value: 'root:root', change: (h) => fs.chownSync(h.at('/run/docker.sock'), 0, 0) },
  { stigId: 'DKER-EE-005320', path: '/run/docker.sock', field: 'mode', value: '666', change: (h) => fs.chmodSync(h.at('/run/docker.sock'), 0o666) },
  { stigId: 'DKER-EE-005330', path: '/etc/docker/daemon.json', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/etc/docker/daemon.json'), 1000, 0) },
  { stigId: 'DKER-EE-005340', path: '/etc/docker/daemon.json', field: 'mode', value: '664', change: (h) => fs.chmodSync(h.at('/etc/docker/daemon.json'), 0o664) },
  { stigId: 'DKER-EE-005350', path: '/etc/default/docker', field: 'owner:group', value: 'alice:root', change: (h) => fs.chownSync(h.at('/etc/default/docker'), 1000, 0), also: ['DKER-EE-005210'] },
  { stigId: 'DKER-EE-005360', path: '/etc/default/docker', field: 'mode', value: '666', change: (h) => fs.chmodSync(h.at('/etc/default/docker'), 0o666) },
];

describe('host file ownership and permission rules (DKER-EE-005170 … 005360)', () => {
  it('covers the twenty rules', () => {
    expect(FILE_PERMISSION_CHECKS.map((c) => c.stigId)).toEqual(BREAKS.map((b) => b.stigId));
  });

  it('passes every rule on a compliant host, with an observation of the right file', async () => {
    const results = evaluate(await factsAfter(() => undefined));
    for (const b of BREAKS) {
      const r = results.get(b.stigId);
      expect(r?.status, `${b.stigId}: ${r?.message}`).toBe('pass');
      const paths = r?.observations.map((o) => o.target.name);
      expect(paths, b.stigId).toContain(b.path);
      expect(r?.observations.every((o) => o.verdict === 'pass' && o.target.kind === 'file')).toBe(true);
    }
  });

  for (const b of BREAKS) {
    it(`${b.stigId} fails when ${b.path} has ${b.field} ${b.value}, and no other host rule changes (but the rules that share the file)`, async () => {
      const results = evaluate(await factsAfter(b.change));
      const r = results.get(b.stigId);
      expect(r?.status, r?.message).toBe('fail');
      const failing = r?.observations.filter((o) => o.verdict === 'fail') ?? [];
      expect(failing).toHaveLength(1);
      expect(failing[0]).toMatchObject({ target: { kind: 'file', name: b.path }, field: b.field, value: b.value });
      const otherFailures = [...results].filter(([id, o]) => id !== b.stigId && o.status !== 'pass').map(([id]) => id);
      // 005210's check text also names /etc/default/docker on Ubuntu hosts.
      expect(otherFailures, `other rules changed: ${otherFailures.join(', ')}`).toEqual(b.also ?? []);
    });
  }

  it('judges "more restrictive" as no bit outside the mask: 400 and 000 pass 644, 4644 and 744 fail it', async () => {
    const modes: [number, 'pass' | 'fail'][] = [[0o400, 'pass'], [0o000, 'pass'], [0o4644, 'fail'], [0o744, 'fail']];
    for (const [mode, status] of modes) {
      const results = evaluate(await factsAfter((h) => fs.chmodSync(h.at('/etc/docker/daemon.json'), mode)));
      expect(results.get('DKER-EE-005340')?.status, mode.toString(8)).toBe(status);
      await host?.cleanup();
      host = undefined;
    }
  });

  it('follows a unit symlink to its file (FragmentPath in /etc/systemd/system linking to /lib)', async () => {
    const results = evaluate(
      await factsAfter((h) => {
        fs.mkdirSync(h.at('/etc/systemd/system'), { recursive: true });
        fs.symlinkSync('/lib/systemd/system/docker.service', h.at('/etc/systemd/system/docker.service'));
        fs.chmodSync(h.at('/lib/systemd/system/docker.service'), 0o666);
      }),
    );
    const r = results.get('DKER-EE-005180');
    expect(r?.status).toBe('fail');
    expect(r?.observations[0]).toMatchObject({ target: { name: '/etc/systemd/system/docker.service' }, value: '666' });
  });

  it('is not applicable without unit files, registry certificates, TLS or /etc/default/docker, saying why', async () => {
    host = emptyHost();
    host.mkdir('/etc/docker', 0o755);
    host.write('/etc/docker/daemon.json', '{}', 0o644);
    host.write('/proc/9/comm', 'dockerd\n', 0o444);
    host.write('/proc/9/cmdline', 'dockerd\0-H\0tcp://127.0.0.1:2375\0', 0o444);
    host.write('/proc/sys/crypto/fips_enabled', '0\n', 0o444);
    const results = evaluate(await collect(host));
    const na = (id: string): string => {
      expect(results.get(id)?.status, `${id}: ${results.get(id)?.message}`).toBe('not-applicable');
      return results.get(id)?.message ?? '';
    };
    expect(na('DKER-EE-005170')).toMatch(/No docker\.service unit file exists in \/etc\/systemd\/system/);
    expect(na('DKER-EE-005200')).toMatch(/docker\.socket/);
    expect(na('DKER-EE-005230')).toMatch(/certs\.d does not exist/);
    expect(na('DKER-EE-005250')).toMatch(/does not serve TLS: neither tls nor tlsverify/);
    expect(na('DKER-EE-005300')).toMatch(/does not serve TLS/);
    expect(na('DKER-EE-005310')).toMatch(/no unix socket/);
    expect(na('DKER-EE-005360')).toMatch(/\/etc\/default\/docker does not exist/);
    expect(results.get('DKER-EE-005330')?.status).toBe('pass');
  });

  it('is not applicable when certs.d holds no files', async () => {
    const results = evaluate(await factsAfter((h) => fs.rmSync(h.at('/etc/docker/certs.d/registry.example:5000'), { recursive: true })));
    expect(results.get('DKER-EE-005230')).toMatchObject({ status: 'not-applicable', message: expect.stringMatching(/holds no certificate files/) });
  });

  it('fails when daemon.json or /etc/docker is missing (the check text makes a missing daemon.json a finding)', async () => {
    let results = evaluate(await factsAfter((h) => fs.rmSync(h.at('/etc/docker/daemon.json'))));
    expect(results.get('DKER-EE-005330')).toMatchObject({ status: 'fail', observations: [{ field: 'exists', value: false, target: { name: '/etc/docker/daemon.json' } }] });
    expect(results.get('DKER-EE-005340')?.status).toBe('fail');
    await host?.cleanup();
    results = evaluate(await factsAfter((h) => fs.rmSync(h.at('/etc/docker'), { recursive: true })));
    expect(results.get('DKER-EE-005210')?.status).toBe('fail');
    expect(results.get('DKER-EE-005220')?.status).toBe('fail');
  });

  it('fails a TLS rule whose configured file is missing, and names the flag that configures it', async () => {
    const results = evaluate(await factsAfter((h) => fs.rmSync(h.at('/etc/docker/tls/cert.pem'))));
    const r = results.get('DKER-EE-005270');
    expect(r?.status).toBe('fail');
    expect(r?.observations[0]?.message).toMatch(/cert\.pem does not exist: TLS is enabled by cmdline --tlsverify, and cmdline --tlscert names it/);
  });

  it('reads the socket from -H unix:// and checks the socket the daemon listens on', async () => {
    const results = evaluate(
      await factsAfter(async (h) => {
        h.write(`/proc/4242/cmdline`, 'dockerd\0-H\0unix:///var/run/alt.sock\0', 0o444);
        await h.socket('/run/alt.sock', 0o666, 0, 999);
      }),
    );
    const r = results.get('DKER-EE-005320');
    expect(r?.status).toBe('fail');
    expect(r?.observations.map((o) => o.target.name)).toEqual(['/var/run/alt.sock']);
  });

  it('reports error, never pass, when the host or daemon part is missing', async () => {
    const facts = await factsAfter(() => undefined);
    const noHost = { ...facts, host: { status: 'unavailable' as const, reason: 'remote node without a helper image' } };
    for (const c of FILE_PERMISSION_CHECKS) expect(c.evaluate(noHost).status, c.stigId).toBe('error');
    const noDaemon = { ...facts, daemon: { status: 'failed' as const, error: 'boom' } };
    expect(evaluate(noDaemon).get('DKER-EE-005250')).toMatchObject({ status: 'error', message: expect.stringMatching(/daemon facts .* failed: boom/) });
  });
});
