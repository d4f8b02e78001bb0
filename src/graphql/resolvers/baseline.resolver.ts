import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { BaselineCoverageType, BaselineType, ControlCoverageType, mapBaseline, mapBaselineCoverage } from '../types/baseline.type.js';
import { BaselineConnection, ControlConnection, ControlCoverageConnection } from '../types/connections.type.js';
import { ControlType, ProfileType, mapControl } from '../types/content.type.js';
import { BaselineFilterInput } from '../types/filters.type.js';
import { ResolveProfileInput } from '../types/import.type.js';

/** Baselines: resolved OSCAL profiles, the controls they select, and their coverage by benchmarks. */
@Authorized()
@Resolver(() => BaselineType)
export class BaselineResolver {
  @Query(() => BaselineConnection, { description: 'Stored baselines (imported and resolved OSCAL profiles), oldest first.' })
  async baselines(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => BaselineFilterInput, { nullable: true, description: 'Which baselines to list; omitted: all.' }) filter: BaselineFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<BaselineType>> {
    const selecting = filter?.selectsControl ?? undefined;
    return mapConnection(await ctx.services.baselines.page(selecting !== undefined ? { selecting } : {}, pageOf(page)), mapBaseline);
  }

  @Query(() => BaselineType, { nullable: true, description: 'A baseline by document id or profile uuid (its latest import); null when there is none.' })
  async baseline(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'Document id or profile uuid.' }) ref: string): Promise<BaselineType | undefined> {
    const b = await ctx.services.baselines.get(ref);
    return b && mapBaseline(b);
  }

  @Mutation(() => BaselineType, {
    description: 'Imports an uploaded OSCAL profile, resolves it (its imports from `importUploadIds`, else the library or the content mirror) and stores the baseline. Admins and assessors.',
  })
  async resolveProfile(@Ctx() ctx: GraphQLContext, @Arg('input', () => ResolveProfileInput, { description: 'The profile to resolve.' }) input: ResolveProfileInput): Promise<BaselineType> {
    const imports = (input.importUploadIds ?? []).map((uploadId) => ({ uploadId }));
    return mapBaseline(await ctx.services.baselines.resolveAndStore({ uploadId: input.uploadId }, { imports }));
  }

  @Query(() => BaselineCoverageType, { description: 'How much of a baseline the stored benchmarks (or one) evidence, automated or manual.' })
  async baselineCoverage(
    @Ctx() ctx: GraphQLContext,
    @Arg('baseline', () => String, { description: 'The baseline: document id or profile uuid.' }) baseline: string,
    @Arg('benchmark', () => String, { nullable: true, description: 'Count only this benchmark: document id or XCCDF id (latest release). Omitted: every stored benchmark.' }) benchmark?: string,
  ): Promise<BaselineCoverageType> {
    return mapBaselineCoverage(await ctx.services.coverage.baselineCoverage(baseline, benchmark != null ? { benchmark } : {}));
  }

  @FieldResolver(() => ControlConnection, { description: 'Top-level controls of the resolved catalog, in document order (enhancements under each).' })
  async controls(@Ctx() ctx: GraphQLContext, @Root() baseline: BaselineType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ControlType>> {
    return mapConnection(await ctx.services.library.pageControls(baseline.documentId, {}, pageOf(page)), mapControl);
  }
}

/** Which baselines select a control, as a field of the control. */
@Authorized()
@Resolver(() => ControlType)
export class ControlBaselinesResolver {
  @FieldResolver(() => BaselineConnection, { description: 'Baselines that select this control, oldest first.' })
  async baselines(@Ctx() ctx: GraphQLContext, @Root() control: ControlType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<BaselineType>> {
    return mapConnection(await ctx.services.baselines.page({ selecting: control.controlId }, pageOf(page)), mapBaseline);
  }
}

/** The per-control rows of a coverage report (computed, paged from the report). */
@Authorized()
@Resolver(() => BaselineCoverageType)
export class BaselineCoverageResolver {
  @FieldResolver(() => ControlCoverageConnection, { description: 'Each control of the baseline and the rules evidencing it, in baseline order.' })
  controls(@Root() coverage: BaselineCoverageType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<ControlCoverageType> {
    return mapConnection(connectionOfList(coverage.controlList, pageOf(page)), (c) => ({ ...c }));
  }
}

/** A profile document's resolution. */
@Authorized()
@Resolver(() => ProfileType)
export class ProfileResolver {
  @FieldResolver(() => BaselineType, { description: 'The baseline the profile resolved into.' })
  async baseline(@Ctx() ctx: GraphQLContext, @Root() profile: ProfileType): Promise<BaselineType> {
    const b = await ctx.services.baselines.get(profile.documentId);
    if (!b) throw new PlimsollError(ErrorCode.NOT_FOUND, `profile ${profile.documentId} has no stored baseline`);
    return mapBaseline(b);
  }
}
