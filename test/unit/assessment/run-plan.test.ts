/**
 * The run planner: the runs of one schedule firing share one plan (the library is read once), other firings and
 * unscheduled runs plan for themselves, content given with a request is never shared, and a failed plan is
 * not kept.
 */
import { describe, expect, it } from 'vitest';
import { RunPlanner } from '../../../src/assessment/run-plan.js';
import { ACTOR, BENCHMARK_ID, benchmark, MemoryImports, MemoryLibrary } from './fakes.js';

function planner(): { planner: RunPlanner; library: MemoryLibrary } {
  const library = new MemoryLibrary();
  library.add(benchmark('doc-1'));
  return { planner: new RunPlanner({ library, imports: new MemoryImports(library, new Map()) }), library };
}

const origin = (firingId?: string) => ({ scheduleId: 's-1', jobId: 'j-1', ...(firingId !== undefined ? { firingId } : {}) });

describe('RunPlanner', () => {
  it('reads the library once for the runs of one firing, and again for another firing', async () => {
    const { planner: p, library } = planner();
    const plans = await Promise.all([1, 2, 3].map(() => p.plan({ benchmark: BENCHMARK_ID, origin: origin('f-1') }, ACTOR)));
    expect(new Set(plans).size).toBe(1);
    expect(plans[0]!.rules.map((r) => r.stigId)).toHaveLength(4);
    expect(library.mappedCcis).toHaveLength(1);
    await p.plan({ benchmark: BENCHMARK_ID, origin: origin('f-2') }, ACTOR);
    expect(library.mappedCcis).toHaveLength(2);
  });

  it('plans every run without a firing, and keys a firing by actor, benchmark and profile too', async () => {
    const { planner: p, library } = planner();
    await p.plan({ benchmark: BENCHMARK_ID }, ACTOR);
    await p.plan({ benchmark: BENCHMARK_ID, origin: origin() }, ACTOR);
    expect(library.mappedCcis).toHaveLength(2);
    await p.plan({ benchmark: BENCHMARK_ID, origin: origin('f-1') }, ACTOR);
    await p.plan({ benchmark: 'doc-1', origin: origin('f-1') }, ACTOR);
    await p.plan({ benchmark: BENCHMARK_ID, origin: origin('f-1') }, { ...ACTOR, userId: 'u-bob' });
    expect(library.mappedCcis).toHaveLength(5);
  });

  it('shares a firing plan of several benchmarks, keyed by all of them', async () => {
    const { planner: p, library } = planner();
    library.add({ ...benchmark('doc-2'), id: 'other_benchmark' });
    const both = { benchmark: BENCHMARK_ID, additionalBenchmarks: [{ benchmark: 'other_benchmark' }], origin: origin('f-1') };
    const [a, b] = await Promise.all([p.plan(both, ACTOR), p.plan(both, ACTOR)]);
    expect(a).toBe(b);
    expect(a!.benchmarks.map((x) => x.benchmark.documentId)).toEqual(['doc-1', 'doc-2']);
    const alone = await p.plan({ benchmark: BENCHMARK_ID, origin: origin('f-1') }, ACTOR);
    expect(alone).not.toBe(a);
    expect(alone.benchmarks).toHaveLength(1);
  });

  it('does not keep a plan that failed: the next run of the firing tries again', async () => {
    const { planner: p, library } = planner();
    await expect(p.plan({ benchmark: 'missing', origin: origin('f-1') }, ACTOR)).rejects.toThrow(/not loaded/);
    library.add({ ...benchmark('missing'), id: 'missing' });
    await expect(p.plan({ benchmark: 'missing', origin: origin('f-1') }, ACTOR)).resolves.toMatchObject({ benchmarks: [{ benchmark: { documentId: 'missing' } }] });
  });
});
