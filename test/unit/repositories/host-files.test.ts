import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { DockerClient, EngineRequestOptions } from '../../../src/repositories/docker-client.js';
import { HostFilesUnavailableError, HostRootFiles, type HostReadRequest } from '../../../src/repositories/host-files.js';
import { HELPER_LABEL, HelperContainerFiles, demuxLogs } from '../../../src/repositories/host/helper-container-files.js';
import { HelperLedger } from '../../../src/repositories/host/helper-ledger.js';
import { HOST_MOUNT, buildHelperScript, parseHelperOutput } from '../../../src/repositories/host/helper-script.js';
import { hostAccess } from '../../../src/repositories/host/host-access.js';
import { DOCKERD_ARGS, DOCKERD_PID, compliantHost, type FakeHost } from '../checks/host/fake-host.js';

let host: FakeHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

const REQUEST: HostReadRequest = {
  files: [
    { path: '/var/run/docker.sock' },
    { path: '/etc/docker', content: true },
    { path: '/etc/docker/daemon.json', content: true },
    { path: '/etc/systemd/system/docker.service' },
    { path: '/etc/docker/tls/key.pem' },
    { path: '/etc/dangling', content: true },
    { path: '/etc/loop' },
    { path: '/etc/docker/../default/./docker', content: true },
    { path: '/escape/docker.json', content: true },
  ],
  trees: [{ path: '/etc/docker/certs.d' }, { path: '/etc/audit/rules.d', contentSuffix: '.rules' }, { path: '/nonexistent' }],
};

/** The compliant fake host plus links that test resolution inside the root. */
async function linkedHost(): Promise<FakeHost> {
  const h = await compliantHost();
  fs.mkdirSync(h.at('/etc/systemd/system'), { recursive: true });
  fs.symlinkSync('../../../lib/systemd/system/docker.service', h.at('/etc/systemd/system/docker.service'));
  fs.symlinkSync('/etc/nothing-here', h.at('/etc/dangling'));
  fs.symlinkSync('/etc/loop', h.at('/etc/loop'));
  // An absolute link must not escape the root: /escape → / resolves to the fake root, not the real one.
  fs.symlinkSync('/', h.at('/escape'));
  h.write('/docker.json', '{"inside": true}', 0o600, 1000, 999);
  return h;
}

