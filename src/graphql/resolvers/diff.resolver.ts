import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { ChangedRuleConnection, DiffRuleConnection } from '../types/connections.type.js';
import { BenchmarkDiffType, ChangedRuleType, DiffRuleType, mapBenchmarkDiff } from '../types/diff.type.js';

const same = <T>(x: T): T => x;

/** Differences between benchmark releases (computed; their lists are paged from the diff). */
@Authorized()
@Resolver(() => BenchmarkDiffType)
export class DiffResolver {
  @Query(() => BenchmarkDiffType, { description: 'Rules added, removed and changed from one release to another.' })
  async benchmarkDiff(
    @Ctx() ctx: GraphQLContext,
    @Arg('old', () => String, { description: 'The old release: a document id, an XCCDF benchmark id (latest release) or a file path on the server.' }) oldRef: string,
    @Arg('new', () => String, { description: 'The new release: a document id, an XCCDF benchmark id (latest release) or a file path on the server.' }) newRef: string,
  ): Promise<BenchmarkDiffType> {
    return mapBenchmarkDiff(await ctx.services.benchmarkDiff.diff(oldRef, newRef));
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
