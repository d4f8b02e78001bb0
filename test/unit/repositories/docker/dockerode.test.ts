import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFERRED_DOCKERODE_FILES, deferFunctionModule, dockerClass } from '../../../../src/repositories/docker/dockerode.js';
import { tempDir } from '../../../harness/content.js';

const load = createRequire(import.meta.url);
const dir = tempDir('plimsoll-dockerode-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerode without its BuildKit session and SSH parts', () => {
  it('defers the two modules where this dockerode keeps them (a new layout would load them eagerly again)', () => {
    // Nothing of dockerode is loaded until the first client is made.
    expect(load.cache[load.resolve('dockerode')]).toBeUndefined();
    expect(typeof dockerClass()).toBe('function');
    expect(load.cache[load.resolve('dockerode')]).toBeDefined();
    expect(DEFERRED_DOCKERODE_FILES.map((f) => f && path.relative(path.join(path.dirname(load.resolve('dockerode')), '..', '..'), f))).toEqual([
      path.join('dockerode', 'lib', 'session.js'),
      path.join('docker-modem', 'lib', 'ssh.js'),
    ]);
  });

  it('loads a deferred module on its first call, and only then', () => {
    const file = path.join(dir, 'one-function.cjs');
    fs.writeFileSync(file, 'globalThis.__plimsollLoaded = (globalThis.__plimsollLoaded ?? 0) + 1;\nmodule.exports = function (a) { return `real ${a} ${this?.name}`; };\n');
    deferFunctionModule(file);
    const g = globalThis as { __plimsollLoaded?: number };
    const fn = load(file) as (this: unknown, a: string) => string;
    expect(g.__plimsollLoaded).toBeUndefined();
    expect(fn.call({ name: 'self' }, 'x')).toBe('real x self');
    expect(fn('y')).toBe('real y undefined');
    expect(g.__plimsollLoaded).toBe(1);
  });
});
