/**
 * The part of a run that depends on the benchmark only, not on a node: the benchmark, the profile, the rules it
 * selects and their SP 800-53 mappings. A schedule firing runs one benchmark on many nodes, one run per node:
 * its runs share one plan (read from the library once per firing instead of once per node), so the library's
 * content is also the same for every node of the firing. Any other run plans for itself.
 */
import type { Principal } from '../domain/auth.js';
import type { BenchmarkProfile } from '../domain/content.js';
import type { AssessmentRequest, ImportService, LibraryService, StoredBenchmark, StoredRule } from '../domain/services.js';
import { controlLookupFrom, selectRules, type ControlLookup } from './evaluate.js';
import { resolveBenchmark, resolveProfile } from './targets.js';

/** A run's benchmark, profile, selected rules (read-only: shared by the runs of a firing) and control lookup. */
export interface RunPlan {
  benchmark: StoredBenchmark;
  profile: BenchmarkProfile | undefined;
  rules: readonly StoredRule[];
  controls: ControlLookup;
}

/** Plans of the most recent firings kept at once: firings of several schedules may overlap. */
const PLANS_KEPT = 16;

/** Plans runs, sharing one plan among the runs of one schedule firing (bounded, most recent firings). */
export class RunPlanner {
  private readonly shared = new Map<string, Promise<RunPlan>>();

  constructor(private readonly deps: { library: LibraryService; imports: ImportService }) {}

  /** The plan of a request: the firing's shared one when the request names a firing and a stored benchmark. */
  plan(request: Pick<AssessmentRequest, 'benchmark' | 'profileId' | 'origin'>, actor: Principal): Promise<RunPlan> {
    const firing = request.origin?.firingId;
    // Content given with the request is imported by each run (its import is the caller's act): never shared.
    if (firing === undefined || typeof request.benchmark !== 'string') return this.make(request, actor);
    const key = JSON.stringify([firing, actor.userId, request.benchmark, request.profileId ?? null]);
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

  private async make(request: Pick<AssessmentRequest, 'benchmark' | 'profileId'>, actor: Principal): Promise<RunPlan> {
    const { library } = this.deps;
    const benchmark = await resolveBenchmark(request.benchmark, this.deps, actor);
    const profile = resolveProfile(benchmark, request.profileId);
    const rules = selectRules((await library.listRules(benchmark.documentId)).items, profile);
    const controls = controlLookupFrom(await library.mapCcisToControls([...new Set(rules.flatMap((r) => r.ccis))]));
    return { benchmark, profile, rules, controls };
  }
}
