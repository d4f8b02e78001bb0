import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { ChangedRuleConnection, DiffRuleConnection } from '../types/connections.type.js';
import { BenchmarkDiffType, ChangedRuleType, DiffRuleType, mapBenchmarkDiff } from '../types/diff.type.js';
import { benchmarkOf } from '../upload-args.js';

const same = <T>(x: T): T => x;

/** Differences between benchmark releases (computed; their lists are paged from the diff). */
@Authorized()
@Resolver(() => BenchmarkDiffType)
export class DiffResolver {
  @Query(() => BenchmarkDiffType, {
    description: 'Rules added, removed and changed from one release to another. Each side is a stored benchmark (`old`/`new`) or an upload parsed without storing it (`oldUploadId`/`newUploadId`): exactly one of the two per side.',
  })
  async benchmarkDiff(
    @Ctx() ctx: GraphQLContext,
    @Arg('old', () => String, { nullable: true, description: 'The old release: a document id or an XCCDF benchmark id (latest release).' }) oldRef?: string,
    @Arg('new', () => String, { nullable: true, description: 'The new release: a document id or an XCCDF benchmark id (latest release).' }) newRef?: string,
    @Arg('oldUploadId', () => ID, { nullable: true, description: 'The old release as an upload (POST /uploads), instead of `old`.' }) oldUploadId?: string,
    @Arg('newUploadId', () => ID, { nullable: true, description: 'The new release as an upload (POST /uploads), instead of `new`.' }) newUploadId?: string,
  ): Promise<BenchmarkDiffType> {
    return mapBenchmarkDiff(await ctx.services.benchmarkDiff.diff(benchmarkOf(oldRef, oldUploadId, 'old'), benchmarkOf(newRef, newUploadId, 'new')));
  }

  @FieldResolver(() => DiffRuleConnection, { description: 'Rules only in the new release, in its order.' })
  added(@Root() d: BenchmarkDiffType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<DiffRuleType> {
    return mapConnection(connectionOfList(d.addedList, pageOf(page)), same);
  }

  @FieldResolver(() => DiffRuleConnection, { description: 'Rules only in the old release, in its order.' })
  removed(@Root() d: BenchmarkDiffType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<DiffRuleType> {
    return mapConnection(connectionOfList(d.removedList, pageOf(page)), same);
  }

  @FieldResolver(() => ChangedRuleConnection, { description: 'Rules in both releases with something changed.' })
  changed(@Root() d: BenchmarkDiffType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<ChangedRuleType> {
    return mapConnection(connectionOfList(d.changedList, pageOf(page)), same);
  }
}
