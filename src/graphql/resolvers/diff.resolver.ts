import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { BenchmarkDiffType, mapBenchmarkDiff } from '../types/diff.type.js';

/** Differences between benchmark releases. */
@Authorized()
@Resolver()
export class DiffResolver {
  @Query(() => BenchmarkDiffType, { description: 'Rules added, removed and changed from one release to another. Each side: a document id, an XCCDF benchmark id (latest release) or a file path on the server.' })
  async benchmarkDiff(@Ctx() ctx: GraphQLContext, @Arg('old', () => String) oldRef: string, @Arg('new', () => String) newRef: string): Promise<BenchmarkDiffType> {
    return mapBenchmarkDiff(await ctx.services.benchmarkDiff.diff(oldRef, newRef));
  }
}
