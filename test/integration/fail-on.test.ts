/**
 * `plimsoll assess --fail-on SEVERITY` with the built executable against a private daemon: exit 0 while no
 * failed rule at or above the severity is open, exit 4 with the open ones listed on stderr otherwise. The
 * daemon first runs one hardened container (no high failure: `--fail-on high` passes, the daemon's default
 * json-file logging still fails medium rules); then a container with a writable root filesystem makes
 * DKER-EE-002030 (high) fail. Expectations are checked against the run's own JSON results too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARDENED_ARGS } from '../fixtures/fixture-containers.js';
import { CCI_LIST, DOCKER_STIG_V2R2, REV5_CATALOG_XML, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

const BIN = packageBin();
const BENCHMARK = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';
const run = promisify(execFile);

let dir: string;
let daemon: PrivateDaemon;

async function plimsoll(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PLIMSOLL_DB: path.join(dir, 'cli.db'), PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot, PLIMSOLL_HOST_ROOT: 'none' }, // host files of this machine (FIPS, daemon.json modes) are out of this test's control: their rules report error, which the gate does not count,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

interface JsonResult {
  stigId: string;
  nodeId: string;
  severity: string;
  status: string;
  exemption?: unknown;
}

const RANK: Record<string, number> = { low: 1, medium: 2, high: 3, unknown: 3 };

/** The open failures at or above `threshold`, computed from the run's JSON independently of the CLI. */
function openAtOrAbove(results: JsonResult[], threshold: 'high' | 'medium' | 'low'): string[] {
  return results.filter((r) => r.status === 'fail' && r.exemption === undefined && RANK[r.severity]! >= RANK[threshold]!).map((r) => `${r.stigId} ${r.nodeId}`).sort();
}

/** `STIG-ID NODE` of each line the gate listed on stderr. */
function listed(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /^\s+\S+\s+DKER-EE-\d+\s/.test(l))
    .map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '))
    .sort();
}

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  dir = tempDir('plimsoll-fail-on-');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await daemon.docker(['run', '-d', '--name', 'hardened', ...HARDENED_ARGS, '--network', 'none', BUSYBOX_IMAGE]);
  const imported = await plimsoll(['import', shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_XML)]);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
});

afterAll(async () => {
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('plimsoll assess --fail-on', () => {
  it('exits 0 for high with one hardened container, and says no high failure is open', async () => {
    const json = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK, '--fail-on', 'high', '--json']);
    const results = (JSON.parse(json.stdout) as { results: JsonResult[] }).results;
    expect(openAtOrAbove(results, 'high'), 'open high failures on the hardened daemon').toEqual([]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');

    const text = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK, '--fail-on', 'high']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('fail-on high: no open failed rule at or above high');
  });

  it('exits 4 for medium, listing exactly the open failures at or above medium', async () => {
    const { code, stdout, stderr } = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK, '--fail-on', 'medium', '--json']);
    const expected = openAtOrAbove((JSON.parse(stdout) as { results: JsonResult[] }).results, 'medium');
    // The private daemon logs with json-file: the remote log driver rule fails.
    expect(expected.map((e) => e.split(' ')[0])).toContain('DKER-EE-003320');
    expect(code).toBe(4);
    expect(stderr).toMatch(new RegExp(`^fail-on medium: ${expected.length} failed rules? at or above medium remains? open\\n`));
    expect(stderr).not.toMatch(/error\[/);
    expect(listed(stderr)).toEqual(expected);
  });

  it('exits 4 for high once a container has a writable root filesystem, naming DKER-EE-002030', async () => {
    const writable = HARDENED_ARGS.filter((a) => a !== '--read-only');
    await daemon.docker(['create', '--name', 'writable', ...writable, '--network', 'none', BUSYBOX_IMAGE]);
    const json = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK, '--fail-on', 'high', '--json']);
    const expected = openAtOrAbove((JSON.parse(json.stdout) as { results: JsonResult[] }).results, 'high');
    expect(expected.map((e) => e.split(' ')[0])).toContain('DKER-EE-002030');
    expect(json.code).toBe(4);
    expect(listed(json.stderr)).toEqual(expected);
    expect(json.stderr).toMatch(/^\s+high\s+DKER-EE-002030\s+\S+\s+All Docker Enterprise containers root filesystem must be mounted as read only\.$/m);

    // Without --fail-on the same run exits 0, whatever it found.
    const plain = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/failed by severity: high [1-9]/);
  });

  it('refuses an unknown severity with exit 2', async () => {
    const { code, stderr } = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', BENCHMARK, '--fail-on', 'critical']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--fail-on.*critical.*high, medium, low/s);
  });
});
