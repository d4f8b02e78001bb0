import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { EngineCallConnection, RemediationItemConnection, RemediationPlanConnection } from '../types/connections.type.js';
import {
  ApplyRemediationPlanInput,
  ApplyRemediationPlanPayload,
  ApproveRemediationPlanInput,
  EngineCallType,
  ProposeRemediationPlanInput,
  RejectRemediationPlanInput,
  RemediationItemFilterInput,
  RemediationItemType,
  RemediationPlanFilterInput,
  RemediationPlanType,
  RevealSwarmUnlockKeysInput,
  RevealSwarmUnlockKeysPayload,
  cappedReasons,
  mapEngineCall,
  mapRemediationItem,
  mapRemediationPlan,
  mapUnlockKey,
} from '../types/remediation.type.js';

/**
 * Remediation plans: everyone signed in reads; admins and assessors propose; admins approve (never their own
 * proposal: FORBIDDEN_SEPARATION_OF_DUTIES), reject and apply (a dry run unless `dryRun: false`); the approver
 * alone reads the swarm unlock keys, once.
 */
@Authorized()
@Resolver(() => RemediationPlanType)
export class RemediationResolver {
  @Query(() => RemediationPlanConnection, { description: 'Remediation plans, newest first.' })
  async remediationPlans(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => RemediationPlanFilterInput, { nullable: true, description: 'Which plans to list; omitted: all.' }) filter: RemediationPlanFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<RemediationPlanType>> {
    const f = { ...(filter?.assessmentId != null ? { assessmentId: filter.assessmentId } : {}), ...(filter?.status != null ? { status: filter.status } : {}) };
    return mapConnection(await ctx.services.remediation.page(f, pageOf(page)), mapRemediationPlan);
  }

  @Query(() => RemediationPlanType, { nullable: true, description: 'A remediation plan by its planId; null when there is none.' })
  async remediationPlan(@Ctx() ctx: GraphQLContext, @Arg('planId', () => String, { description: 'The plan id, as the CLI shows it.' }) planId: string): Promise<RemediationPlanType | undefined> {
    const p = await ctx.services.remediation.get(planId);
    return p && mapRemediationPlan(p);
  }

  @FieldResolver(() => RemediationItemConnection, { description: 'The items, in position order: one per failing target of a rule.' })
  async items(
    @Ctx() ctx: GraphQLContext,
    @Root() plan: RemediationPlanType,
    @Arg('filter', () => RemediationItemFilterInput, { nullable: true, description: 'Which items; omitted: all.' }) filter: RemediationItemFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<RemediationItemType>> {
    return mapConnection(await ctx.services.remediation.items(plan.planId, filter?.mode != null ? { mode: filter.mode } : {}, pageOf(page)), mapRemediationItem);
  }

  @FieldResolver(() => EngineCallConnection, { description: 'The Engine API calls made applying it, in order, with their classified answers.' })
  async calls(@Ctx() ctx: GraphQLContext, @Root() plan: RemediationPlanType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<EngineCallType>> {
    return mapConnection(await ctx.services.remediation.calls(plan.planId, pageOf(page)), mapEngineCall);
  }

  @Mutation(() => RemediationPlanType, { description: "Proposes a plan from an assessment's open failures; another person must approve it. Admins and assessors." })
  async proposeRemediationPlan(@Ctx() ctx: GraphQLContext, @Arg('input', () => ProposeRemediationPlanInput, { description: 'What to remediate.' }) input: ProposeRemediationPlanInput): Promise<RemediationPlanType> {
    const [assessmentId] = keyOf(input.assessment, 'Assessment');
    const plan = await ctx.services.remediation.propose({
      assessmentId: assessmentId!,
      ...(input.rules != null ? { rules: input.rules } : {}),
      ...(input.memory != null ? { memory: input.memory } : {}),
      ...(input.pidsLimit != null ? { pidsLimit: input.pidsLimit } : {}),
      ...(input.cpuShares != null ? { cpuShares: input.cpuShares } : {}),
      ...(input.restartMaxRetries != null ? { restartMaxRetries: input.restartMaxRetries } : {}),
      ...(input.note != null ? { note: input.note } : {}),
    });
    return mapRemediationPlan(plan);
  }

  @Mutation(() => RemediationPlanType, { description: 'Approves a proposed plan, by an admin who is not its proposer (FORBIDDEN_SEPARATION_OF_DUTIES otherwise).' })
  async approveRemediationPlan(@Ctx() ctx: GraphQLContext, @Arg('input', () => ApproveRemediationPlanInput, { description: 'The plan to approve.' }) input: ApproveRemediationPlanInput): Promise<RemediationPlanType> {
    const [id] = keyOf(input.id, 'RemediationPlan');
    return mapRemediationPlan(await ctx.services.remediation.approve(id!));
  }

  @Mutation(() => RemediationPlanType, { description: 'Rejects a proposed plan, with the reason. Admins.' })
  async rejectRemediationPlan(@Ctx() ctx: GraphQLContext, @Arg('input', () => RejectRemediationPlanInput, { description: 'The plan to reject, and why.' }) input: RejectRemediationPlanInput): Promise<RemediationPlanType> {
    const [id] = keyOf(input.id, 'RemediationPlan');
    return mapRemediationPlan(await ctx.services.remediation.reject(id!, input.reason));
  }

  @Mutation(() => ApplyRemediationPlanPayload, {
    description: 'Checks every target of an approved plan against its engine and, with dryRun: false, applies it, re-assesses the touched nodes and verifies each item. A changed target makes the plan STALE (CONFLICT); an unapproved plan is refused (CONFLICT). Admins.',
  })
  async applyRemediationPlan(@Ctx() ctx: GraphQLContext, @Arg('input', () => ApplyRemediationPlanInput, { description: 'The plan, and whether to change anything.' }) input: ApplyRemediationPlanInput): Promise<ApplyRemediationPlanPayload> {
    const [id] = keyOf(input.id, 'RemediationPlan');
    const report = await ctx.services.remediation.apply(id!, { dryRun: input.dryRun ?? true });
    return {
      plan: mapRemediationPlan(report.plan),
      dryRun: report.dryRun,
      staleReasons: cappedReasons(report.staleReasons),
      blockers: report.blockers,
      resolvedCount: report.resolved,
      callList: report.calls.map(mapEngineCall),
    };
  }

  @Mutation(() => RevealSwarmUnlockKeysPayload, { description: "Shows the swarm unlock keys a plan's application sealed, once, to the plan's approver; Plimsoll then no longer holds them." })
  async revealSwarmUnlockKeys(@Ctx() ctx: GraphQLContext, @Arg('input', () => RevealSwarmUnlockKeysInput, { description: 'The plan.' }) input: RevealSwarmUnlockKeysInput): Promise<RevealSwarmUnlockKeysPayload> {
    const [id] = keyOf(input.id, 'RemediationPlan');
    return { unlockKeys: (await ctx.services.remediation.revealUnlockKeys(id!)).map(mapUnlockKey) };
  }
}

/** The calls of an application or a dry run: carried by the payload, paged from it. */
@Authorized()
@Resolver(() => ApplyRemediationPlanPayload)
export class ApplyRemediationPayloadResolver {
  @FieldResolver(() => EngineCallConnection, { description: 'The calls made (or, in a dry run, those that would be made, PENDING), in order.' })
  calls(@Root() p: ApplyRemediationPlanPayload, @Args(() => PageArgs) page: PageArgs): ConnectionShape<EngineCallType> {
    return mapConnection(connectionOfList(p.callList, pageOf(page)), (c) => c);
  }
}
