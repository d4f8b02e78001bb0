import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { PosturePointConnection } from '../types/connections.type.js';
import { PostureHistoryInput, PostureHistoryType, mapPostureHistory, mapPosturePoint, toPostureQuery, type PosturePointType } from '../types/history.type.js';

/** Posture over time; the buckets are paged (each page reads only the runs and findings it covers). */
@Authorized()
@Resolver(() => PostureHistoryType)
export class HistoryResolver {
  @Query(() => PostureHistoryType, { description: 'Posture over a range (at most 1000 buckets), for a node or the fleet: pass rate, open and exempted failures by severity, findings opened and remediated, mean time to remediate.' })
  async postureHistory(@Ctx() ctx: GraphQLContext, @Arg('filter', () => PostureHistoryInput, { description: 'The node or fleet, benchmark, range and bucket.' }) filter: PostureHistoryInput): Promise<PostureHistoryType> {
    const query = toPostureQuery(filter);
    return mapPostureHistory(await ctx.services.history.summary(query), query);
  }

  @FieldResolver(() => PosturePointConnection, { description: 'The buckets, oldest first.' })
  async points(@Ctx() ctx: GraphQLContext, @Root() h: PostureHistoryType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<PosturePointType>> {
    return mapConnection(await ctx.services.history.points(h.query, pageOf(page)), mapPosturePoint);
  }
}
