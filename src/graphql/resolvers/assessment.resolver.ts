import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AssessmentRequest } from '../../domain/services.js';
import { principalOf, type GraphQLContext } from '../context.js';
import { benchmarkOf } from '../upload-args.js';
import { AssessmentPageType, AssessmentType, RuleResultType, RunAssessmentInput, mapAssessment, mapRuleResult } from '../types/assessment.type.js';
import { ImportSummaryType, mapImportSummary } from '../types/import.type.js';

@Authorized()
@Resolver(() => AssessmentType)
export class AssessmentResolver {
  @Query(() => AssessmentPageType, { description: 'Assessments, newest first.' })
  async assessments(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('offset', () => Int, { nullable: true }) offset?: number,
  ): Promise<AssessmentPageType> {
    const page = await ctx.services.assessments.list({ ...(first !== undefined ? { limit: first } : {}), ...(offset !== undefined ? { offset } : {}) });
    return { items: page.items.map(mapAssessment), total: page.total };
  }

  @Query(() => AssessmentType, { nullable: true })
  async assessment(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string): Promise<AssessmentType | undefined> {
    const a = await ctx.services.assessments.get(id);
    return a && mapAssessment(a);
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => AssessmentType, { description: 'Collects facts from the nodes, evaluates the benchmark and stores the results.' })
  async runAssessment(@Ctx() ctx: GraphQLContext, @Arg('input', () => RunAssessmentInput) input: RunAssessmentInput): Promise<AssessmentType> {
    const request: AssessmentRequest = {
      nodes: input.nodes,
      benchmark: benchmarkOf(input.benchmark, input.benchmarkUploadId, 'benchmark'),
      ...(input.profileId !== undefined ? { profileId: input.profileId } : {}),
    };
    return mapAssessment(await ctx.services.assessments.run(request, principalOf(ctx)));
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => [ImportSummaryType], { description: 'Imports uploaded content (POST /uploads): all documents succeed or nothing is stored. A profile may import catalogs uploaded with it.' })
  async importDocuments(
    @Ctx() ctx: GraphQLContext,
    @Arg('uploadIds', () => [ID], { description: 'Ids that POST /uploads answered with.' }) uploadIds: string[],
  ): Promise<ImportSummaryType[]> {
    return (await ctx.services.imports.importDocuments(uploadIds.map((uploadId) => ({ uploadId })), principalOf(ctx))).map(mapImportSummary);
  }

  @FieldResolver(() => [RuleResultType], { description: 'Rule results, optionally of one status (pass, fail, not-applicable, not-checked, error).' })
  async results(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType, @Arg('status', () => String, { nullable: true }) status?: string): Promise<RuleResultType[]> {
    const full = await ctx.services.assessments.get(a.id);
    return (full?.results ?? []).filter((r) => status === undefined || r.status === status).map(mapRuleResult);
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The OSCAL assessment-results document of a completed run.' })
  async resultsDocument(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType): Promise<unknown> {
    return (await ctx.services.assessments.resultsDocument(a.id)) ?? null;
  }
}
