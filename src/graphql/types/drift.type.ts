/**
 * GraphQL shapes of drift: the DriftChange interface and one type per kind of change, counts, compared runs,
 * stored reports and reference runs (Nodes), and their inputs and payloads; domain → GraphQL by map functions.
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, InterfaceType, ObjectType } from 'type-graphql';
import type { ComparedRun, DriftChange, DriftCounts, DriftField, DriftReport, DriftTarget, ReferenceRun } from '../../domain/drift.js';
import { UnreachableCaseError } from '../../domain/errors.js';
import type { Severity } from '../../domain/results.js';
import type { AssessedTargetKind } from '../../domain/target-results.js';
import { describeChange } from '../../monitoring/drift-format.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { ComparedRunSourceEnum, DriftChangeKindEnum, DriftComparisonKindEnum, DriftReportStateEnum, DriftStatusEnum, ExpirySubjectEnum } from './drift-enums.js';
import { SeverityEnum, TargetKindEnum } from './enums.js';

@ObjectType('DriftTarget', { description: 'A target as drift matches it: by kind and stable key, never by its id in a run.' })
export class DriftTargetType {
  @Field(() => TargetKindEnum, { description: 'What the target is.' }) kind!: AssessedTargetKind;
  @Field(() => String, { description: 'Stable key (as `AssessedTarget.key`).' }) key!: string;
  @Field(() => String, { description: 'What people call it (in the newer run when both have it).' }) name!: string;
}

@ObjectType('DriftField', { description: 'A field and its value in the older and the newer run.' })
export class DriftFieldType {
  @Field(() => String, { description: 'Path of the field, e.g. "HostConfig.PidMode", "Mounts[/data].RW", "Config.Env[API_KEY]".' }) field!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The value in the older run (null when absent or hidden: see `hasOldValue`, `redacted`).' }) oldValue?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The value in the newer run (null when absent or hidden).' }) newValue?: unknown;
  @Field(() => Boolean, { description: 'Whether the older run has the field.' }) hasOldValue!: boolean;
  @Field(() => Boolean, { description: 'Whether the newer run has the field.' }) hasNewValue!: boolean;
  @Field(() => Boolean, { description: 'True for values never shown (environment values are salted hashes, file contents): only the change is told.' }) redacted!: boolean;
}

@ObjectType('FailingRule', { description: 'A rule a target failed.' })
export class FailingRuleType {
  @Field(() => String, { description: 'STIG id.' }) stigId!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
}

@InterfaceType('DriftChange', { description: 'One change between two runs; each kind is its own type.', resolveType: (v: { __typename?: string }) => v.__typename })
export abstract class DriftChangeInterface {
  @Field(() => DriftChangeKindEnum, { description: 'What changed.' }) kind!: string;
  @Field(() => String, { description: 'The change in one line, naming the rule, the node, the target and the field (as `plimsoll diff` prints it).' }) message!: string;
  @Field(() => String, { nullable: true, description: 'dockerNodeId of the node; null for a change of the whole comparison (an expiry, a newer release).' }) dockerNodeId?: string;
  @Field(() => String, { description: 'The node as named in the newer run, or "(every node)".' }) nodeName!: string;
  __typename!: string;
}

@ObjectType('RuleTransition', { implements: DriftChangeInterface, description: "A rule's verdict on a target changed." })
export class RuleTransitionType extends DriftChangeInterface {
  @Field(() => String, { description: 'STIG id.' }) stigId!: string;
  @Field(() => String, { description: 'XCCDF rule id (in the newer run when both have it).' }) ruleId!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
  @Field(() => DriftTargetType, { description: 'The target.' }) target!: DriftTargetType;
  @Field(() => DriftStatusEnum, { description: 'The verdict in the older run.' }) from!: string;
  @Field(() => DriftStatusEnum, { description: 'The verdict in the newer run.' }) to!: string;
  @Field(() => String, { nullable: true, description: 'exemptionId the failure was recorded under in the older run.' }) fromExemptionId?: string;
  @Field(() => String, { nullable: true, description: 'exemptionId the failure is recorded under in the newer run.' }) toExemptionId?: string;
  @Field(() => [DriftFieldType], { description: 'The fields that decided the verdict (at most 10), with both values.' }) fields!: DriftFieldType[];
  @Field(() => String, { description: "The newer run's reason for its verdict (the older run's when the newer has none)." }) reason!: string;
}

@ObjectType('TargetPresenceChange', { implements: DriftChangeInterface, description: 'A target in one run only.' })
export class TargetPresenceChangeType extends DriftChangeInterface {
  @Field(() => DriftTargetType, { description: 'The target.' }) target!: DriftTargetType;
  @Field(() => Int, { description: 'How many rules had a verdict on it in the run it is in.' }) ruleCount!: number;
  @Field(() => [FailingRuleType], { description: 'The rules it failed there (at most the benchmark’s rules).' }) failing!: FailingRuleType[];
}

@ObjectType('EvidenceChange', { implements: DriftChangeInterface, description: "A field of a target's stored configuration changed." })
export class EvidenceChangeType extends DriftChangeInterface {
  @Field(() => DriftTargetType, { description: 'The target.' }) target!: DriftTargetType;
  @Field(() => DriftFieldType, { description: 'The field and both values.' }) change!: DriftFieldType;
  @Field(() => [String], { description: 'STIG ids of the rules whose evidence on the target reads this field (empty: configuration no rule reads).' }) stigIds!: string[];
}

@ObjectType('RulePresenceChange', { implements: DriftChangeInterface, description: 'A rule assessed in one run only.' })
export class RulePresenceChangeType extends DriftChangeInterface {
  @Field(() => String, { description: 'STIG id.' }) stigId!: string;
  @Field(() => String, { description: 'XCCDF rule id.' }) ruleId!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
  @Field(() => Int, { description: 'Targets failing it in the run it is in.' }) failingTargets!: number;
}

@ObjectType('NodeNotCompared', { implements: DriftChangeInterface, description: 'A node in one run only, or not collected in one of them.' })
export class NodeNotComparedType extends DriftChangeInterface {
  @Field(() => String, { description: 'Why.' }) reason!: string;
}

@ObjectType('ExpiryNotice', { implements: DriftChangeInterface, description: 'An exemption (or review) expiring soon, or expired since the older run.' })
export class ExpiryNoticeType extends DriftChangeInterface {
  @Field(() => ExpirySubjectEnum, { description: 'What expires.' }) subject!: string;
  @Field(() => String, { description: 'Its id (an exemptionId).' }) subjectId!: string;
  @Field(() => String, { description: 'Its name.' }) subjectName!: string;
  @Field(() => String, { description: 'The STIG id it covers, or "*".' }) stigId!: string;
  @Field(() => String, { description: 'Its expiry (ISO date or date-time).' }) expiresAt!: string;
}

@ObjectType('NewerRelease', { implements: DriftChangeInterface, description: 'A newer release of the assessed benchmark in the library, and the rules it changes.' })
export class NewerReleaseType extends DriftChangeInterface {
  @Field(() => String, { description: 'XCCDF benchmark id.' }) benchmarkId!: string;
  @Field(() => String, { description: 'The release assessed, e.g. "V2R1".' }) assessedRelease!: string;
  @Field(() => String, { description: 'The newer release, e.g. "V2R2".' }) newerRelease!: string;
  @Field(() => String, { description: 'documentId of the newer release (`benchmarkDiff` compares them in full).' }) newerDocumentId!: string;
  @Field(() => [String], { description: 'STIG ids it adds.' }) added!: string[];
  @Field(() => [String], { description: 'STIG ids it removes.' }) removed!: string[];
  @Field(() => [String], { description: 'STIG ids it changes.' }) changed!: string[];
}

@ObjectType('DriftCounts', { description: 'How many changes of each kind.' })
export class DriftCountsType {
  @Field(() => Int, { description: 'REGRESSION changes.' }) regressions!: number;
  @Field(() => Int, { description: 'REMEDIATION changes.' }) remediations!: number;
  @Field(() => Int, { description: 'ERROR_APPEARED changes.' }) errorsAppeared!: number;
  @Field(() => Int, { description: 'ERROR_CLEARED changes.' }) errorsCleared!: number;
  @Field(() => Int, { description: 'STATUS_CHANGED changes.' }) statusChanges!: number;
  @Field(() => Int, { description: 'EXEMPTION_CHANGED changes.' }) exemptionChanges!: number;
  @Field(() => Int, { description: 'TARGET_APPEARED changes.' }) appeared!: number;
  @Field(() => Int, { description: 'TARGET_DISAPPEARED changes.' }) disappeared!: number;
  @Field(() => Int, { description: 'EVIDENCE_CHANGED changes.' }) evidenceChanges!: number;
  @Field(() => Int, { description: 'RULE_ADDED changes.' }) rulesAdded!: number;
  @Field(() => Int, { description: 'RULE_REMOVED changes.' }) rulesRemoved!: number;
  @Field(() => Int, { description: 'NODE_NOT_COMPARED changes.' }) nodesNotCompared!: number;
  @Field(() => Int, { description: 'EXPIRING changes.' }) expiring!: number;
  @Field(() => Int, { description: 'EXPIRED changes.' }) expired!: number;
  @Field(() => Int, { description: 'NEWER_RELEASE changes.' }) newerReleases!: number;
}

@ObjectType('ComparedRun', { description: 'One run of a comparison.' })
export class ComparedRunType {
  @Field(() => String, { description: 'assessmentId of the run.' }) assessmentId!: string;
  @Field(() => String, { description: 'XCCDF benchmark id.' }) benchmarkId!: string;
  @Field(() => String, { description: 'documentId of the benchmark release assessed.' }) benchmarkDocumentId!: string;
  @Field(() => String, { description: 'The release assessed, e.g. "V2R2".' }) release!: string;
  @Field(() => String, { description: 'When it started (ISO date-time).' }) startedAt!: string;
  @Field(() => String, { nullable: true, description: 'When it finished (ISO date-time).' }) finishedAt?: string;
  @Field(() => ComparedRunSourceEnum, { description: 'How it was named.' }) source!: string;
}

@ObjectType('AssessmentComparison', { description: 'Two assessments compared node by node; `changes` pages the changes.' })
export class AssessmentComparisonType {
  @Field(() => ComparedRunType, { name: 'old', description: 'The older run.' }) old!: ComparedRunType;
  @Field(() => ComparedRunType, { name: 'new', description: 'The newer run.' }) new!: ComparedRunType;
  @Field(() => DriftCountsType, { description: 'Counts of every change (before the filter).' }) counts!: DriftCountsType;
  @Field(() => SeverityEnum, { nullable: true, description: 'The highest severity among the regressions.' }) maxSeverity?: Severity;
  /** Paged by the field resolver. */
  changeList!: DriftChangeInterface[];
}

