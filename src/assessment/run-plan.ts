/**
 * The part of a run that depends on its benchmarks only, not on a node: each benchmark with its profile and the
 * rules it selects, and their SP 800-53 mappings (benchmark-plan.ts). A schedule firing runs the same benchmarks
 * on many nodes, one run per node: its runs share one plan (read from the library once per firing instead of
 * once per node), so the library's content is also the same for every node of the firing. Any other run plans
 * for itself.
 */
import type { Principal } from '../domain/auth.js';
import type { AssessmentRequest, StoredRule } from '../domain/services.js';
import { controlLookupOf, planBenchmarks, type PlannedBenchmark, selectionsOf } from './benchmark-plan.js';
import type { ControlLookup } from './evaluate.js';
import type { BenchmarkResolutionDeps } from './targets.js';

/** A run's benchmarks (read-only: shared by the runs of a firing), all their selected rules and the control lookup. */
export interface RunPlan {
  /** In request order; the first is the run's primary benchmark. */
  benchmarks: readonly PlannedBenchmark[];
  rules: readonly StoredRule[];
  controls: ControlLookup;
}

/** Plans of the most recent firings kept at once: firings of several schedules may overlap. */
const PLANS_KEPT = 16;

type PlannedRequest = Pick<AssessmentRequest, 'benchmark' | 'profileId' | 'additionalBenchmarks' | 'origin'>;

/** Plans runs, sharing one plan among the runs of one schedule firing (bounded, most recent firings). */
export class RunPlanner {
  private readonly shared = new Map<string, Promise<RunPlan>>();

  constructor(private readonly deps: BenchmarkResolutionDeps) {}

  /** The plan of a request: the firing's shared one when the request names a firing and stored benchmarks only. */
  plan(request: PlannedRequest, actor: Principal): Promise<RunPlan> {
    const firing = request.origin?.firingId;
    const selections = selectionsOf(request);
    // Content given with the request is imported by each run (its import is the caller's act): never shared.
    if (firing === undefined || selections.some((s) => typeof s.benchmark !== 'string')) return this.make(request, actor);
    const key = JSON.stringify([firing, actor.userId, selections.map((s) => [s.benchmark, s.profileId ?? null])]);
    let plan = this.shared.get(key);
    if (plan === undefined) {
      plan = this.make(request, actor);
      this.shared.set(key, plan);
      if (this.shared.size > PLANS_KEPT) this.shared.delete(this.shared.keys().next().value!);
      // A plan that failed is not kept: the next run of the firing tries again (and reports its own error).
      plan.catch(() => {
        if (this.shared.get(key) === plan) this.shared.delete(key);
      });
    }
    return plan;
  }

  private async make(request: PlannedRequest, actor: Principal): Promise<RunPlan> {
    const benchmarks = await planBenchmarks(selectionsOf(request), this.deps, actor);
    const rules = benchmarks.flatMap((b) => b.rules);
    return { benchmarks, rules, controls: await controlLookupOf(rules, this.deps.library) };
  }
}
