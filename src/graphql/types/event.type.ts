/** GraphQL shapes of domain events (the `events` subscription) and of event filters (subscriptions, webhooks). */
import { Field, InputType, Int, InterfaceType, ObjectType } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import type { EventFilter, FilterSeverity } from '../../domain/event-filter.js';
import type { PlimsollEvent, PlimsollEventType } from '../../domain/events.js';
import { AssessmentStatusEnum, SeverityEnum } from './enums.js';
import { DriftComparisonEnum, EventTypeEnum, ExpirySubjectEnum, NodeEventStateEnum, SeverityThresholdEnum } from './monitoring-enums.js';

@InterfaceType('Event', {
  description: 'Something that happened, as subscriptions and webhooks tell it: ids and counts, never evidence values. Read the details through queries.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class EventInterface {
  @Field(() => String, { description: 'The event id (webhook deliveries carry it too).' }) eventId!: string;
  @Field(() => String, { description: 'When it happened (ISO date-time).' }) at!: string;
  @Field(() => EventTypeEnum, { description: 'What happened.' }) type!: PlimsollEventType;
  @Field(() => [String], { description: 'The nodes it is about; empty: every node.' }) dockerNodeIds!: string[];
  @Field(() => [String], { description: 'The environments of those nodes.' }) environments!: string[];
}

@ObjectType('RuleStatusCounts', { description: 'Rule results of a run by status.' })
export class RuleStatusCountsType {
  @Field(() => Int, { description: 'PASS.' }) pass!: number;
  @Field(() => Int, { description: 'FAIL (exempted ones included).' }) fail!: number;
  @Field(() => Int, { description: 'NOT_APPLICABLE.' }) notApplicable!: number;
  @Field(() => Int, { description: 'NOT_CHECKED.' }) notChecked!: number;
  @Field(() => Int, { description: 'ERROR.' }) error!: number;
}

@ObjectType('AssessmentStartedEvent', { implements: EventInterface, description: 'An assessment run began.' })
export class AssessmentStartedEventType extends EventInterface {
  @Field(() => String, { description: 'The run.' }) assessmentId!: string;
  @Field(() => [String], { description: 'The benchmarks (document ids) it assesses.' }) benchmarkIds!: string[];
  @Field(() => String, { nullable: true, description: 'The user it acts as (a person, or a schedule’s owner).' }) actorUserId?: string;
  @Field(() => String, { nullable: true, description: 'The schedule it runs for, when scheduled.' }) scheduleId?: string;
  @Field(() => String, { nullable: true, description: "The schedule's job it is, when scheduled." }) jobId?: string;
  __typename!: string;
}

@ObjectType('AssessmentNodeEvent', { implements: EventInterface, description: 'A node of a run was collected and evaluated, or failed (its rules are then ERROR).' })
export class AssessmentNodeEventType extends EventInterface {
  @Field(() => String, { description: 'The run.' }) assessmentId!: string;
  @Field(() => String, { description: 'The node.' }) dockerNodeId!: string;
  @Field(() => String, { description: "The node's name." }) dockerNodeName!: string;
  @Field(() => NodeEventStateEnum, { description: 'COLLECTED or FAILED.' }) state!: string;
  @Field(() => String, { nullable: true, description: 'Why it failed (unreachable, tls, engine-error, internal).' }) reason?: string;
  __typename!: string;
}

@ObjectType('AssessmentCompletedEvent', { implements: EventInterface, description: 'A run ended.' })
export class AssessmentCompletedEventType extends EventInterface {
  @Field(() => String, { description: 'The run.' }) assessmentId!: string;
  @Field(() => AssessmentStatusEnum, { description: 'COMPLETED, FAILED or INTERRUPTED.' }) status!: string;
  @Field(() => RuleStatusCountsType, { description: 'Rule results by status (zeros when the run failed).' }) counts!: RuleStatusCountsType;
  @Field(() => SeverityEnum, { nullable: true, description: 'The highest severity among the failed rules; null when none failed.' }) maxSeverity?: string;
  @Field(() => String, { nullable: true, description: 'Why it failed or was interrupted.' }) error?: string;
  __typename!: string;
}

@ObjectType('DriftDetectedEvent', { implements: EventInterface, description: "A completed run differs from the node's previous run or its reference run." })
export class DriftDetectedEventType extends EventInterface {
  @Field(() => String, { description: 'The new run.' }) assessmentId!: string;
  @Field(() => String, { description: 'The node.' }) dockerNodeId!: string;
  @Field(() => String, { description: "The node's name." }) dockerNodeName!: string;
  @Field(() => DriftComparisonEnum, { description: 'What the run was compared with.' }) comparedWith!: string;
  @Field(() => String, { description: 'The run it was compared with.' }) comparedWithAssessmentId!: string;
  @Field(() => Int, { description: 'Rules that went from pass to fail on a target.' }) regressions!: number;
  @Field(() => Int, { description: 'Rules that went from fail to pass on a target.' }) remediations!: number;
  @Field(() => Int, { description: 'Rules that became ERROR on a target.' }) errors!: number;
  @Field(() => Int, { description: 'Targets that appeared.' }) appeared!: number;
  @Field(() => Int, { description: 'Targets that disappeared.' }) disappeared!: number;
  @Field(() => Int, { description: 'Evidence fields that changed.' }) evidenceChanges!: number;
  @Field(() => SeverityEnum, { nullable: true, description: 'The highest severity among the regressions; null when there are none.' }) maxSeverity?: string;
  __typename!: string;
}

@ObjectType('ExpiryEvent', { implements: EventInterface, description: 'An exemption or review expires within the warning period (PLIMSOLL_EXPIRY_WARNING_DAYS), or has expired.' })
export class ExpiryEventType extends EventInterface {
  @Field(() => ExpirySubjectEnum, { description: 'What expires.' }) subject!: string;
  @Field(() => String, { description: 'Its id.' }) subjectId!: string;
  @Field(() => String, { description: 'The STIG id it concerns (* for every rule).' }) stigId!: string;
  @Field(() => String, { description: 'Its expiry (ISO date or date-time).' }) expiresAt!: string;
  @Field(() => Boolean, { description: 'True once it has expired.' }) expired!: boolean;
  __typename!: string;
}

@ObjectType('EventFilter', { description: 'Which events a webhook receives. Empty lists: no restriction.' })
export class EventFilterType {
  @Field(() => [EventTypeEnum], { description: 'Only these event types.' }) types!: PlimsollEventType[];
  @Field(() => [String], { description: 'Only events about these nodes (ids).' }) dockerNodeIds!: string[];
  @Field(() => [String], { description: 'Only events about nodes in these environments.' }) environments!: string[];
  @Field(() => SeverityThresholdEnum, { nullable: true, description: 'Only events carrying at least this severity (drift regressions, failed rules).' }) minSeverity?: FilterSeverity;
}

@InputType('EventFilterInput', { description: 'Which events to receive. Omitted fields do not restrict; an event about no particular node passes the node and environment filters.' })
export class EventFilterInput {
  @Field(() => [EventTypeEnum], { nullable: true, description: 'Only these event types (at most 100 values per list).' }) types?: PlimsollEventType[];
  @Field(() => [String], { nullable: true, description: 'Only events about these nodes (ids, names or endpoints).' }) dockerNodes?: string[];
  @Field(() => [String], { nullable: true, description: 'Only events about nodes in these environments (`default` for nodes without one).' }) environments?: string[];
  @Field(() => SeverityThresholdEnum, { nullable: true, description: 'Only events carrying at least this severity; events without one (progress, expiry) do not pass.' }) minSeverity?: FilterSeverity;
}

/** GraphQL filter → domain filter (node references are resolved by the services). */
export function toEventFilter(input: EventFilterInput | null | undefined): EventFilter {
  if (input == null) return {};
  return {
    ...(input.types != null ? { types: input.types } : {}),
    ...(input.dockerNodes != null ? { nodeIds: input.dockerNodes } : {}),
    ...(input.environments != null ? { environments: input.environments } : {}),
    ...(input.minSeverity != null ? { minSeverity: input.minSeverity } : {}),
  };
}

/** Domain filter → GraphQL. */
export function mapEventFilter(f: EventFilter): EventFilterType {
  return { types: f.types ?? [], dockerNodeIds: f.nodeIds ?? [], environments: f.environments ?? [], ...(f.minSeverity !== undefined ? { minSeverity: f.minSeverity } : {}) };
}

/** Any concrete event type. */
export type AnyEventType = AssessmentStartedEventType | AssessmentNodeEventType | AssessmentCompletedEventType | DriftDetectedEventType | ExpiryEventType;

/** Domain event → its GraphQL type. */
export function mapEvent(e: PlimsollEvent): AnyEventType {
  const base = { eventId: e.id, at: e.at, type: e.type, dockerNodeIds: e.scope.nodeIds, environments: e.scope.environments };
  switch (e.type) {
    case 'assessment.started':
      return { ...base, __typename: 'AssessmentStartedEvent', assessmentId: e.assessmentId, benchmarkIds: e.benchmarkIds, ...opt('actorUserId', e.actorUserId), ...opt('scheduleId', e.scheduleId), ...opt('jobId', e.jobId) };
    case 'assessment.node':
      return { ...base, __typename: 'AssessmentNodeEvent', assessmentId: e.assessmentId, dockerNodeId: e.nodeId, dockerNodeName: e.nodeName, state: e.state, ...opt('reason', e.reason) };
    case 'assessment.completed': {
      const c = e.summary;
      const counts = { pass: c.pass ?? 0, fail: c.fail ?? 0, notApplicable: c['not-applicable'] ?? 0, notChecked: c['not-checked'] ?? 0, error: c.error ?? 0 };
      return { ...base, __typename: 'AssessmentCompletedEvent', assessmentId: e.assessmentId, status: e.status, counts, ...opt('maxSeverity', e.maxSeverity), ...opt('error', e.error) };
    }
    case 'drift.detected':
      return {
        ...base, __typename: 'DriftDetectedEvent', assessmentId: e.assessmentId, dockerNodeId: e.nodeId, dockerNodeName: e.nodeName,
        comparedWith: e.comparedWith.kind, comparedWithAssessmentId: e.comparedWith.assessmentId, ...e.counts, ...opt('maxSeverity', e.maxSeverity),
      };
    case 'expiry':
      return { ...base, __typename: 'ExpiryEvent', subject: e.subject, subjectId: e.subjectId, stigId: e.stigId, expiresAt: e.expiresAt, expired: e.expired };
    default:
      throw new UnreachableCaseError(e);
  }
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The concrete event types, named in the schema as orphans (reached only through the Event interface). */
export const EVENT_OBJECT_TYPES = [AssessmentStartedEventType, AssessmentNodeEventType, AssessmentCompletedEventType, DriftDetectedEventType, ExpiryEventType];
