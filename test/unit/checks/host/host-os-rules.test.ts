import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_OS_CHECKS, parseAuditRules, watchFor } from '../../../../src/checks/host/host-os-rules.js';
import type { NodeFacts } from '../../../../src/domain/facts.js';
import { AUDIT_TEXT, collect, compliantHost, type FakeHost } from './fake-host.js';

let host: FakeHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

async function factsAfter(change: (h: FakeHost) => void): Promise<NodeFacts> {
  host = await compliantHost();
  change(host);
  return collect(host);
}

const fips = HOST_OS_CHECKS.find((c) => c.stigId === 'DKER-EE-001070')!;
const audit = HOST_OS_CHECKS.find((c) => c.stigId === 'DKER-EE-001090')!;

describe('DKER-EE-001070 FIPS mode', () => {
  it('passes when the host kernel runs in FIPS mode', async () => {
    const r = fips.evaluate(await factsAfter(() => undefined));
    expect(r.status).toBe('pass');
    expect(r.observations).toEqual([expect.objectContaining({ target: { kind: 'node', id: 'node-1', name: 'node one' }, field: '/proc/sys/crypto/fips_enabled', value: 1, verdict: 'pass' })]);
  });

  it('fails when fips_enabled is 0, with the engine observation too', async () => {
    const r = fips.evaluate(await factsAfter((h) => fs.writeFileSync(h.at('/proc/sys/crypto/fips_enabled'), '0\n')));
    expect(r.status).toBe('fail');
    expect(r.observations.map((o) => [o.field, o.verdict])).toEqual([['/proc/sys/crypto/fips_enabled', 'fail'], ['info.SecurityOptions', 'fail']]);
  });

  it('fails when the kernel has no FIPS mode at all (no fips_enabled under an existing /proc/sys)', async () => {
    const r = fips.evaluate(await factsAfter((h) => fs.rmSync(h.at('/proc/sys/crypto'), { recursive: true })));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/kernel offers no FIPS mode/);
  });

  it('is an error when there is no proc file system to read, or an unexpected value', async () => {
    let r = fips.evaluate(await factsAfter((h) => fs.rmSync(h.at('/proc/sys'), { recursive: true })));
    expect(r.status).toBe('error');
    await host?.cleanup();
    r = fips.evaluate(await factsAfter((h) => fs.writeFileSync(h.at('/proc/sys/crypto/fips_enabled'), 'yes')));
    expect(r.status).toBe('error');
  });

  it('passes on the engine\'s "fips" security option (the check text\'s own test) even without host facts', async () => {
    const facts = await factsAfter((h) => fs.writeFileSync(h.at('/proc/sys/crypto/fips_enabled'), '0\n'));
    const labelled = { ...facts, info: { SecurityOptions: ['name=seccomp,profile=default', 'name=fips'] }, host: undefined };
    expect(fips.evaluate(labelled)).toMatchObject({ status: 'pass', observations: [{ field: 'info.SecurityOptions', value: 'name=fips' }] });
    expect(fips.evaluate({ ...facts, host: undefined }).status).toBe('error');
  });
});

describe('DKER-EE-001090 audit rules', () => {
  it('passes when every Docker path present has a rule (watches of /etc/docker cover daemon.json)', async () => {
    const r = audit.evaluate(await factsAfter(() => undefined));
    expect(r.status, r.message).toBe('pass');
    expect(r.observations.map((o) => o.target.name).sort()).toEqual(
      ['/etc/default/docker', '/etc/docker', '/etc/docker/daemon.json', '/lib/systemd/system/docker.service', '/lib/systemd/system/docker.socket', '/usr/bin/docker', '/var/lib/docker'].sort(),
    );
    expect(r.message).toMatch(/not required: \/usr\/bin\/docker-containerd, \/usr\/bin\/docker-runc/);
  });

  it('fails naming the path whose rule is missing', async () => {
    const r = audit.evaluate(await factsAfter((h) => fs.writeFileSync(h.at('/etc/audit/rules.d/docker.rules'), AUDIT_TEXT.replace('-w /var/lib/docker -k docker\n', ''))));
    expect(r.status).toBe('fail');
    expect(r.observations.filter((o) => o.verdict === 'fail').map((o) => o.target.name)).toEqual(['/var/lib/docker']);
  });

  it('reads /etc/audit/audit.rules too, and requires a rule for a docker-runc that exists', async () => {
    const r = audit.evaluate(
      await factsAfter((h) => {
        h.write('/usr/bin/docker-runc', 'bin', 0o755);
        h.write('/etc/audit/audit.rules', '-w /usr/bin/docker-runc -k docker\n', 0o640);
      }),
    );
    expect(r.status, r.message).toBe('pass');
    expect(r.observations.find((o) => o.target.name === '/usr/bin/docker-runc')).toMatchObject({ verdict: 'pass', value: '-w /usr/bin/docker-runc -k docker' });
  });

  it('fails when no audit rules file exists', async () => {
    const r = audit.evaluate(await factsAfter((h) => fs.rmSync(h.at('/etc/audit'), { recursive: true })));
    expect(r).toMatchObject({ status: 'fail', observations: [{ field: 'exists', value: false, target: { name: '/etc/audit/audit.rules' } }] });
  });

  it('ignores commented rules and rules files not ending in .rules', async () => {
    const r = audit.evaluate(
      await factsAfter((h) => {
        fs.renameSync(h.at('/etc/audit/rules.d/docker.rules'), h.at('/etc/audit/rules.d/docker.rules.disabled'));
        h.write('/etc/audit/rules.d/10-docker.rules', AUDIT_TEXT.replace('-w /etc/docker -k docker', '# -w /etc/docker -k docker'), 0o640);
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.observations.filter((o) => o.verdict === 'fail').map((o) => o.target.name)).toEqual(['/etc/docker', '/etc/docker/daemon.json']);
  });

  it('is an error when a rules file can\'t be read or the host part is missing', async () => {
    const facts = await factsAfter(() => undefined);
    if (facts.host?.status !== 'collected') throw new Error('host not collected');
    const files = facts.host.data.files.map((f) => (f.path.endsWith('docker.rules') ? { ...f, content: undefined } : f));
    expect(audit.evaluate({ ...facts, host: { status: 'collected', data: { ...facts.host.data, files } } }).status).toBe('error');
    expect(audit.evaluate({ ...facts, host: { status: 'failed', error: 'x' } }).status).toBe('error');
  });

  it('parses watches and path/dir fields; dir= and -w cover paths below, path= only itself', () => {
    const w = parseAuditRules('-w /etc/docker/ -p wa\n-a always,exit -F dir=/var/lib/docker -k d\n-a always,exit -F path=/usr/bin/docker\n', 'x.rules');
    expect(w.map((x) => [x.path, x.recursive])).toEqual([['/etc/docker', true], ['/var/lib/docker', true], ['/usr/bin/docker', false]]);
    expect(watchFor(w, '/etc/docker/daemon.json')?.path).toBe('/etc/docker');
    expect(watchFor(w, '/etc/dockerx')).toBeUndefined();
    expect(watchFor(w, '/usr/bin/docker/x')).toBeUndefined();
    expect(watchFor(parseAuditRules('-w /usr/lib/systemd/system/docker.service', 'y'), '/lib/systemd/system/docker.service')).toBeDefined();
  });
});
