/** GraphQL shapes of schedules and their jobs, and their inputs. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import type { JobStatus, Schedule, ScheduleInput, ScheduleJob } from '../../domain/schedule.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { LabelInput, LabelType, labelsOf } from './docker-node.type.js';
import { JobStatusEnum, JobTriggerEnum, ScheduleStatusEnum, ScheduleTargetKindEnum } from './monitoring-enums.js';

@ObjectType('ScheduleTarget', { description: 'What a schedule assesses: one node, or every node a selector matches at each run.' })
export class ScheduleTargetType {
  @Field(() => ScheduleTargetKindEnum, { description: 'NODE or SELECTOR.' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'The node (NODE only).' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: "The node's name when the schedule was created (NODE only)." }) dockerNodeName?: string;
  @Field(() => [LabelType], { description: 'Labels a node must carry (SELECTOR; empty for NODE).' }) labels!: LabelType[];
  @Field(() => String, { nullable: true, description: 'The environment a node must be in (SELECTOR only; nodes without one are in `default`).' }) environment?: string;
}

@ObjectType('ScheduleRefusal', { description: "Why a schedule's last firing was refused." })
export class ScheduleRefusalType {
  @Field(() => String, { description: 'UNAUTHENTICATED (the owner is gone) or FORBIDDEN (the owner may no longer run assessments).' }) code!: string;
  @Field(() => String, { description: 'The refusal, naming the owner and the role needed.' }) reason!: string;
  @Field(() => String, { description: 'Since when (ISO date-time).' }) since!: string;
}

@ObjectType('Schedule', { implements: NodeInterface, description: "An assessment that runs by itself on a cron expression, as its owner (a user): authorised and audited as the owner's own runs." })
export class ScheduleType extends NodeInterface {
  @Field(() => String, { description: 'The schedule id, as the CLI shows it.' }) scheduleId!: string;
  @Field(() => String, { description: 'Unique name (case-insensitively).' }) name!: string;
  @Field(() => String, { description: 'Cron expression: 5 fields, or 6 with seconds first.' }) cron!: string;
  @Field(() => String, { description: 'IANA time zone the expression is read in.' }) timezone!: string;
  @Field(() => ScheduleTargetType, { description: 'What it assesses.' }) target!: ScheduleTargetType;
  @Field(() => String, { description: 'Benchmark document id or XCCDF benchmark id (the latest release at each run).' }) benchmark!: string;
  @Field(() => String, { nullable: true, description: 'XCCDF profile; null: every rule.' }) profileId?: string;
  @Field(() => String, { description: 'The user its runs act as.' }) ownerUserId!: string;
  @Field(() => String, { description: "The owner's name." }) ownerName!: string;
  @Field(() => String, { description: 'When it was created (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'Its next firing; null when the expression has none.' }) nextRunAt?: string;
  @Field(() => String, { nullable: true, description: 'When it last fired.' }) lastFiredAt?: string;
  @Field(() => ScheduleStatusEnum, { description: 'ACTIVE, or REFUSED with the reason in `refusal`.' }) status!: string;
  @Field(() => ScheduleRefusalType, { nullable: true, description: 'Why the last firing was refused (REFUSED only).' }) refusal?: ScheduleRefusalType;
  @Field(() => String, { nullable: true, description: 'When it was removed (it no longer fires; its jobs stay).' }) removedAt?: string;
  __typename!: NodeTypeName;
}

@ObjectType('ScheduleJob', { implements: NodeInterface, description: "One node's run of one firing of a schedule." })
export class ScheduleJobType extends NodeInterface {
  @Field(() => String, { description: 'The job id.' }) jobId!: string;
  @Field(() => String, { description: '`schedule/node`.' }) name!: string;
  @Field(() => String, { description: 'The schedule it belongs to.' }) scheduleId!: string;
  @Field(() => String, { description: "The schedule's name." }) scheduleName!: string;
  @Field(() => String, { nullable: true, description: 'The node assessed; null when no node could be resolved.' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: "The node's name." }) dockerNodeName?: string;
  @Field(() => JobTriggerEnum, { description: 'Why it ran.' }) trigger!: string;
  @Field(() => String, { description: 'When it was due (ISO date-time).' }) dueAt!: string;
  @Field(() => String, { nullable: true, description: 'Who asked (MANUAL only).' }) requestedBy?: string;
  @Field(() => String, { description: 'When it was recorded.' }) createdAt!: string;
  @Field(() => JobStatusEnum, { description: 'Where it is.' }) status!: JobStatus;
  @Field(() => String, { nullable: true, description: 'When its assessment started.' }) startedAt?: string;
  @Field(() => String, { nullable: true, description: 'When it ended.' }) finishedAt?: string;
  @Field(() => String, { nullable: true, description: 'The assessment it made (SUCCEEDED).' }) assessmentId?: string;
  @Field(() => String, { nullable: true, description: 'The public error code (FAILED, REFUSED).' }) errorCode?: string;
  @Field(() => String, { nullable: true, description: 'What went wrong (FAILED, REFUSED, INTERRUPTED).' }) message?: string;
  @Field(() => Int, { nullable: true, description: 'The per-node timeout it ran past (TIMED_OUT).' }) timeoutMs?: number;
  __typename!: NodeTypeName;
}

@InputType('CreateScheduleInput', { description: 'A schedule to create; it acts as you. Give `dockerNode`, or `labels` and/or `environment`.' })
export class CreateScheduleInput {
  @Field(() => String, { description: 'Unique name.' }) name!: string;
  @Field(() => String, { description: 'Cron expression: "0 2 * * *" (02:00 daily), or 6 fields with seconds first.' }) cron!: string;
  @Field(() => String, { nullable: true, description: 'IANA time zone (default UTC).' }) timezone?: string;
  @Field(() => String, { nullable: true, description: 'A node id, name or endpoint.' }) dockerNode?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Every node with all these labels, at the time of each run.' }) labels?: LabelInput[];
  @Field(() => String, { nullable: true, description: 'Only nodes in this environment (`default` for nodes without one).' }) environment?: string;
  @Field(() => String, { description: 'Benchmark document id or XCCDF benchmark id.' }) benchmark!: string;
  @Field(() => String, { nullable: true, description: 'XCCDF profile id (e.g. MAC-1_Classified).' }) profileId?: string;
}

@InputType('RemoveScheduleInput', { description: 'The schedule to remove (its owner or an admin).' })
export class RemoveScheduleInput {
  @Field(() => ID, { description: 'Global id of the Schedule.' }) id!: string;
}

@InputType('RunScheduleNowInput', { description: 'The schedule to run now.' })
export class RunScheduleNowInput {
  @Field(() => ID, { description: 'Global id of the Schedule.' }) id!: string;
}

@InputType('ScheduleJobFilterInput', { description: 'Which jobs to list.' })
export class ScheduleJobFilterInput {
  @Field(() => String, { nullable: true, description: 'A schedule id or name.' }) schedule?: string;
  @Field(() => JobStatusEnum, { nullable: true, description: 'Only jobs with this status.' }) status?: JobStatus;
}

@ObjectType('CreateSchedulePayload', { description: 'The result of creating a schedule.' })
export class CreateSchedulePayload {
  @Field(() => ScheduleType, { description: 'The schedule, owned by you; `nextRunAt` says when it first fires.' }) schedule!: ScheduleType;
}

@ObjectType('RemoveSchedulePayload', { description: 'The result of removing a schedule.' })
export class RemoveSchedulePayload {
  @Field(() => ScheduleType, { description: 'The schedule as removed (`removedAt` set).' }) schedule!: ScheduleType;
}

@ObjectType('RunScheduleNowPayload', { description: 'The jobs a run-now started; follow them in `schedule.jobs` or the `events` subscription.' })
export class RunScheduleNowPayload {
  @Field(() => ScheduleType, { description: 'The schedule.' }) schedule!: ScheduleType;
  @Field(() => Int, { description: 'How many jobs (one per node) were started.' }) jobCount!: number;
}

/** GraphQL input → domain input. */
export function toScheduleInput(input: CreateScheduleInput): ScheduleInput {
  return {
    name: input.name,
    cron: input.cron,
    ...(input.timezone != null ? { timezone: input.timezone } : {}),
    ...(input.dockerNode != null ? { node: input.dockerNode } : {}),
    ...(input.labels != null ? { labels: labelsOf(input.labels) } : {}),
    ...(input.environment != null ? { environment: input.environment } : {}),
    benchmark: input.benchmark,
    ...(input.profileId != null ? { profileId: input.profileId } : {}),
  };
}

