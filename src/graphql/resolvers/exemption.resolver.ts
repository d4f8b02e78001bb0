import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { ExemptionConnection } from '../types/connections.type.js';
import {
  ApproveExemptionInput,
  ExemptionFilterInput,
  ExemptionType,
  RejectExemptionInput,
  RequestExemptionInput,
  RevokeExemptionInput,
  mapExemption,
  toExemptionRequest,
} from '../types/exemption.type.js';

/**
 * Exemptions: everyone signed in reads; admins and assessors request; admins approve and reject (never
 * their own request: FORBIDDEN_SEPARATION_OF_DUTIES); an admin or the requester revokes.
 */
@Authorized()
@Resolver()
export class ExemptionResolver {
  @Query(() => ExemptionConnection, { description: 'Exemptions, oldest request first.' })
  async exemptions(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ExemptionFilterInput, { nullable: true, description: 'Which exemptions to list; omitted: all.' }) filter: ExemptionFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ExemptionType>> {
    const status = filter?.status ?? undefined;
    return mapConnection(await ctx.services.exemptions.page(status !== undefined ? { status } : {}, pageOf(page)), mapExemption);
  }

  @Query(() => ExemptionType, { nullable: true, description: 'An exemption by its exemptionId; null when there is none.' })
  async exemption(@Ctx() ctx: GraphQLContext, @Arg('exemptionId', () => String, { description: 'The exemption id, as the CLI and results show it.' }) exemptionId: string): Promise<ExemptionType | undefined> {
    const e = await ctx.services.exemptions.get(exemptionId);
    return e && mapExemption(e);
  }

  @Mutation(() => ExemptionType, { description: 'Requests an exemption; another admin must approve it before it applies. Admins and assessors.' })
  async requestExemption(@Ctx() ctx: GraphQLContext, @Arg('input', () => RequestExemptionInput, { description: 'The exemption to request.' }) input: RequestExemptionInput): Promise<ExemptionType> {
    return mapExemption(await ctx.services.exemptions.request(toExemptionRequest(input)));
  }

  @Mutation(() => ExemptionType, { description: 'Approves a requested exemption, by an admin who did not request it (FORBIDDEN_SEPARATION_OF_DUTIES otherwise).' })
  async approveExemption(@Ctx() ctx: GraphQLContext, @Arg('input', () => ApproveExemptionInput, { description: 'The exemption to approve.' }) input: ApproveExemptionInput): Promise<ExemptionType> {
    const [id] = keyOf(input.id, 'Exemption');
    return mapExemption(await ctx.services.exemptions.approve(id!));
  }

  @Mutation(() => ExemptionType, { description: 'Rejects a requested exemption, by an admin who did not request it.' })
  async rejectExemption(@Ctx() ctx: GraphQLContext, @Arg('input', () => RejectExemptionInput, { description: 'The exemption to reject, and why.' }) input: RejectExemptionInput): Promise<ExemptionType> {
    const [id] = keyOf(input.id, 'Exemption');
    return mapExemption(await ctx.services.exemptions.reject(id!, input.reason));
  }

  @Mutation(() => ExemptionType, { description: 'Revokes an approved exemption, by an admin or the requester.' })
  async revokeExemption(@Ctx() ctx: GraphQLContext, @Arg('input', () => RevokeExemptionInput, { description: 'The exemption to revoke.' }) input: RevokeExemptionInput): Promise<ExemptionType> {
    const [id] = keyOf(input.id, 'Exemption');
    return mapExemption(await ctx.services.exemptions.revoke(id!, input.reason ?? undefined));
  }
}
