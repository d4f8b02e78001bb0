import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type GraphQLContext } from '../context.js';
import { BaselineCoverageType, BaselineType, mapBaseline, mapBaselineCoverage } from '../types/baseline.type.js';
import { ControlPageType, ControlType, mapControl } from '../types/content.type.js';

/** Baselines: resolved OSCAL profiles, the controls they select, and their coverage by benchmarks. */
@Authorized()
@Resolver(() => BaselineType)
export class BaselineResolver {
  @Query(() => [BaselineType], { description: 'Stored baselines (imported and resolved OSCAL profiles), oldest first.' })
  async baselines(@Ctx() ctx: GraphQLContext): Promise<BaselineType[]> {
    return (await ctx.services.baselines.list()).map(mapBaseline);
  }

  @Query(() => BaselineType, { nullable: true, description: 'A baseline by document id or profile uuid.' })
  async baseline(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string): Promise<BaselineType | undefined> {
    const b = await ctx.services.baselines.get(id);
    return b && mapBaseline(b);
  }

  @Query(() => [BaselineType], { description: 'Baselines whose resolved catalog holds this control or enhancement (e.g. "ac-2.1").' })
  async baselinesSelecting(@Ctx() ctx: GraphQLContext, @Arg('controlId', () => String) controlId: string): Promise<BaselineType[]> {
    return (await ctx.services.baselines.selecting(controlId)).map(mapBaseline);
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => BaselineType, { description: 'Imports an uploaded OSCAL profile: resolves it (imports from importUploadIds or the library) and stores the baseline.' })
  async resolveProfile(
    @Ctx() ctx: GraphQLContext,
    @Arg('uploadId', () => ID, { description: 'The profile, as POST /uploads answered.' }) uploadId: string,
    @Arg('importUploadIds', () => [ID], { nullable: true, description: 'Uploaded catalogs or profiles the profile imports (matched by uuid or file name); used for resolution, not stored.' }) importUploadIds?: string[],
  ): Promise<BaselineType> {
    return mapBaseline(await ctx.services.baselines.resolveAndStore({ uploadId }, principalOf(ctx), { imports: (importUploadIds ?? []).map((id) => ({ uploadId: id })) }));
  }

  @Query(() => BaselineCoverageType, { description: 'How much of a baseline the stored benchmarks (or one) evidence, automated or manual.' })
  async baselineCoverage(
    @Ctx() ctx: GraphQLContext,
    @Arg('baselineId', () => String) baselineId: string,
    @Arg('benchmark', () => String, { nullable: true, description: 'A benchmark document id or XCCDF id (latest release).' }) benchmark?: string,
  ): Promise<BaselineCoverageType> {
    return mapBaselineCoverage(await ctx.services.coverage.baselineCoverage(baselineId, benchmark !== undefined ? { benchmark } : {}));
  }

  @FieldResolver(() => ControlPageType, { description: 'Top-level controls of the resolved catalog (enhancements under each).' })
  async controls(
    @Ctx() ctx: GraphQLContext,
    @Root() baseline: BaselineType,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('offset', () => Int, { nullable: true }) offset?: number,
  ): Promise<ControlPageType> {
    const page = await ctx.services.library.listControls(baseline.documentId, {}, { ...(first !== undefined ? { limit: first } : {}), ...(offset !== undefined ? { offset } : {}) });
    return { items: page.items.map(mapControl), total: page.total };
  }
}

/** Which baselines select a control, as a field of the control. */
@Authorized()
@Resolver(() => ControlType)
export class ControlBaselinesResolver {
  @FieldResolver(() => [BaselineType], { description: 'Baselines that select this control.' })
  async baselines(@Ctx() ctx: GraphQLContext, @Root() control: ControlType): Promise<BaselineType[]> {
    return (await ctx.services.baselines.selecting(control.id)).map(mapBaseline);
  }
}
