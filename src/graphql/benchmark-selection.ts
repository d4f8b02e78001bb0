/**
 * The benchmarks a GraphQL run request names (RunAssessmentInput): the `benchmarks` list, or the deprecated single
 * fields. Decoding only; kept apart from the type classes so it needs no decorator metadata.
 */
import type { ContentInput } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { BenchmarkSelection } from '../domain/services.js';
import { benchmarkOf } from './upload-args.js';

/** The fields of RunAssessmentInput that name benchmarks. */
interface SingleBenchmarkFields {
  benchmark?: string | null;
  benchmarkUploadId?: string | null;
  profileId?: string | null;
  benchmarks?: readonly { benchmark?: string | null; benchmarkUploadId?: string | null; profileId?: string | null }[] | null;
}

/**
 * The benchmarks a run request names, the first apart (the service's request keeps it as `benchmark`): the
 * `benchmarks` list, or the single deprecated fields; BAD_INPUT when both or neither are given, or the list is empty.
 */
export function benchmarksOfRequest(input: SingleBenchmarkFields): { benchmark: string | ContentInput; profileId?: string; additionalBenchmarks?: BenchmarkSelection[] } {
  const single = input.benchmark != null || input.benchmarkUploadId != null || input.profileId != null;
  if (input.benchmarks == null) {
    return { benchmark: benchmarkOf(input.benchmark, input.benchmarkUploadId, 'benchmark'), ...(input.profileId != null ? { profileId: input.profileId } : {}) };
  }
  if (single) throw new PlimsollError(ErrorCode.BAD_INPUT, 'give either benchmarks or the deprecated benchmark, benchmarkUploadId and profileId, not both');
  if (input.benchmarks.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, 'benchmarks must name at least one benchmark');
  const selections: BenchmarkSelection[] = input.benchmarks.map((b, i) => ({
    benchmark: benchmarkOf(b.benchmark, b.benchmarkUploadId, `benchmarks[${i}].benchmark`),
    ...(b.profileId != null ? { profileId: b.profileId } : {}),
  }));
  const [first, ...rest] = selections;
  return { ...first!, ...(rest.length > 0 ? { additionalBenchmarks: rest } : {}) };
}