describe('HostRootFiles', () => {
  it('stats files as the host sees them, resolving links inside the root, and names owners from its tables', async () => {
    host = await linkedHost();
    const r = await new HostRootFiles(host.root).read(REQUEST);
    expect(r.via).toBe('host-root');
    expect(r.files.map((f) => [f.path, f.exists, f.type, f.mode, f.owner, f.group])).toEqual([
      ['/var/run/docker.sock', true, 'socket', '660', 'root', 'docker'],
      ['/etc/docker', true, 'directory', '755', 'root', 'root'],
      ['/etc/docker/daemon.json', true, 'file', '644', 'root', 'root'],
      ['/etc/systemd/system/docker.service', true, 'file', '644', 'root', 'root'],
      ['/etc/docker/tls/key.pem', true, 'file', '400', 'root', 'root'],
      ['/etc/dangling', false, undefined, undefined, undefined, undefined],
      ['/etc/loop', false, 'symlink', undefined, undefined, undefined],
      ['/etc/docker/../default/./docker', true, 'file', '644', 'root', 'root'],
      ['/escape/docker.json', true, 'file', '600', 'alice', 'docker'],
    ]);
    expect(r.files[2]?.content).toBe('{"log-driver": "json-file", "icc": false}\n');
    expect(r.files[1]?.content).toBeUndefined(); // a directory has no content
    expect(r.files[4]?.content).toBeUndefined(); // never asked for
    expect(r.files[8]?.content).toBe('{"inside": true}');
  });

  it('walks trees, reading content only of files with the suffix', async () => {
    host = await linkedHost();
    const r = await new HostRootFiles(host.root).read(REQUEST);
    expect(r.trees['/etc/docker/certs.d']?.map((f) => [f.path, f.type, f.mode])).toEqual([
      ['/etc/docker/certs.d', 'directory', '755'],
      ['/etc/docker/certs.d/registry.example:5000', 'directory', '755'],
      ['/etc/docker/certs.d/registry.example:5000/ca.crt', 'file', '444'],
      ['/etc/docker/certs.d/registry.example:5000/client.cert', 'file', '444'],
    ]);
    expect(r.trees['/etc/docker/certs.d']?.some((f) => f.content !== undefined)).toBe(false);
    expect(r.trees['/etc/audit/rules.d']?.[1]).toMatchObject({ path: '/etc/audit/rules.d/docker.rules', content: expect.stringContaining('-w /etc/docker -k docker') });
    expect(r.trees['/nonexistent']).toEqual([{ path: '/nonexistent', exists: false }]);
  });

  it('reports content it can not keep instead of dropping it silently', async () => {
    host = await compliantHost();
    host.write('/etc/big', 'x'.repeat(1024 * 1024 + 1), 0o644);
    const r = await new HostRootFiles(host.root).read({ files: [{ path: '/etc/big', content: true }] });
    expect(r.files[0]).toMatchObject({ exists: true, contentError: 'larger than 1048576 bytes' });
    expect(r.files[0]?.content).toBeUndefined();
  });

  it('finds processes by name in its proc root and reads the FIPS flag there', async () => {
    host = await compliantHost();
    const r = await new HostRootFiles(host.root).read({ processes: ['dockerd'], fips: true });
    expect(r.processes).toEqual([{ pid: DOCKERD_PID, comm: 'dockerd', cmdline: DOCKERD_ARGS }]);
    expect(r.fips).toEqual({ path: host.at('/proc/sys/crypto/fips_enabled'), value: '1', procPresent: true });
    fs.rmSync(host.at('/proc'), { recursive: true });
    const none = await new HostRootFiles(host.root).read({ processes: ['dockerd'], fips: true });
    expect(none.processes).toEqual([]);
    expect(none.fips).toMatchObject({ value: null, procPresent: false });
  });
});

