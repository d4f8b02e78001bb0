import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { AssessmentType, ObservationType } from '../types/assessment.type.js';
import { AssessedNodeConnection, ObservationConnection, TargetResultConnection } from '../types/connections.type.js';
import {
  AssessedNodeType,
  TargetInput,
  TargetResultFilterInput,
  TargetResultType,
  mapAssessedNode,
  mapTargetResult,
  toTargetQuery,
  toTargetResultFilter,
} from '../types/target-result.type.js';

/** An assessment's per-target results, its nodes with their status, its plan; one target across assessments. */
@Authorized()
@Resolver(() => AssessmentType)
export class TargetResultResolver {
  @FieldResolver(() => TargetResultConnection, { description: 'Per-target results (one per rule per target per node), in storage order, paged in the database.' })
  async targetResults(
    @Ctx() ctx: GraphQLContext,
    @Root() a: AssessmentType,
    @Arg('filter', () => TargetResultFilterInput, { nullable: true, description: 'Which results to list; omitted: all.' }) filter: TargetResultFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<TargetResultType>> {
    return mapConnection(await ctx.services.assessments.targetResults(a.assessmentId, toTargetResultFilter(filter), pageOf(page)), mapTargetResult);
  }

  @FieldResolver(() => AssessedNodeConnection, { description: 'The nodes of the assessment with their per-node status, in request order.' })
  async assessedNodes(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<AssessedNodeType>> {
    return mapConnection(await ctx.services.assessments.assessedNodes(a.assessmentId, pageOf(page)), (n) => mapAssessedNode(a.assessmentId, n));
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The OSCAL 1.1.2 assessment plan of a completed run (the results import it); null otherwise.' })
  async planDocument(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType): Promise<unknown> {
    return (await ctx.services.assessments.planDocument(a.assessmentId)) ?? null;
  }

  @Query(() => TargetResultConnection, { description: 'One target (node, kind, stable key) across assessments, newest first: what drift compares.' })
  async targetHistory(
    @Ctx() ctx: GraphQLContext,
    @Arg('target', () => TargetInput, { description: 'The target.' }) target: TargetInput,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<TargetResultType>> {
    return mapConnection(await ctx.services.assessments.targetHistory(toTargetQuery(target), pageOf(page)), mapTargetResult);
  }
}

/** The evidence of a per-target result: stored with it, paged from it. */
@Authorized()
@Resolver(() => TargetResultType)
export class TargetObservationsResolver {
  @FieldResolver(() => ObservationConnection, { description: 'The observations of this target the verdict was decided from, in the order the check made them.' })
  observations(@Root() t: TargetResultType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<ObservationType> {
    return mapConnection(connectionOfList(t.observationList, pageOf(page)), (o) => o);
  }
}
