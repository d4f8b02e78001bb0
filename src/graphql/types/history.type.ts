/** GraphQL shapes of posture history: the series, its buckets and counts, and its input. */
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import type { BySeverity, HistoryBucket, PosturePoint, PostureQuery, PostureSummary, PostureCounts } from '../../domain/history.js';
import { totalOf } from '../../domain/history.js';
import { HistoryBucketEnum } from './drift-enums.js';

@ObjectType('SeverityCounts', { description: 'Counts by rule severity.' })
export class SeverityCountsType {
  @Field(() => Int, { description: 'CAT I.' }) high!: number;
  @Field(() => Int, { description: 'CAT II.' }) medium!: number;
  @Field(() => Int, { description: 'CAT III.' }) low!: number;
  @Field(() => Int, { description: 'Without a known severity.' }) unknown!: number;
  @Field(() => Int, { description: 'All of them.' }) total!: number;
}

@ObjectType('PostureCounts', { description: 'Rule results (per node, summed over nodes), with failures open and exempted apart.' })
export class PostureCountsType {
  @Field(() => Int, { description: 'Rules passed.' }) pass!: number;
  @Field(() => Int, { description: 'Rules failed (open and exempted).' }) fail!: number;
  @Field(() => Int, { description: 'Rules that could not be decided.' }) error!: number;
  @Field(() => Int, { description: 'Rules not applicable.' }) notApplicable!: number;
  @Field(() => Int, { description: 'Rules for manual review.' }) notChecked!: number;
  @Field(() => SeverityCountsType, { description: 'Open findings: failures without an approved exemption.' }) open!: SeverityCountsType;
  @Field(() => SeverityCountsType, { description: 'Exempted failures: accepted risk, still failures, never counted as open.' }) exempted!: SeverityCountsType;
}

@ObjectType('PosturePoint', { description: 'One bucket of a posture series.' })
export class PosturePointType {
  @Field(() => String, { description: 'Start of the bucket (ISO date-time, inclusive).' }) start!: string;
  @Field(() => String, { description: 'End of the bucket (ISO date-time, exclusive).' }) end!: string;
  @Field(() => Int, { description: "Node × benchmark postures known at the bucket's end (each node's latest run, carried forward; removed nodes left out)." }) postures!: number;
  @Field(() => Int, { description: 'Of those, how many were assessed within the bucket.' }) assessedInBucket!: number;
  @Field(() => PostureCountsType, { nullable: true, description: 'Their posture; null when no node had been assessed yet.' }) counts?: PostureCountsType;
  @Field(() => Float, { nullable: true, description: 'pass / (pass + fail + error), from 0 to 1: errors count as not passing. Null when nothing was decided.' }) passRate?: number;
  @Field(() => Int, { description: 'Findings (a target failing a rule) opened within the bucket.' }) opened!: number;
  @Field(() => Int, { description: 'Findings remediated within the bucket (the target passed the rule again).' }) remediated!: number;
  @Field(() => Int, { nullable: true, description: 'Mean time to remediate of those, in seconds; null when none.' }) meanTimeToRemediateSeconds?: number;
}

@ObjectType('PostureSnapshot', { description: 'The posture at one time.' })
export class PostureSnapshotType {
  @Field(() => Int, { description: 'Node × benchmark postures known then.' }) postures!: number;
  @Field(() => PostureCountsType, { nullable: true, description: 'Their posture; null when none.' }) counts?: PostureCountsType;
  @Field(() => Float, { nullable: true, description: 'pass / (pass + fail + error); null when nothing was decided.' }) passRate?: number;
}

@ObjectType('PostureHistory', { description: 'Posture over a range, per node or for the fleet; `points` pages its buckets.' })
export class PostureHistoryType {
  @Field(() => String, { description: 'Start of the range (ISO date-time).' }) from!: string;
  @Field(() => String, { description: 'End of the range (ISO date-time, exclusive).' }) to!: string;
  @Field(() => HistoryBucketEnum, { description: 'The bucket length.' }) bucket!: HistoryBucket;
  @Field(() => Int, { description: 'How many buckets the range holds (at most 1000).' }) bucketCount!: number;
  @Field(() => String, { nullable: true, description: 'dockerNodeId of the node; null for the fleet.' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'XCCDF benchmark id; null for every benchmark.' }) benchmarkId?: string;
  @Field(() => PostureSnapshotType, { description: 'The posture at the end of the range.' }) latest!: PostureSnapshotType;
  @Field(() => Int, { description: 'Findings opened within the range.' }) opened!: number;
  @Field(() => Int, { description: 'Findings remediated within the range.' }) remediated!: number;
  @Field(() => Int, { nullable: true, description: 'Mean time to remediate over the range, in seconds; null when none was remediated.' }) meanTimeToRemediateSeconds?: number;
  @Field(() => Int, { description: 'Findings still open at the end of the range.' }) stillOpen!: number;
  /** What `points` pages. */
  query!: PostureQuery;
}

@InputType('PostureHistoryInput', { description: 'A posture series: a node or the fleet, a benchmark or all, a range and a bucket length.' })
export class PostureHistoryInput {
  @Field(() => String, { nullable: true, description: 'One node: dockerNodeId, name or endpoint (a removed node by dockerNodeId); omitted: the fleet.' }) dockerNode?: string;
  @Field(() => String, { nullable: true, description: 'One XCCDF benchmark id; omitted: every benchmark.' }) benchmark?: string;
  @Field(() => String, { description: 'Start: an ISO date (midnight UTC) or date-time with a zone.' }) from!: string;
  @Field(() => String, { nullable: true, description: 'End, exclusive: an ISO date or date-time with a zone; omitted: now.' }) to?: string;
  @Field(() => HistoryBucketEnum, { description: 'Bucket length; the range may hold at most 1000 buckets (BAD_INPUT otherwise).' }) bucket!: HistoryBucket;
}

const severities = (s: BySeverity): SeverityCountsType => ({ ...s, total: totalOf(s) });

function mapCounts(c: PostureCounts | undefined): PostureCountsType | undefined {
  return c === undefined ? undefined : { pass: c.pass, fail: c.fail, error: c.error, notApplicable: c.notApplicable, notChecked: c.notChecked, open: severities(c.open), exempted: severities(c.exempted) };
}

export function toPostureQuery(i: PostureHistoryInput): PostureQuery {
  return { from: i.from, bucket: i.bucket, ...(i.to != null ? { to: i.to } : {}), ...(i.dockerNode != null ? { node: i.dockerNode } : {}), ...(i.benchmark != null ? { benchmark: i.benchmark } : {}) };
}

export function mapPosturePoint(p: PosturePoint): PosturePointType {
  const { counts, ...rest } = p;
  return { ...rest, ...(counts !== undefined ? { counts: mapCounts(counts)! } : {}) };
}

export function mapPostureHistory(s: PostureSummary, query: PostureQuery): PostureHistoryType {
  const { nodeId, latest, ...rest } = s;
  return {
    ...rest, ...(nodeId !== undefined ? { dockerNodeId: nodeId } : {}), query,
    latest: { postures: latest.postures, ...(latest.counts !== undefined ? { counts: mapCounts(latest.counts)! } : {}), ...(latest.passRate !== undefined ? { passRate: latest.passRate } : {}) },
  };
}
