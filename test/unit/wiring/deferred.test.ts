/** Services made on first use (src/wiring/deferred.ts): built once, on the first call, and never mistaken for a promise. */
import { describe, expect, it } from 'vitest';
import { deferred } from '../../../src/wiring/deferred.js';

interface Counter {
  add(n: number): Promise<number>;
  label: string;
}

function counting(): { made: () => number; service: Counter } {
  let made = 0;
  const service = deferred<Counter>(async () => {
    made += 1;
    let total = 0;
    return { add: async (n: number) => (total += n), label: 'a value, not a method' };
  });
  return { made: () => made, service };
}

describe('deferred', () => {
  it('builds the service on the first call, once for concurrent calls, and calls the member of that name', async () => {
    const { made, service } = counting();
    expect(made()).toBe(0);
    expect(await Promise.all([service.add(1), service.add(2)])).toEqual([1, 3]);
    expect(await service.add(4)).toBe(7);
    expect(made()).toBe(1);
  });

  it('is no promise: resolving one with it (a deferred service behind another) neither builds nor calls it', async () => {
    const { made, service } = counting();
    const outer = deferred<Counter>(async () => service);
    expect(await Promise.resolve(service)).toBe(service);
    expect(made()).toBe(0);
    expect(await outer.add(5)).toBe(5);
    expect(made()).toBe(1);
  });

  it('refuses a member that is no method', async () => {
    const { service } = counting();
    await expect((service.label as unknown as () => Promise<unknown>)()).rejects.toThrow(TypeError);
  });
});