/** Domain → GraphQL. */
export function mapSchedule(s: Schedule): ScheduleType {
  const t = s.target;
  return {
    id: toGlobalId('Schedule', s.id),
    __typename: 'Schedule',
    scheduleId: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    target:
      t.kind === 'node'
        ? { kind: 'node', dockerNodeId: t.nodeId, dockerNodeName: t.nodeName, labels: [] }
        : { kind: 'selector', labels: Object.entries(t.labels).map(([key, value]) => ({ key, value })), ...(t.environment !== undefined ? { environment: t.environment } : {}) },
    benchmark: s.benchmark,
    ...(s.profileId !== undefined ? { profileId: s.profileId } : {}),
    ownerUserId: s.ownerUserId,
    ownerName: s.ownerName,
    createdAt: s.createdAt,
    ...(s.nextRunAt !== undefined ? { nextRunAt: s.nextRunAt } : {}),
    ...(s.lastFiredAt !== undefined ? { lastFiredAt: s.lastFiredAt } : {}),
    status: s.state.status,
    ...(s.state.status === 'refused' ? { refusal: { code: s.state.code, reason: s.state.reason, since: s.state.since } } : {}),
    ...(s.removedAt !== undefined ? { removedAt: s.removedAt } : {}),
  };
}

/** Domain → GraphQL: the job's state spread into fields. */
export function mapScheduleJob(j: ScheduleJob): ScheduleJobType {
  const base: ScheduleJobType = {
    id: toGlobalId('ScheduleJob', j.id),
    __typename: 'ScheduleJob',
    jobId: j.id,
    name: j.name,
    scheduleId: j.scheduleId,
    scheduleName: j.scheduleName,
    ...(j.nodeId !== undefined ? { dockerNodeId: j.nodeId } : {}),
    ...(j.nodeName !== undefined ? { dockerNodeName: j.nodeName } : {}),
    trigger: j.trigger,
    dueAt: j.dueAt,
    ...(j.requestedBy !== undefined ? { requestedBy: j.requestedBy } : {}),
    createdAt: j.createdAt,
    status: j.state.status,
  };
  const s = j.state;
  switch (s.status) {
    case 'queued':
      return base;
    case 'running':
      return { ...base, startedAt: s.startedAt };
    case 'succeeded':
      return { ...base, startedAt: s.startedAt, finishedAt: s.finishedAt, assessmentId: s.assessmentId };
    case 'failed':
      return { ...base, ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}), finishedAt: s.finishedAt, errorCode: s.code, message: s.message };
    case 'refused':
      return { ...base, finishedAt: s.finishedAt, errorCode: s.code, message: s.message };
    case 'timed-out':
      return { ...base, startedAt: s.startedAt, finishedAt: s.finishedAt, timeoutMs: s.timeoutMs };
    case 'interrupted':
      return { ...base, finishedAt: s.finishedAt, message: s.message };
    default:
      throw new UnreachableCaseError(s);
  }
}
