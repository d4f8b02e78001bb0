/**
 * GraphQL shapes of per-target results and of an assessment's nodes, in the schema's conventions: enums in
 * capitals, Relay connections (declared in connections.type.ts) for every list that can grow, the Node
 * interface for what can be refetched, domain → GraphQL through map functions.
 */
import { Field, ObjectType, InputType, registerEnumType } from 'type-graphql';
import type { AssessedNode as DomainAssessedNode } from '../../domain/assessment.js';
import type { Severity } from '../../domain/results.js';
import type { AssessedTarget, AssessedTargetKind, StoredTargetResult, TargetQuery, TargetResultFilter, TargetStatus } from '../../domain/target-results.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { ObservationType, mapObservation } from './assessment.type.js';
import { AssetFacts, mapAssetFacts } from './asset.type.js';
import { SeverityEnum, TargetKindEnum } from './enums.js';

export enum TargetResultStatusEnum {
  PASS = 'pass',
  FAIL = 'fail',
  NOT_APPLICABLE = 'not-applicable',
  NOT_CHECKED = 'not-checked',
  ERROR = 'error',
  EXCLUDED = 'excluded',
}
registerEnumType(TargetResultStatusEnum, {
  name: 'TargetResultStatus',
  description: "A rule's verdict on one target.",
  valuesConfig: {
    PASS: { description: 'The rule was decided and every observation of the target met it.' },
    FAIL: { description: 'An observation of the target did not meet the rule (exempted failures stay FAIL).' },
    NOT_APPLICABLE: { description: 'The rule does not apply.' },
    NOT_CHECKED: { description: 'No automated check: a person must review the rule.' },
    ERROR: { description: 'The rule could not be decided (missing or unreadable data, an unreachable node); never read as a pass.' },
    EXCLUDED: { description: "The target is a platform container (UCP, DTR, Kubernetes) the rule's check text leaves out: not judged, never a pass. Its observations say which pattern matched." },
  },
});

export enum NodeRunStateEnum {
  PENDING = 'pending',
  COLLECTED = 'collected',
  FAILED = 'failed',
  INTERRUPTED = 'interrupted',
}
registerEnumType(NodeRunStateEnum, {
  name: 'NodeRunState',
  description: 'How the collection of one node of an assessment went.',
  valuesConfig: {
    PENDING: { description: 'Not collected yet (the assessment is running).' },
    COLLECTED: { description: 'Its facts were collected and its rules evaluated.' },
    FAILED: { description: 'It could not be collected; its rules are ERROR with the reason.' },
    INTERRUPTED: { description: 'The process running the assessment died before it was collected.' },
  },
});

export enum NodeFailureReasonEnum {
  UNREACHABLE = 'unreachable',
  TLS = 'tls',
  NOT_ALLOWED = 'not-allowed',
  ENGINE_ERROR = 'engine-error',
  INTERNAL = 'internal',
  UNKNOWN = 'unknown',
}
registerEnumType(NodeFailureReasonEnum, {
  name: 'NodeFailureReason',
  description: 'Why a node could not be collected.',
  valuesConfig: {
    UNREACHABLE: { description: 'The engine did not answer (refused, timed out, no route).' },
    TLS: { description: 'The TLS handshake or certificate check failed.' },
    NOT_ALLOWED: { description: 'The endpoint is outside the node allow-list (PLIMSOLL_NODE_ALLOWLIST) at collection time.' },
    ENGINE_ERROR: { description: 'The engine answered with an error.' },
    INTERNAL: { description: 'Plimsoll failed while collecting.' },
    UNKNOWN: { description: 'Recorded before reasons were classified.' },
  },
});

@ObjectType('AssessedTarget', { description: 'A target of a rule: named by its id in the run and by a stable key that survives a redeploy.' })
export class AssessedTargetType {
  @Field(() => TargetKindEnum, { description: 'What the target is.' }) kind!: AssessedTargetKind;
  @Field(() => String, {
    description: 'Stable key, unique per node and kind: compose/PROJECT/SERVICE/NUMBER, swarm/SERVICE/SLOT or name/NAME for containers, tag/REPO:TAG, digest/… or id/… for images, the path of a file, "daemon", "node", "swarm".',
  })
  key!: string;
  @Field(() => String, { description: 'Its id in this run (container id, image id, swarm object id, path, dockerNodeId).' }) targetId!: string;
  @Field(() => String, { description: 'What people call it (container name, image tag, path).' }) name!: string;
  @Field(() => String, { nullable: true, description: "A container's image, as it was created from." }) image?: string;
}

@ObjectType('TargetResult', { implements: NodeInterface, description: "One rule's verdict on one target of one node in an assessment, with the evidence about that target." })
export class TargetResultType extends NodeInterface {
  @Field(() => String, { description: 'assessmentId of the run.' }) assessmentId!: string;
  @Field(() => String, { description: 'dockerNodeId of the node the target is on (a removed node keeps it).' }) dockerNodeId!: string;
  @Field(() => String, { description: 'XCCDF rule id.' }) ruleId!: string;
  @Field(() => String, { description: 'STIG id, e.g. "DKER-EE-001960".' }) stigId!: string;
  @Field(() => String, { description: 'sha256 of the check text the rule was evaluated against.' }) checkContentHash!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
  @Field(() => AssessedTargetType, { description: 'The target.' }) target!: AssessedTargetType;
  @Field(() => TargetResultStatusEnum, { description: "The rule's verdict on this target." }) status!: TargetStatus;
  @Field(() => String, { description: 'Why, in a sentence.' }) message!: string;
  @Field(() => String, { nullable: true, description: 'exemptionId of the approved exemption covering every failing observation of this target (the status stays FAIL).' }) exemptedBy?: string;
  @Field(() => String, { nullable: true, description: 'On the node-level row of a rule answered by a manual review: its reviewId (the status is the attested result).' }) attestedBy?: string;
  @Field(() => String, { description: "When the node's facts were collected (ISO date-time)." }) collectedAt!: string;
  /** Paged by the `observations` field resolver. */
  observationList!: ObservationType[];
  __typename!: NodeTypeName;
}

