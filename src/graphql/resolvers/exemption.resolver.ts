import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { ExemptionStatus } from '../../domain/exemption.js';
import type { GraphQLContext } from '../context.js';
import { ExemptionType, RequestExemptionInput, mapExemption, toExemptionRequest } from '../types/exemption.type.js';

/**
 * Exemptions: everyone signed in reads; admins and assessors request; admins approve and reject (never
 * their own request: FORBIDDEN_SEPARATION_OF_DUTIES); an admin or the requester revokes.
 */
@Authorized()
@Resolver()
export class ExemptionResolver {
  @Query(() => [ExemptionType], { description: 'Oldest first; status is requested, approved, rejected, revoked or expired.' })
  async exemptions(@Ctx() ctx: GraphQLContext, @Arg('status', () => String, { nullable: true }) status?: string): Promise<ExemptionType[]> {
    const list = await ctx.services.exemptions.list(status !== undefined && status !== null ? { status: status as ExemptionStatus } : {});
    return list.map(mapExemption);
  }

  @Query(() => ExemptionType, { nullable: true })
  async exemption(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string): Promise<ExemptionType | undefined> {
    const e = await ctx.services.exemptions.get(id);
    return e && mapExemption(e);
  }

  @Mutation(() => ExemptionType)
  async requestExemption(@Ctx() ctx: GraphQLContext, @Arg('input', () => RequestExemptionInput) input: RequestExemptionInput): Promise<ExemptionType> {
    return mapExemption(await ctx.services.exemptions.request(toExemptionRequest(input)));
  }

  @Mutation(() => ExemptionType, { description: 'By an admin who did not request it.' })
  async approveExemption(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string): Promise<ExemptionType> {
    return mapExemption(await ctx.services.exemptions.approve(id));
  }

  @Mutation(() => ExemptionType)
  async rejectExemption(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string, @Arg('reason', () => String) reason: string): Promise<ExemptionType> {
    return mapExemption(await ctx.services.exemptions.reject(id, reason));
  }

  @Mutation(() => ExemptionType, { description: 'By an admin or the requester.' })
  async revokeExemption(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => String) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<ExemptionType> {
    return mapExemption(await ctx.services.exemptions.revoke(id, reason ?? undefined));
  }
}
