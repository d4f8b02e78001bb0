import { describe, expect, it } from 'vitest';
import { runBounded, runInBoundedWorker, workerErrorLines } from '../../../src/cli/bounded-worker.js';
import { runsBounded } from '../../../src/cli/commands/index.js';
import { ConfigError, loadAssessHeapMb, loadConfig } from '../../../src/config/config.js';

const fixture = (name: string) => new URL(`../../fixtures/workers/${name}`, import.meta.url);

function capture() {
  const err: string[] = [];
  return { io: { out: () => undefined, err: (t: string) => void err.push(t) }, err };
}

describe('runsBounded', () => {
  it('bounds assess only (the index marks it), after global options and their values, never its help', () => {
    expect(runsBounded(['assess', '--node', 'n', '--benchmark', 'b'])).toBe(true);
    expect(runsBounded(['--as', 'ann', 'assess', '--node', 'n'])).toBe(true);
    expect(runsBounded(['--as=ann', 'assess'])).toBe(true);
    expect(runsBounded(['assess', '--help'])).toBe(false);
    expect(runsBounded(['assess', '-h'])).toBe(false);
    expect(runsBounded(['help', 'assess'])).toBe(false);
    expect(runsBounded(['import', 'file.xml'])).toBe(false);
    expect(runsBounded(['--as', 'assess', 'node', 'list'])).toBe(false);
    expect(runsBounded([])).toBe(false);
  });
});

describe('runBounded', () => {
  const inProcess = async () => 42;

  it('runs in a worker with the configured limit, in this thread with 0 or an invalid setting (reported by the command itself)', async () => {
    const { io } = capture();
    expect(await runBounded(fixture('exit-code.mjs'), ['assess', '3'], io, inProcess, { PLIMSOLL_ASSESS_HEAP_MB: '256' })).toBe(3);
    expect(await runBounded(fixture('exit-code.mjs'), ['assess', '3'], io, inProcess, {})).toBe(3);
    expect(await runBounded(fixture('exit-code.mjs'), ['assess', '3'], io, inProcess, { PLIMSOLL_ASSESS_HEAP_MB: '0' })).toBe(42);
    expect(await runBounded(fixture('exit-code.mjs'), ['assess', '3'], io, inProcess, { PLIMSOLL_ASSESS_HEAP_MB: 'lots' })).toBe(42);
  });
});

describe('runInBoundedWorker', () => {
  it('passes the arguments and returns the exit code the worker set', async () => {
    const { io, err } = capture();
    expect(await runInBoundedWorker(fixture('exit-code.mjs'), ['assess', '4'], 256, io)).toBe(4);
    expect(await runInBoundedWorker(fixture('exit-code.mjs'), ['assess', '0'], 256, io)).toBe(0);
    expect(err).toEqual([]);
  });

  it('stops a worker at its heap limit with an error naming the setting, exit 1', async () => {
    const { io, err } = capture();
    expect(await runInBoundedWorker(fixture('allocate-forever.mjs'), [], 64, io)).toBe(1);
    expect(err.join('\n')).toMatch(/^error\[INTERNAL\]: the command ran out of memory: its JavaScript heap is limited to 64 MB \(PLIMSOLL_ASSESS_HEAP_MB\)/);
  }, 60_000);

  it('prints any other error that ends a worker as the CLI prints errors', () => {
    expect(workerErrorLines(new Error('boom'), 1024)[0]).toBe('error[INTERNAL]: boom');
  });
});

describe('PLIMSOLL_ASSESS_HEAP_MB', () => {
  it('defaults to 512, takes 0 (no worker) or 256 to 65536, and refuses the rest', () => {
    expect(loadAssessHeapMb({})).toBe(512);
    expect(loadConfig({}, { PLIMSOLL_PROJECT_ROOT: '/srv/p' }, '/w').assessHeapMb).toBe(512);
    expect(loadAssessHeapMb({ PLIMSOLL_ASSESS_HEAP_MB: '0' })).toBe(0);
    expect(loadAssessHeapMb({ PLIMSOLL_ASSESS_HEAP_MB: '256' })).toBe(256);
    for (const bad of ['255', '1', '-1', 'lots', '65537', '1.5']) {
      expect(() => loadAssessHeapMb({ PLIMSOLL_ASSESS_HEAP_MB: bad })).toThrow(ConfigError);
      expect(() => loadConfig({}, { PLIMSOLL_PROJECT_ROOT: '/srv/p', PLIMSOLL_ASSESS_HEAP_MB: bad }, '/w')).toThrow(/PLIMSOLL_ASSESS_HEAP_MB/);
    }
  });
});