@ObjectType('AssessedNode', { implements: NodeInterface, description: 'A node of an assessment, named as it was at the run, with how its collection went.' })
export class AssessedNodeType extends NodeInterface {
  @Field(() => String, { description: 'assessmentId of the run.' }) assessmentId!: string;
  @Field(() => String, { description: 'dockerNodeId of the node (a removed node keeps it).' }) dockerNodeId!: string;
  @Field(() => String, { description: 'Its name at the run.' }) name!: string;
  @Field(() => String, { description: 'Its endpoint at the run.' }) endpoint!: string;
  @Field(() => NodeRunStateEnum, { description: 'How its collection went.' }) state!: string;
  @Field(() => NodeFailureReasonEnum, { nullable: true, description: 'Why it failed (FAILED only).' }) failureReason?: string;
  @Field(() => String, { nullable: true, description: 'The failure or interruption, in words.' }) message?: string;
  @Field(() => String, { nullable: true, description: 'When its facts were collected (COLLECTED only; ISO date-time).' }) collectedAt?: string;
  @Field(() => String, { nullable: true, description: 'sha256 of its stored facts snapshot (COLLECTED only).' }) factsSha256?: string;
  @Field(() => AssetFacts, { nullable: true, description: 'Its asset facts as they were at the run (overrides applied).' }) asset?: AssetFacts;
  __typename!: NodeTypeName;
}

@InputType('TargetResultFilterInput', { description: "Which per-target results to list; every field given narrows the list." })
export class TargetResultFilterInput {
  @Field(() => String, { nullable: true, description: 'Only targets on this node (its dockerNodeId).' }) dockerNodeId?: string;
  @Field(() => TargetResultStatusEnum, { nullable: true, description: 'Only results with this status.' }) status?: TargetStatus;
  @Field(() => TargetKindEnum, { nullable: true, description: 'Only targets of this kind.' }) kind?: AssessedTargetKind;
  @Field(() => String, { nullable: true, description: 'Only this rule (STIG id or XCCDF rule id).' }) rule?: string;
  @Field(() => String, { nullable: true, description: 'Only the target with this stable key.' }) key?: string;
}

@InputType('TargetInput', { description: 'One target across assessments: its node, kind and stable key.' })
export class TargetInput {
  @Field(() => String, { description: 'The node: dockerNodeId, name or endpoint (a removed node by dockerNodeId).' }) dockerNode!: string;
  @Field(() => TargetKindEnum, { description: 'Target kind.' }) kind!: AssessedTargetKind;
  @Field(() => String, { description: 'Stable target key (`target.key` of a TargetResult).' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Only this rule (STIG id or XCCDF rule id).' }) rule?: string;
}

/** GraphQL filter → domain filter (nulls dropped). */
export function toTargetResultFilter(f: TargetResultFilterInput | undefined | null): TargetResultFilter {
  return {
    ...(f?.dockerNodeId != null ? { nodeId: f.dockerNodeId } : {}),
    ...(f?.status != null ? { status: f.status } : {}),
    ...(f?.kind != null ? { kind: f.kind } : {}),
    ...(f?.rule != null ? { rule: f.rule } : {}),
    ...(f?.key != null ? { key: f.key } : {}),
  };
}

/** GraphQL target → the service's query. */
export function toTargetQuery(t: TargetInput): TargetQuery {
  return { node: t.dockerNode, kind: t.kind, key: t.key, ...(t.rule != null ? { rule: t.rule } : {}) };
}

/** A target, domain → GraphQL (its id is `targetId`, beside the Node ids). */
export function mapAssessedTarget(t: AssessedTarget): AssessedTargetType {
  return { kind: t.kind, key: t.key, targetId: t.id, name: t.name, ...(t.image !== undefined ? { image: t.image } : {}) };
}

export function mapTargetResult(t: StoredTargetResult): TargetResultType {
  return {
    id: toGlobalId('TargetResult', String(t.id)),
    __typename: 'TargetResult',
    assessmentId: t.assessmentId,
    dockerNodeId: t.nodeId,
    ruleId: t.ruleId,
    stigId: t.stigId,
    checkContentHash: t.checkContentHash,
    severity: t.severity,
    target: mapAssessedTarget(t.target),
    status: t.status,
    message: t.message,
    ...(t.exemptedBy !== undefined ? { exemptedBy: t.exemptedBy } : {}),
    ...(t.attestedBy !== undefined ? { attestedBy: t.attestedBy } : {}),
    collectedAt: t.collectedAt,
    observationList: t.observations.map(mapObservation),
  };
}

export function mapAssessedNode(assessmentId: string, n: DomainAssessedNode): AssessedNodeType {
  const s = n.status;
  return {
    id: toGlobalId('AssessedNode', assessmentId, n.nodeId),
    __typename: 'AssessedNode',
    assessmentId,
    dockerNodeId: n.nodeId,
    name: n.name,
    endpoint: n.endpoint,
    state: s.state,
    ...(s.state === 'failed' ? { failureReason: s.reason, message: s.message } : {}),
    ...(s.state === 'interrupted' ? { message: s.message } : {}),
    ...(s.state === 'collected' ? { collectedAt: s.collectedAt, factsSha256: s.factsSha256 } : {}),
    ...(n.asset !== undefined ? { asset: mapAssetFacts(n.asset) } : {}),
  };
}
