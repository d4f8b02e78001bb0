/** GraphQL shapes of the benchmarks one assessment assesses: what a run request names, and what a run records. */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AssessedBenchmark } from '../../domain/assessment.js';
import type { ContentInput } from '../../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { BenchmarkSelection } from '../../domain/services.js';
import { benchmarkOf } from '../upload-args.js';

@ObjectType('AssessedBenchmark', { description: 'One benchmark an assessment assessed, with the profile that selected its rules.' })
export class AssessedBenchmarkType {
  @Field(() => String, { description: 'Document id of the benchmark release assessed.' }) benchmarkDocumentId!: string;
  @Field(() => String, { description: 'XCCDF benchmark id (e.g. "xccdf_io.plimsoll_benchmark_plimsoll_container_platform").' }) benchmarkId!: string;
  @Field(() => String, { description: 'Benchmark title.' }) title!: string;
  @Field(() => String, { description: 'Benchmark version.' }) version!: string;
  @Field(() => String, { nullable: true, description: 'Benchmark release.' }) release?: string;
  @Field(() => String, { nullable: true, description: 'XCCDF profile whose rules were assessed; null: every rule of the benchmark.' }) profileId?: string;
}

@InputType('BenchmarkSelectionInput', { description: 'One benchmark to assess: a stored one or an upload (exactly one of the two), and optionally a profile.' })
export class BenchmarkSelectionInput {
  @Field(() => String, {
    nullable: true,
    description: 'A stored benchmark: document id, XCCDF benchmark id (latest release) or XCCDF 1.2 short name (e.g. "plimsoll_container_platform", built in and loaded on first use). Give this or benchmarkUploadId.',
  })
  benchmark?: string;
  @Field(() => ID, { nullable: true, description: 'An upload (POST /uploads) of benchmark content, imported before the run. Give this or benchmark.' }) benchmarkUploadId?: string;
  @Field(() => String, { nullable: true, description: "XCCDF profile id of this benchmark (e.g. \"MAC-1_Classified\"); omitted: every rule of the benchmark." }) profileId?: string;
}

/** A run's benchmark → GraphQL. */
export function mapAssessedBenchmark(b: AssessedBenchmark): AssessedBenchmarkType {
  return {
    benchmarkDocumentId: b.documentId,
    benchmarkId: b.benchmarkId,
    title: b.title,
    version: b.version,
    ...(b.release !== undefined ? { release: b.release } : {}),
    ...(b.profileId !== undefined ? { profileId: b.profileId } : {}),
  };
}

/** The single (deprecated) fields of a run request, beside the list. */
interface SingleBenchmarkFields {
  benchmark?: string | null;
  benchmarkUploadId?: string | null;
  profileId?: string | null;
  benchmarks?: BenchmarkSelectionInput[] | null;
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
