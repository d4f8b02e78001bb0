import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { ScheduleConnection, ScheduleJobConnection } from '../types/connections.type.js';
import { JobStatusEnum } from '../types/monitoring-enums.js';
import {
  CreateScheduleInput,
  CreateSchedulePayload,
  RemoveSchedulePayload,
  RemoveScheduleInput,
  RunScheduleNowInput,
  RunScheduleNowPayload,
  ScheduleJobFilterInput,
  ScheduleJobType,
  ScheduleType,
  mapSchedule,
  mapScheduleJob,
  toScheduleInput,
} from '../types/schedule.type.js';
import type { JobStatus } from '../../domain/schedule.js';

/** Schedules: everyone signed in reads; writers create and run them; the owner or an admin removes one. */
@Authorized()
@Resolver()
export class ScheduleResolver {
  @Query(() => ScheduleConnection, { description: 'Schedules, by name.' })
  async schedules(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ScheduleType>> {
    return mapConnection(await ctx.services.schedules.page(pageOf(page)), mapSchedule);
  }

  @Query(() => ScheduleType, { nullable: true, description: 'A schedule by id or name; null when there is none.' })
  async schedule(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'The schedule id or name.' }) ref: string): Promise<ScheduleType | undefined> {
    const s = await ctx.services.schedules.get(ref);
    return s && mapSchedule(s);
  }

  @Query(() => ScheduleJobConnection, { description: 'Scheduled jobs (one per node per firing), newest first.' })
  async scheduleJobs(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ScheduleJobFilterInput, { nullable: true, description: 'Which jobs; omitted: all.' }) filter: ScheduleJobFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ScheduleJobType>> {
    const f = { ...(filter?.schedule != null ? { schedule: filter.schedule } : {}), ...(filter?.status != null ? { status: filter.status } : {}) };
    return mapConnection(await ctx.services.schedules.jobs(f, pageOf(page)), mapScheduleJob);
  }

  @Mutation(() => CreateSchedulePayload, { description: 'Creates a schedule that runs as you (admins and assessors). Its runs are audited as yours, and refused once you may no longer run assessments.' })
  async createSchedule(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateScheduleInput, { description: 'The schedule.' }) input: CreateScheduleInput): Promise<CreateSchedulePayload> {
    return { schedule: mapSchedule(await ctx.services.schedules.create(toScheduleInput(input))) };
  }

  @Mutation(() => RemoveSchedulePayload, { description: 'Removes a schedule (its owner or an admin); its jobs stay readable.' })
  async removeSchedule(@Ctx() ctx: GraphQLContext, @Arg('input', () => RemoveScheduleInput, { description: 'The schedule to remove.' }) input: RemoveScheduleInput): Promise<RemoveSchedulePayload> {
    const [id] = keyOf(input.id, 'Schedule');
    return { schedule: mapSchedule(await ctx.services.schedules.remove(id!)) };
  }

  @Mutation(() => RunScheduleNowPayload, { description: "Runs a schedule now, as its owner (admins and assessors); returns once its jobs are queued." })
  async runScheduleNow(@Ctx() ctx: GraphQLContext, @Arg('input', () => RunScheduleNowInput, { description: 'The schedule to run.' }) input: RunScheduleNowInput): Promise<RunScheduleNowPayload> {
    const [id] = keyOf(input.id, 'Schedule');
    const jobs = await ctx.services.schedules.runNow(id!);
    const schedule = await ctx.services.schedules.get(id!);
    return { schedule: mapSchedule(schedule!), jobCount: jobs.length };
  }
}

@Resolver(() => ScheduleType)
export class ScheduleJobsResolver {
  @FieldResolver(() => ScheduleJobConnection, { description: "The schedule's jobs, newest first." })
  async jobs(
    @Root() schedule: ScheduleType,
    @Ctx() ctx: GraphQLContext,
    @Arg('status', () => JobStatusEnum, { nullable: true, description: 'Only jobs with this status.' }) status: JobStatus | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ScheduleJobType>> {
    return mapConnection(await ctx.services.schedules.jobs({ schedule: schedule.scheduleId, ...(status != null ? { status } : {}) }, pageOf(page)), mapScheduleJob);
  }
}
