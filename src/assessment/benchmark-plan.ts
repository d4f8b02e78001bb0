/**
 * The benchmarks of one run: each resolved (stored, built-in or imported content), its profile, and the rules the
 * profile selects, and one control lookup over all their rules (CCIs and direct SP 800-53 references). One run may
 * assess several benchmarks on the nodes it collects once; the same benchmark twice, or two releases of one
 * benchmark (their rules share STIG ids, so their results could not be told apart), are refused.
 */
import type { Principal } from '../domain/auth.js';
import { directRev5References } from '../domain/cci-mapping.js';
import type { BenchmarkProfile } from '../domain/content.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { AssessmentRequest, BenchmarkSelection, LibraryService, StoredBenchmark, StoredRule } from '../domain/services.js';
import { type ControlLookup, controlLookupFrom, selectRules } from './evaluate.js';
import { type BenchmarkResolutionDeps, resolveBenchmark, resolveProfile } from './targets.js';

/** One benchmark of a run with its profile and selected rules (in benchmark order). */
export interface PlannedBenchmark {
  benchmark: StoredBenchmark;
  profile: BenchmarkProfile | undefined;
  rules: StoredRule[];
}

/** The benchmarks a request names, in order: the first (`benchmark`, `profileId`), then the additional ones. */
export function selectionsOf(request: Pick<AssessmentRequest, 'benchmark' | 'profileId' | 'additionalBenchmarks'>): BenchmarkSelection[] {
  return [{ benchmark: request.benchmark, ...(request.profileId !== undefined ? { profileId: request.profileId } : {}) }, ...(request.additionalBenchmarks ?? [])];
}

/** Resolves every selection; BAD_INPUT when one benchmark (or one benchmark id in two releases) comes twice. */
export async function planBenchmarks(selections: readonly BenchmarkSelection[], deps: BenchmarkResolutionDeps, actor: Principal): Promise<PlannedBenchmark[]> {
  const planned: PlannedBenchmark[] = [];
  for (const selection of selections) {
    const benchmark = await resolveBenchmark(selection.benchmark, deps, actor);
    const twin = planned.find((p) => p.benchmark.id === benchmark.id);
    if (twin !== undefined) {
      const same = twin.benchmark.documentId === benchmark.documentId;
      throw new PlimsollError(
        ErrorCode.BAD_INPUT,
        same
          ? `benchmark ${benchmark.id} is named twice; name each benchmark once per assessment`
          : `benchmark ${benchmark.id} is named in two releases (${releaseOf(twin.benchmark)} and ${releaseOf(benchmark)}); assess one release per assessment`,
      );
    }
    const profile = resolveProfile(benchmark, selection.profileId);
    const rules = selectRules((await deps.library.listRules(benchmark.documentId)).items, profile);
    planned.push({ benchmark, profile, rules });
  }
  return planned;
}

function releaseOf(b: StoredBenchmark): string {
  return b.release !== undefined ? `version ${b.version} release ${b.release}` : `version ${b.version}`;
}

/** The SP 800-53 statements of every planned rule, looked up once: through its CCIs and its direct rev5 references. */
export async function controlLookupOf(rules: readonly StoredRule[], library: Pick<LibraryService, 'mapCcisToControls' | 'mapReferencesToControls'>): Promise<ControlLookup> {
  const ccis = await library.mapCcisToControls([...new Set(rules.flatMap((r) => r.ccis))]);
  const references = [...new Set(rules.flatMap((r) => directRev5References(r)))];
  const direct = references.length > 0 ? await library.mapReferencesToControls(references) : [];
  return controlLookupFrom(ccis, direct);
}