@ObjectType('DriftReport', { implements: NodeInterface, description: "One node of a completed run compared with its previous run or its reference run, stored with the run." })
export class DriftReportType extends NodeInterface {
  @Field(() => String, { description: 'Id of the report.' }) reportId!: string;
  @Field(() => String, { description: 'assessmentId of the run.' }) assessmentId!: string;
  @Field(() => String, { description: 'dockerNodeId of the node.' }) dockerNodeId!: string;
  @Field(() => String, { description: 'The node as named in the run.' }) nodeName!: string;
  @Field(() => String, { description: 'XCCDF benchmark id of the run.' }) benchmarkId!: string;
  @Field(() => DriftComparisonKindEnum, { description: 'What the run is compared with.' }) comparison!: string;
  @Field(() => String, { nullable: true, description: 'assessmentId of the run compared with.' }) comparedAssessmentId?: string;
  @Field(() => DriftReportStateEnum, { description: 'How the comparison went.' }) state!: string;
  @Field(() => String, { nullable: true, description: 'Why nothing was compared, or what failed.' }) message?: string;
  @Field(() => DriftCountsType, { description: 'Counts of the changes.' }) counts!: DriftCountsType;
  @Field(() => SeverityEnum, { nullable: true, description: 'The highest severity among the regressions.' }) maxSeverity?: Severity;
  @Field(() => String, { description: 'When it was computed (ISO date-time).' }) computedAt!: string;
  __typename!: NodeTypeName;
}

