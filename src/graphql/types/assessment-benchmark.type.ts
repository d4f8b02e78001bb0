/** GraphQL shapes of the benchmarks one assessment assesses: what a run request names, and what a run records. */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AssessedBenchmark } from '../../domain/assessment.js';

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
