import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AssessedTargetKind } from '../../domain/target-results.js';
import type { GraphQLContext } from '../context.js';
import { AssessmentType } from '../types/assessment.type.js';
import {
  AssessedNodeConnection,
  TargetInput,
  TargetResultConnection,
  TargetResultFilterInput,
  filterOf,
  mapAssessedNodeConnection,
  mapTargetResultConnection,
} from '../types/target-result.type.js';

function page(first: number | undefined, after: string | undefined): { first?: number; after?: string } {
  return { ...(first != null ? { first } : {}), ...(after != null ? { after } : {}) };
}

/** An assessment's per-target results, its nodes with their status, its plan; one target across assessments. */
@Authorized()
@Resolver(() => AssessmentType)
export class TargetResultResolver {
  @FieldResolver(() => TargetResultConnection, { description: 'Per-target results (one per rule per target per node), in storage order, paged in the database.' })
  async targetResults(
    @Ctx() ctx: GraphQLContext,
    @Root() a: AssessmentType,
    @Arg('filter', () => TargetResultFilterInput, { nullable: true, description: 'Only the results matching every given field.' }) filter?: TargetResultFilterInput,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 100, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last result already seen.' }) after?: string,
  ): Promise<TargetResultConnection> {
    return mapTargetResultConnection(await ctx.services.assessments.targetResults(a.id, filterOf(filter), page(first, after)));
  }

  @FieldResolver(() => AssessedNodeConnection, { description: 'The nodes of the assessment with their per-node status, in request order.' })
  async assessedNodes(
    @Ctx() ctx: GraphQLContext,
    @Root() a: AssessmentType,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 100, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last node already seen.' }) after?: string,
  ): Promise<AssessedNodeConnection> {
    return mapAssessedNodeConnection(await ctx.services.assessments.assessedNodes(a.id, page(first, after)));
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The OSCAL assessment plan of a completed run (the results import it).' })
  async planDocument(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType): Promise<unknown> {
    return (await ctx.services.assessments.planDocument(a.id)) ?? null;
  }

  @Query(() => TargetResultConnection, { description: 'One target (node, kind, stable key) across assessments, newest first: what drift compares.' })
  async targetHistory(
    @Ctx() ctx: GraphQLContext,
    @Arg('target', () => TargetInput, { description: 'The target.' }) target: TargetInput,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 100, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last result already seen.' }) after?: string,
  ): Promise<TargetResultConnection> {
    const query = { node: target.node, kind: target.kind as AssessedTargetKind, key: target.key, ...(target.rule != null ? { rule: target.rule } : {}) };
    return mapTargetResultConnection(await ctx.services.assessments.targetHistory(query, page(first, after)));
  }
}
