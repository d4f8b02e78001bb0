import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { AssessmentRequest } from '../../domain/services.js';
import type { GraphQLContext } from '../context.js';
import { benchmarksOfRequest } from '../benchmark-selection.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import {
  AssessmentType,
  ObservationType,
  RuleResultFilterInput,
  RuleResultType,
  RunAssessmentInput,
  mapAssessment,
  mapRuleResult,
  toRuleResultFilter,
} from '../types/assessment.type.js';
import { AssessmentConnection, ObservationConnection, RuleResultConnection } from '../types/connections.type.js';

/** Assessment runs and their results, paged in the database. */
@Authorized()
@Resolver(() => AssessmentType)
export class AssessmentResolver {
  @Query(() => AssessmentConnection, { description: 'Assessment runs, newest first.' })
  async assessments(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<AssessmentType>> {
    return mapConnection(await ctx.services.assessments.page(pageOf(page)), mapAssessment);
  }

  @Query(() => AssessmentType, { nullable: true, description: 'An assessment run by its uuid (`assessmentId`); null when there is none.' })
  async assessment(@Ctx() ctx: GraphQLContext, @Arg('assessmentId', () => String, { description: "The run's uuid, as the CLI shows it." }) assessmentId: string): Promise<AssessmentType | undefined> {
    const a = await ctx.services.assessments.get(assessmentId);
    return a && mapAssessment(a);
  }

  @Mutation(() => AssessmentType, { description: 'Collects facts from the nodes, evaluates the benchmark and stores the results. Admins and assessors.' })
  async runAssessment(@Ctx() ctx: GraphQLContext, @Arg('input', () => RunAssessmentInput, { description: 'What to assess.' }) input: RunAssessmentInput): Promise<AssessmentType> {
    const request: AssessmentRequest = { nodes: input.nodes, ...benchmarksOfRequest(input) };
    return mapAssessment(await ctx.services.assessments.run(request));
  }

  @FieldResolver(() => RuleResultConnection, { description: 'Rule results of the run, in evaluation order (one per rule per node).' })
  async results(
    @Ctx() ctx: GraphQLContext,
    @Root() a: AssessmentType,
    @Arg('filter', () => RuleResultFilterInput, { nullable: true, description: 'Which results to list; omitted: all.' }) filter: RuleResultFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<RuleResultType>> {
    return mapConnection(await ctx.services.assessments.results(a.assessmentId, toRuleResultFilter(filter), pageOf(page)), mapRuleResult);
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The OSCAL 1.1.2 assessment-results document of a completed run (validated against NIST\'s schema); null otherwise.' })
  async resultsDocument(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType): Promise<unknown> {
    return (await ctx.services.assessments.resultsDocument(a.assessmentId)) ?? null;
  }
}

/** The evidence of a result: stored with the result, paged from it. */
@Authorized()
@Resolver(() => RuleResultType)
export class RuleResultResolver {
  @FieldResolver(() => ObservationConnection, { description: 'The observations the verdict was decided from, in the order the check made them.' })
  observations(@Root() r: RuleResultType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<ObservationType> {
    return mapConnection(connectionOfList(r.observationList, pageOf(page)), (o) => o);
  }
}