/** Runs the helper script with the local busybox, its host mount pointed at the fake root instead of /host. */
function runScriptLocally(request: HostReadRequest, root: string): string {
  const script = buildHelperScript(request, '/bin/busybox').replace(`H=${HOST_MOUNT}`, `H='${root}'`);
  return execFileSync('/bin/busybox', ['sh', '-c', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

describe('the helper script', () => {
  it('reads the same files, trees and contents as HostRootFiles on the same host', async () => {
    host = await linkedHost();
    const viaScript = parseHelperOutput(runScriptLocally(REQUEST, host.root), REQUEST, 'local busybox');
    const viaRoot = await new HostRootFiles(host.root).read(REQUEST);
    // The script leaves naming owners to the caller (it reads the host's tables as two more files).
    const strip = (f: object): object => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'owner' && k !== 'group'));
    expect(viaScript.files.map(strip)).toEqual(viaRoot.files.map(strip));
    expect(Object.fromEntries(Object.entries(viaScript.trees).map(([k, v]) => [k, v.map(strip)]))).toEqual(
      Object.fromEntries(Object.entries(viaRoot.trees).map(([k, v]) => [k, v.map(strip)])),
    );
  });

  it('quotes paths with quotes and spaces', async () => {
    host = await compliantHost();
    host.write("/etc/it's a file", 'content with\nnewline', 0o640);
    const request = { files: [{ path: "/etc/it's a file", content: true }] };
    const r = parseHelperOutput(runScriptLocally(request, host.root), request, 'x');
    expect(r.files[0]).toMatchObject({ exists: true, mode: '640', content: 'content with\nnewline' });
  });

  it('rejects incomplete or unexpected output', () => {
    const request = { files: [{ path: '/a' }] };
    expect(() => parseHelperOutput('F 0 missing\n', request, 'x')).toThrow(/incomplete/);
    expect(() => parseHelperOutput('END\n', request, 'x')).toThrow(/did not report \/a/);
    expect(() => parseHelperOutput('F 0 missing\nZ what\nEND\n', request, 'x')).toThrow(/unexpected line/);
    expect(() => parseHelperOutput('F 0 weird\nEND\n', request, 'x')).toThrow(/unreadable stat/);
  });
});

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** A strict fake engine answering the helper's calls from a canned script output. */
class HelperEngine implements DockerClient {
  readonly endpoint = 'tcp://10.0.0.5:2376';
  calls: { method: string; path: string; options?: EngineRequestOptions }[] = [];
  constructor(private readonly answer: { create?: unknown | Error; exitCode?: number; stdout?: string; stderr?: string }) {}
  async ping() {}
  async version(): Promise<never> {
    throw new Error('unexpected version');
  }
  async info(): Promise<never> {
    throw new Error('unexpected info');
  }
  async listContainers(): Promise<never> {
    throw new Error('unexpected listContainers');
  }
  async inspectContainer(): Promise<never> {
    throw new Error('unexpected inspectContainer');
  }
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, options?: EngineRequestOptions): Promise<unknown> {
    this.calls.push({ method, path, ...(options !== undefined ? { options } : {}) });
    if (method === 'POST' && path === '/containers/create') {
      if (this.answer.create instanceof Error) throw this.answer.create;
      return this.answer.create ?? { Id: 'abc123def4567890' };
    }
    if (method === 'POST' && path === '/containers/abc123def4567890/start') return '';
    if (method === 'POST' && path === '/containers/abc123def4567890/wait') return { StatusCode: this.answer.exitCode ?? 0 };
    if (method === 'GET' && path === '/containers/abc123def4567890/logs') return Buffer.concat([frame(1, this.answer.stdout ?? ''), frame(2, this.answer.stderr ?? '')]);
    if (method === 'DELETE' && path === '/containers/abc123def4567890') return '';
    throw new Error(`unexpected ${method} ${path}`);
  }
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('HelperContainerFiles', () => {
  const request: HostReadRequest = { files: [{ path: '/var/run/docker.sock' }], processes: ['dockerd'], fips: true };
  const output = [
    'F 0 socket|0|999|660',
    'F 1 regular file|0|0|644',
    `C 1 =${b64('root:x:0:0::/root:/bin/sh\n')}`,
    'F 2 regular file|0|0|644',
    `C 2 =${b64('root:x:0:\ndocker:x:999:\n')}`,
    `P 812 ${b64('dockerd')} ${b64('/usr/bin/dockerd\0-H\0fd://\0')}`,
    'X =0',
    'END',
    '',
  ].join('\n');

  it('runs one labelled, read-only, network-less container mounting the host root, parses it and removes it', async () => {
    const engine = new HelperEngine({ stdout: output });
    const r = await new HelperContainerFiles(engine, { image: 'busybox:1.36', hostRoot: '/srv/host' }).read(request);
    expect(r.files).toEqual([{ path: '/var/run/docker.sock', exists: true, type: 'socket', uid: 0, gid: 999, mode: '660', owner: 'root', group: 'docker' }]);
    expect(r.processes).toEqual([{ pid: 812, comm: 'dockerd', cmdline: ['/usr/bin/dockerd', '-H', 'fd://'] }]);
    expect(r.fips).toEqual({ path: '/proc/sys/crypto/fips_enabled', value: '0', procPresent: true });
    expect(r.source).toMatch(/^helper container abc123def456 \(image busybox:1\.36\) on tcp:\/\/10\.0\.0\.5:2376$/);
    expect(engine.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /containers/create',
      'POST /containers/abc123def4567890/start',
      'POST /containers/abc123def4567890/wait',
      'GET /containers/abc123def4567890/logs',
      'DELETE /containers/abc123def4567890',
    ]);
    const body = engine.calls[0]?.options?.body as { Labels: Record<string, string>; Entrypoint: string[]; HostConfig: Record<string, unknown> };
    expect(body.Labels).toEqual({ [HELPER_LABEL]: 'true' });
    expect(body.Entrypoint.slice(0, 3)).toEqual(['/bin/busybox', 'sh', '-c']);
    expect(body.HostConfig).toMatchObject({ Binds: ['/srv/host:/host:ro'], PidMode: 'host', NetworkMode: 'none', ReadonlyRootfs: true, CapDrop: ['ALL'], CapAdd: ['DAC_READ_SEARCH'] });
    expect(engine.calls[4]?.options?.query).toEqual({ force: true, v: true });
  });

  it('records the id of every helper it creates in its ledger (the collector leaves out exactly those)', async () => {
    const ledger = new HelperLedger();
    await new HelperContainerFiles(new HelperEngine({ stdout: output }), { image: 'busybox', ledger }).read(request);
    expect(ledger.owns('abc123def4567890')).toBe(true);
    expect(ledger.owns('another')).toBe(false);
  });

  it('does not join the host pid namespace when no process is asked for', async () => {
    const engine = new HelperEngine({ stdout: 'F 0 missing\nF 1 missing\nF 2 missing\nEND\n' });
    await new HelperContainerFiles(engine, { image: 'busybox' }).read({ files: [{ path: '/x' }] });
    expect((engine.calls[0]?.options?.body as { HostConfig: { PidMode: string; Binds: string[] } }).HostConfig).toMatchObject({ PidMode: '', Binds: ['/:/host:ro'] });
  });

  it('removes the container when the script fails, and reports its stderr', async () => {
    const engine = new HelperEngine({ exitCode: 2, stderr: 'sh: stat: not found\n' });
    await expect(new HelperContainerFiles(engine, { image: 'busybox' }).read(request)).rejects.toThrow(/exited with 2: sh: stat: not found/);
    expect(engine.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/containers/abc123def4567890' });
  });

  it('is unavailable when the helper image is not on the node', async () => {
    const engine = new HelperEngine({ create: new PlimsollError(ErrorCode.NOT_FOUND, 'No such image: busybox:1.36') });
    const read = new HelperContainerFiles(engine, { image: 'busybox:1.36' }).read(request);
    await expect(read).rejects.toBeInstanceOf(HostFilesUnavailableError);
    await expect(read).rejects.toThrow(/helper image busybox:1\.36 is not on tcp:\/\/10\.0\.0\.5:2376/);
    expect(engine.calls).toHaveLength(1);
  });

  it('demultiplexes log frames and rejects truncated streams', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'a'), frame(2, 'err'), frame(1, 'b')]))).toEqual({ stdout: 'ab', stderr: 'err' });
    expect(() => demuxLogs(frame(1, 'abc').subarray(0, 10))).toThrow(/inside a frame/);
    expect(() => demuxLogs(Buffer.concat([frame(1, 'a'), Buffer.from([1, 0])]))).toThrow(/truncated frame header/);
  });
});

describe('hostAccess', () => {
  const client = new HelperEngine({});
  it('reads local nodes through the host root, others through the helper, and says why when neither is configured', () => {
    const both = hostAccess({ hostRoot: '/', helperImage: 'busybox:1.36' });
    expect(both({ name: 'local', endpoint: 'unix:///var/run/docker.sock' }, client)).toBeInstanceOf(HostRootFiles);
    expect(both({ name: 'remote', endpoint: 'tcp://10.0.0.5:2376' }, client)).toBeInstanceOf(HelperContainerFiles);
    expect(hostAccess({ helperImage: 'b' })({ name: 'local', endpoint: 'unix:///s' }, client)).toBeInstanceOf(HelperContainerFiles);
    expect(hostAccess({ hostRoot: '/' })({ name: 'remote', endpoint: 'tcp://h:2376' }, client)).toEqual({ unavailable: expect.stringMatching(/remote node and no helper image \(PLIMSOLL_HOST_HELPER_IMAGE\)/) });
    expect(hostAccess({})({ name: 'local', endpoint: 'unix:///s' }, client)).toEqual({ unavailable: expect.stringMatching(/neither a host root/) });
  });
});
