import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { ManualReviewConnection } from '../types/connections.type.js';
import {
  AcceptManualReviewInput,
  AcceptManualReviewPayload,
  CreateManualReviewInput,
  CreateManualReviewPayload,
  ManualReviewFilterInput,
  ManualReviewType,
  RejectManualReviewInput,
  RejectManualReviewPayload,
  SubmitManualReviewInput,
  SubmitManualReviewPayload,
  UpdateManualReviewInput,
  UpdateManualReviewPayload,
  WithdrawManualReviewInput,
  WithdrawManualReviewPayload,
  mapManualReview,
  toReviewChanges,
  toReviewDraft,
} from '../types/review.type.js';

type Payload = { manualReview: ManualReviewType };

/** The review key of a ManualReview global id. */
function reviewKey(id: string): string {
  return keyOf(id, 'ManualReview')[0]!;
}

/**
 * Manual reviews: everyone signed in reads; admins and assessors write, edit (author or admin), submit and
 * withdraw; admins accept and reject, never a review they wrote or submitted (FORBIDDEN_SEPARATION_OF_DUTIES).
 */
@Authorized()
@Resolver()
export class ReviewResolver {
  @Query(() => ManualReviewConnection, { description: 'Manual reviews, oldest first.' })
  async manualReviews(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ManualReviewFilterInput, { nullable: true, description: 'Which reviews to list; omitted: all.' }) filter: ManualReviewFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ManualReviewType>> {
    const f = { ...(filter?.status != null ? { status: filter.status } : {}), ...(filter?.stigId != null ? { stigId: filter.stigId } : {}), ...(filter?.benchmarkId != null ? { benchmarkId: filter.benchmarkId } : {}) };
    return mapConnection(await ctx.services.reviews.page(f, pageOf(page)), mapManualReview);
  }

  @Query(() => ManualReviewType, { nullable: true, description: 'A manual review by its reviewId; null when there is none.' })
  async manualReview(@Ctx() ctx: GraphQLContext, @Arg('reviewId', () => String, { description: 'The review id, as the CLI and results show it.' }) reviewId: string): Promise<ManualReviewType | undefined> {
    const r = await ctx.services.reviews.get(reviewId);
    return r && mapManualReview(r);
  }

  @Mutation(() => CreateManualReviewPayload, { description: 'Writes a draft review of a rule for one node, a label selector or every node. Admins and assessors.' })
  async createManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateManualReviewInput, { description: 'The review to write.' }) input: CreateManualReviewInput): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.create(toReviewDraft(input))) };
  }

  @Mutation(() => UpdateManualReviewPayload, { description: 'Changes a draft review (CONFLICT once submitted), by its author or an admin.' })
  async updateManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => UpdateManualReviewInput, { description: 'The review and its changes.' }) input: UpdateManualReviewInput): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.update(reviewKey(input.id), toReviewChanges(input))) };
  }

  @Mutation(() => SubmitManualReviewPayload, { description: 'Submits a draft review for acceptance, by its author or an admin.' })
  async submitManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => SubmitManualReviewInput, { description: 'The review to submit.' }) input: InstanceType<typeof SubmitManualReviewInput>): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.submit(reviewKey(input.id))) };
  }

  @Mutation(() => WithdrawManualReviewPayload, { description: 'Takes a submitted review back to draft, by its submitter or an admin.' })
  async withdrawManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => WithdrawManualReviewInput, { description: 'The review to withdraw.' }) input: InstanceType<typeof WithdrawManualReviewInput>): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.withdraw(reviewKey(input.id))) };
  }

  @Mutation(() => AcceptManualReviewPayload, { description: 'Accepts a submitted review, by an admin who neither wrote nor submitted it (FORBIDDEN_SEPARATION_OF_DUTIES otherwise).' })
  async acceptManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => AcceptManualReviewInput, { description: 'The review to accept.' }) input: InstanceType<typeof AcceptManualReviewInput>): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.accept(reviewKey(input.id))) };
  }

  @Mutation(() => RejectManualReviewPayload, { description: 'Rejects a submitted review with a reason. Admins.' })
  async rejectManualReview(@Ctx() ctx: GraphQLContext, @Arg('input', () => RejectManualReviewInput, { description: 'The review to reject, and why.' }) input: RejectManualReviewInput): Promise<Payload> {
    return { manualReview: mapManualReview(await ctx.services.reviews.reject(reviewKey(input.id), input.reason)) };
  }
}