@ObjectType('ReferenceRun', { implements: NodeInterface, description: 'The assessment pinned for a node and benchmark: every later run of them is compared with it.' })
export class ReferenceRunType extends NodeInterface {
  @Field(() => String, { description: 'dockerNodeId of the node.' }) dockerNodeId!: string;
  @Field(() => String, { description: 'The node name.' }) nodeName!: string;
  @Field(() => String, { description: 'XCCDF benchmark id (any release).' }) benchmarkId!: string;
  @Field(() => String, { description: 'assessmentId of the pinned run.' }) assessmentId!: string;
  @Field(() => String, { description: 'When the pinned run started (ISO date-time).' }) assessmentStartedAt!: string;
  @Field(() => String, { description: 'Who pinned it.' }) pinnedBy!: string;
  @Field(() => String, { nullable: true, description: 'userId of who pinned it.' }) pinnedByUserId?: string;
  @Field(() => String, { description: 'When (ISO date-time).' }) pinnedAt!: string;
  @Field(() => String, { nullable: true, description: 'Why this run is the reference.' }) note?: string;
  __typename!: NodeTypeName;
}

@InputType('DriftChangeFilterInput', { description: 'Which changes to list; every field given narrows.' })
export class DriftChangeFilterInput {
  @Field(() => [DriftChangeKindEnum], { nullable: true, description: 'Only these kinds.' }) kinds?: string[];
  @Field(() => String, { nullable: true, description: 'Only changes of this node (its dockerNodeId).' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'Only changes naming this STIG id.' }) stigId?: string;
  @Field(() => SeverityEnum, { nullable: true, description: 'Only changes of rules of this severity.' }) severity?: Severity;
}

