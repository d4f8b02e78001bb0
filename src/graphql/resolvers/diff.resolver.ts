import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { principalOf, type GraphQLContext } from '../context.js';
import { BenchmarkDiffType, mapBenchmarkDiff } from '../types/diff.type.js';
import { benchmarkOf } from '../upload-args.js';

/** Differences between benchmark releases. */
@Authorized()
@Resolver()
export class DiffResolver {
  @Query(() => BenchmarkDiffType, { description: 'Rules added, removed and changed from one release to another. Each side: a stored benchmark (document id, or XCCDF benchmark id for the latest release) or an upload, parsed without storing.' })
  async benchmarkDiff(
    @Ctx() ctx: GraphQLContext,
    @Arg('old', () => String, { nullable: true, description: 'The older release: a document id or XCCDF benchmark id.' }) oldRef?: string,
    @Arg('new', () => String, { nullable: true, description: 'The newer release: a document id or XCCDF benchmark id.' }) newRef?: string,
    @Arg('oldUploadId', () => ID, { nullable: true, description: 'The older release as an upload (instead of old).' }) oldUploadId?: string,
    @Arg('newUploadId', () => ID, { nullable: true, description: 'The newer release as an upload (instead of new).' }) newUploadId?: string,
  ): Promise<BenchmarkDiffType> {
    return mapBenchmarkDiff(await ctx.services.benchmarkDiff.diff(benchmarkOf(oldRef, oldUploadId, 'old'), benchmarkOf(newRef, newUploadId, 'new'), principalOf(ctx)));
  }
}
