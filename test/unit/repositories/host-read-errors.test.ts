/**
 * Only "no such file" (ENOENT) means a host file is absent. Every other failure (permission denied, an I/O
 * error, a name too long, a helper that could not read) leaves the file's existence unknown: the read records
 * the cause, and every rule that needs the file reports `error` naming the file and the cause, never `pass`.
 * Seen three ways: HostRootFiles over a file system that fails chosen calls, the real file system's own
 * ENAMETOOLONG, and the helper script run by the real busybox as an unprivileged user (real EACCES).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFor } from '../../../src/checks/registry.js';
import { HostRootFiles, type HostReadRequest } from '../../../src/repositories/host-files.js';
import { HOST_MOUNT, buildHelperScript, parseHelperOutput } from '../../../src/repositories/host/helper-script.js';
import { collect, compliantHost, evaluate, failingFs, type FakeHost } from '../checks/host/fake-host.js';

let host: FakeHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

const LONG = `/etc/${'x'.repeat(300)}`;

describe('HostRootFiles read errors', () => {
  it('records a stat failure other than ENOENT as an error with its cause, and ENOENT as absent', async () => {
    host = await compliantHost();
    const files = new HostRootFiles(host.root, { fs: failingFs(host, { '/etc/docker/daemon.json': { call: 'stat', code: 'EACCES' }, '/usr/bin/docker': { call: 'stat', code: 'EIO' } }) });
    const r = await files.read({ files: [{ path: '/etc/docker/daemon.json', content: true }, { path: '/usr/bin/docker' }, { path: '/etc/absent' }, { path: LONG }] });
    expect(r.files[0]).toEqual({ path: '/etc/docker/daemon.json', exists: false, error: 'EACCES: permission denied (stat)' });
    expect(r.files[1]).toEqual({ path: '/usr/bin/docker', exists: false, error: 'EIO: i/o error (stat)' });
    expect(r.files[2]).toEqual({ path: '/etc/absent', exists: false });
    // A real failure of the real file system, as root: a name component longer than 255 bytes.
    expect(r.files[3]).toMatchObject({ path: LONG, exists: false, error: expect.stringMatching(/^ENAMETOOLONG/) });
  });

  it('records a failing path component, unreadable content, an unlisted directory and an unreadable FIPS flag', async () => {
    host = await compliantHost();
    const files = new HostRootFiles(host.root, {
      fs: failingFs(host, {
        '/etc/docker': { call: 'lstat', code: 'EIO' },
        '/etc/default/docker': { call: 'readFile', code: 'EACCES' },
        '/etc/audit/rules.d': { call: 'readdir', code: 'EACCES' },
        '/proc/sys/crypto/fips_enabled': { call: 'readFile', code: 'EACCES' },
      }),
    });
    const r = await files.read({
      files: [{ path: '/etc/docker/daemon.json' }, { path: '/etc/default/docker', content: true }],
      trees: [{ path: '/etc/audit/rules.d', contentSuffix: '.rules' }],
      fips: true,
    });
    expect(r.files[0]).toMatchObject({ exists: false, error: 'EIO: i/o error (lstat)' });
    expect(r.files[1]).toMatchObject({ exists: true, contentError: 'EACCES: permission denied (readFile)' });
    expect(r.trees['/etc/audit/rules.d']?.[0]).toMatchObject({ exists: true, type: 'directory', contentError: expect.stringContaining('/etc/audit/rules.d: EACCES') });
    expect(r.fips).toMatchObject({ value: null, procPresent: true, error: 'EACCES: permission denied (readFile)' });
  });
});

describe('rules on unreadable host files', () => {
  it('an unreadable daemon.json that binds a TCP socket does not pass the TCP-socket rule: error naming the file and the cause', async () => {
    host = await compliantHost();
    host.write('/proc/4242/cmdline', 'dockerd\0-H\0unix:///var/run/docker.sock\0', 0o444);
    host.write('/etc/docker/daemon.json', '{"hosts": ["tcp://0.0.0.0:2375"]}', 0o600);
    expect(checkFor('DKER-EE-001050')?.evaluate(await collect(host)).status).toBe('fail');

    for (const call of ['stat', 'readFile'] as const) {
      const facts = await collect(host, undefined, failingFs(host, { '/etc/docker/daemon.json': { call, code: 'EACCES' } }));
      expect(facts.daemon).toEqual({ status: 'failed', error: expect.stringMatching(/^\/etc\/docker\/daemon\.json (exists but )?can't be read: EACCES: permission denied/) });
      const tcp = checkFor('DKER-EE-001050')!.evaluate(facts);
      expect(tcp.status, call).toBe('error');
      expect(tcp.message).toMatch(/\/etc\/docker\/daemon\.json (exists but )?can't be read: EACCES/);
    }
    const statFails = evaluate(await collect(host, undefined, failingFs(host, { '/etc/docker/daemon.json': { call: 'stat', code: 'EIO' } })));
    // Its owner and mode can't be judged either: the daemon part failed, and the file rule names the file.
    for (const id of ['DKER-EE-005330', 'DKER-EE-005340']) expect(statFails.get(id)?.status, id).toBe('error');
  });

  it('every host rule whose file fails to stat reports error naming the cause', async () => {
    host = await compliantHost();
    const cases: [string, string][] = [
      ['/lib/systemd/system/docker.service', 'DKER-EE-005170'],
      ['/lib/systemd/system/docker.socket', 'DKER-EE-005200'],
      ['/etc/docker', 'DKER-EE-005220'],
      ['/etc/docker/tls/key.pem', 'DKER-EE-005300'],
      ['/etc/docker/certs.d/registry.example:5000/ca.crt', 'DKER-EE-005240'],
      ['/etc/default/docker', 'DKER-EE-005360'],
      ['/usr/bin/docker', 'DKER-EE-001090'],
    ];
    for (const [file, stigId] of cases) {
      const outcome = evaluate(await collect(host, undefined, failingFs(host, { [file]: { call: 'stat', code: 'EIO' } }))).get(stigId);
      expect(outcome?.status, `${stigId} with ${file} failing`).toBe('error');
      expect(outcome?.message, stigId).toContain(file);
      expect(outcome?.message, stigId).toContain('EIO');
    }
    const unlisted = evaluate(await collect(host, undefined, failingFs(host, { '/etc/docker/certs.d': { call: 'readdir', code: 'EACCES' } })));
    expect(unlisted.get('DKER-EE-005230')).toMatchObject({ status: 'error', message: expect.stringContaining('entries could not be read') });
    const fips = evaluate(await collect(host, undefined, failingFs(host, { '/proc/sys/crypto/fips_enabled': { call: 'readFile', code: 'EACCES' } })));
    expect(fips.get('DKER-EE-001070')).toMatchObject({ status: 'error', message: expect.stringContaining('could not be read (EACCES') });
  });
});

/** The helper script run by the local busybox as user nobody (no capability), its host mount pointed at `root`. */
function runScriptAsNobody(request: HostReadRequest, root: string): string {
  const script = buildHelperScript(request, '/bin/busybox').replace(`H=${HOST_MOUNT}`, `H='${root}'`);
  return execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/busybox', 'sh', '-c', script], { encoding: 'utf8' });
}