@InputType('DriftReportFilterInput', { description: 'Which stored reports of a run to list.' })
export class DriftReportFilterInput {
  @Field(() => String, { nullable: true, description: 'Only this node (its dockerNodeId).' }) dockerNodeId?: string;
  @Field(() => DriftComparisonKindEnum, { nullable: true, description: 'Only this comparison.' }) comparison?: string;
}

@InputType('ReferenceRunFilterInput', { description: 'Which reference runs to list.' })
export class ReferenceRunFilterInput {
  @Field(() => String, { nullable: true, description: 'Only this node: dockerNodeId, name or endpoint.' }) dockerNode?: string;
}

@InputType('PinReferenceRunInput', { description: 'A completed assessment to pin as the reference run of one of its nodes.' })
export class PinReferenceRunInput {
  @Field(() => ID, { description: 'Global id of the DockerNode.' }) dockerNode!: string;
  @Field(() => ID, { description: 'Global id of the Assessment (completed, with the node collected).' }) assessment!: string;
  @Field(() => String, { nullable: true, description: 'Why this run is the reference (at most 500 characters).' }) note?: string;
}

@InputType('UnpinReferenceRunInput', { description: 'A reference run to remove.' })
export class UnpinReferenceRunInput {
  @Field(() => ID, { description: 'Global id of the ReferenceRun.' }) id!: string;
}

@ObjectType('PinReferenceRunPayload', { description: 'The result of pinning a reference run.' })
export class PinReferenceRunPayload {
  @Field(() => ReferenceRunType, { description: 'The pin.' }) referenceRun!: ReferenceRunType;
  @Field(() => ReferenceRunType, { nullable: true, description: 'The pin it replaced, if any.' }) replaced?: ReferenceRunType;
}