describe('the helper script on unreadable files (real EACCES)', () => {
  it('reports permission denied as an error, not as a missing file, for stats, contents and listings', async () => {
    host = await compliantHost();
    host.mkdir('/secret', 0o700);
    host.write('/secret/daemon.json', '{"hosts": ["tcp://0.0.0.0:2375"]}', 0o600);
    host.write('/etc/docker/private.json', '{}', 0o600);
    host.write('/etc/audit/rules.d/private/x.rules', '-w /etc/docker', 0o600);
    fs.chmodSync(host.at('/etc/audit/rules.d/private'), 0o700);
    const request: HostReadRequest = {
      files: [{ path: '/secret/daemon.json', content: true }, { path: '/etc/docker/private.json', content: true }, { path: '/etc/absent', content: true }],
      trees: [{ path: '/etc/audit/rules.d', contentSuffix: '.rules' }],
    };
    const r = parseHelperOutput(runScriptAsNobody(request, host.root), request, 'local busybox as nobody');
    expect(r.files[0]).toEqual({ path: '/secret/daemon.json', exists: false, error: 'Permission denied' });
    expect(r.files[1]).toMatchObject({ path: '/etc/docker/private.json', exists: true, contentError: 'Permission denied' });
    expect(r.files[1]?.content).toBeUndefined();
    expect(r.files[2]).toEqual({ path: '/etc/absent', exists: false });
    expect(r.trees['/etc/audit/rules.d']?.[0]?.contentError).toMatch(/^its entries could not all be listed \(.*\/etc\/audit\/rules\.d\/private.*Permission denied/);
  });

  it('parses an unreadable FIPS flag as unknown', () => {
    const b64 = Buffer.from('Permission denied').toString('base64');
    const r = parseHelperOutput(`X ?${b64}\nEND\n`, { fips: true }, 'x');
    expect(r.fips).toEqual({ path: '/proc/sys/crypto/fips_enabled', value: null, procPresent: true, error: 'Permission denied' });
  });
});