@ObjectType('UnpinReferenceRunPayload', { description: 'The result of removing a reference run.' })
export class UnpinReferenceRunPayload {
  @Field(() => ID, { description: 'Global id of the removed ReferenceRun: drop it from client caches.' }) removedId!: string;
  @Field(() => ReferenceRunType, { description: 'The pin as it was.' }) referenceRun!: ReferenceRunType;
}

const mapTarget = (t: DriftTarget): DriftTargetType => ({ kind: t.kind, key: t.key, name: t.name });

export function mapDriftField(f: DriftField): DriftFieldType {
  return { field: f.field, oldValue: f.old ?? null, newValue: f.new ?? null, hasOldValue: 'old' in f, hasNewValue: 'new' in f, redacted: f.redacted === true };
}

/** Domain change → its GraphQL type. */
export function mapDriftChange(c: DriftChange): DriftChangeInterface {
  const base = { kind: c.kind, message: describeChange(c), ...(c.nodeId !== '' ? { dockerNodeId: c.nodeId } : {}), nodeName: c.nodeName };
  switch (c.kind) {
    case 'regression':
    case 'remediation':
    case 'error-appeared':
    case 'error-cleared':
    case 'status-changed':
    case 'exemption-changed':
      return {
        ...base, __typename: 'RuleTransition', stigId: c.stigId, ruleId: c.ruleId, severity: c.severity, target: mapTarget(c.target), from: c.from, to: c.to,
        ...(c.fromExemption !== undefined ? { fromExemptionId: c.fromExemption } : {}), ...(c.toExemption !== undefined ? { toExemptionId: c.toExemption } : {}),
        fields: c.fields.map(mapDriftField), reason: c.reason,
      } as RuleTransitionType;
    case 'target-appeared':
    case 'target-disappeared':
      return { ...base, __typename: 'TargetPresenceChange', target: mapTarget(c.target), ruleCount: c.ruleCount, failing: c.failing.map((f) => ({ ...f })) } as TargetPresenceChangeType;
    case 'evidence-changed':
      return { ...base, __typename: 'EvidenceChange', target: mapTarget(c.target), change: mapDriftField(c.change), stigIds: [...c.stigIds] } as EvidenceChangeType;
    case 'rule-added':
    case 'rule-removed':
      return { ...base, __typename: 'RulePresenceChange', stigId: c.stigId, ruleId: c.ruleId, severity: c.severity, failingTargets: c.failingTargets } as RulePresenceChangeType;
    case 'node-not-compared':
      return { ...base, __typename: 'NodeNotCompared', reason: c.reason } as NodeNotComparedType;
    case 'expiring':
    case 'expired':
      return { ...base, __typename: 'ExpiryNotice', subject: c.subject, subjectId: c.subjectId, subjectName: c.subjectName, stigId: c.stigId, expiresAt: c.expiresAt } as ExpiryNoticeType;
    case 'newer-release':
      return {
        ...base, __typename: 'NewerRelease', benchmarkId: c.benchmarkId, assessedRelease: c.assessedRelease, newerRelease: c.newerRelease, newerDocumentId: c.newerDocumentId,
        added: [...c.added], removed: [...c.removed], changed: [...c.changed],
      } as NewerReleaseType;
    default:
      throw new UnreachableCaseError(c);
  }
}

export const mapDriftCounts = (c: DriftCounts): DriftCountsType => ({ ...c });

export function mapComparedRun(r: ComparedRun): ComparedRunType {
  return { ...r };
}

export function mapDriftReport(r: DriftReport): DriftReportType {
  const { id, nodeId, ...rest } = r;
  return { ...rest, id: toGlobalId('DriftReport', id), __typename: 'DriftReport', reportId: id, dockerNodeId: nodeId, counts: mapDriftCounts(r.counts) };
}

export function mapReferenceRun(p: ReferenceRun): ReferenceRunType {
  const { nodeId, ...rest } = p;
  return { ...rest, id: toGlobalId('ReferenceRun', nodeId, p.benchmarkId), __typename: 'ReferenceRun', dockerNodeId: nodeId };
}
