/**
 * GraphQL shapes of per-target results and of an assessment's nodes: enums in capitals, every list that can
 * grow a Relay connection (capped `first`, paged in the database), domain → GraphQL through map functions.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AssessedNode as DomainAssessedNode } from '../../domain/assessment.js';
import type { Connection } from '../../domain/library.js';
import type { RuleStatus } from '../../domain/results.js';
import type { AssessedTargetKind, StoredTargetResult, TargetResultFilter } from '../../domain/target-results.js';
import { AssetFacts, mapAssetFacts } from './asset.type.js';
import { ObservationType, mapObservation } from './assessment.type.js';
import { PageInfoType, mapPageInfo } from './pagination.type.js';

export enum TargetKind {
  NODE = 'node',
  ENGINE = 'engine',
  CONTAINER = 'container',
  IMAGE = 'image',
  SWARM = 'swarm',
  SWARM_NODE = 'swarm-node',
  SERVICE = 'service',
  NETWORK = 'network',
  SECRET = 'secret',
  FILE = 'file',
}
registerEnumType(TargetKind, {
  name: 'TargetKind',
  description: 'What a per-target result is about.',
  valuesConfig: {
    NODE: { description: 'The node as a whole: the target of a rule result without per-target observations.' },
    ENGINE: { description: "The node's Docker daemon." },
    CONTAINER: { description: 'A container (running or stopped).' },
    IMAGE: { description: 'An image on the node.' },
    SWARM: { description: 'The swarm the node belongs to.' },
    SWARM_NODE: { description: 'A member of the swarm, seen from this node.' },
    SERVICE: { description: 'A swarm service.' },
    NETWORK: { description: 'A swarm overlay network.' },
    SECRET: { description: 'A swarm secret.' },
    FILE: { description: 'A file on the host.' },
  },
});

export enum TargetResultStatus {
  PASS = 'pass',
  FAIL = 'fail',
  NOT_APPLICABLE = 'not-applicable',
  NOT_CHECKED = 'not-checked',
  ERROR = 'error',
}
registerEnumType(TargetResultStatus, {
  name: 'TargetResultStatus',
  description: "A rule's verdict on one target.",
  valuesConfig: {
    PASS: { description: 'Every observation of the target passes a rule that was decided.' },
    FAIL: { description: 'An observation of the target fails.' },
    NOT_APPLICABLE: { description: 'The rule does not apply.' },
    NOT_CHECKED: { description: 'No automated check: a person must review the rule.' },
    ERROR: { description: 'The rule could not be decided (missing or unreadable data, an unreachable node).' },
  },
});

export enum NodeRunState {
  PENDING = 'pending',
  COLLECTED = 'collected',
  FAILED = 'failed',
  INTERRUPTED = 'interrupted',
}
registerEnumType(NodeRunState, {
  name: 'NodeRunState',
  description: 'How the collection of one node of an assessment went.',
  valuesConfig: {
    PENDING: { description: 'Not collected yet (the assessment is running).' },
    COLLECTED: { description: 'Its facts were collected and its rules evaluated.' },
    FAILED: { description: 'It could not be collected; its rules are ERROR with the reason.' },
    INTERRUPTED: { description: 'The process running the assessment died before it was collected.' },
  },
});

export enum NodeFailureReason {
  UNREACHABLE = 'unreachable',
  TLS = 'tls',
  ENGINE_ERROR = 'engine-error',
  INTERNAL = 'internal',
  UNKNOWN = 'unknown',
}
registerEnumType(NodeFailureReason, {
  name: 'NodeFailureReason',
  description: 'Why a node could not be collected.',
  valuesConfig: {
    UNREACHABLE: { description: 'The engine did not answer (refused, timed out, no route).' },
    TLS: { description: 'The TLS handshake or certificate check failed.' },
    ENGINE_ERROR: { description: 'The engine answered with an error.' },
    INTERNAL: { description: 'Plimsoll failed while collecting.' },
    UNKNOWN: { description: 'Recorded before reasons were classified.' },
  },
});

@ObjectType({ description: 'A target of a rule: named by its id in the run and by a stable key that survives a redeploy.' })
export class AssessedTarget {
  @Field(() => TargetKind, { description: 'What the target is.' }) kind!: TargetKind;
  @Field(() => String, { description: 'Stable key, unique per node and kind (compose/PROJECT/SERVICE/NUMBER, swarm/SERVICE/SLOT, name/NAME, tag/REPO:TAG, a path…).' }) key!: string;
  @Field(() => String, { description: 'Its id in this run (container id, image id, path, node id).' }) id!: string;
  @Field(() => String, { description: 'What people call it (container name, image tag, path).' }) name!: string;
  @Field(() => String, { nullable: true, description: "A container's image, as it was created from." }) image?: string;
}

@ObjectType({ description: 'One rule\'s verdict on one target of one node, with the evidence about that target.' })
export class TargetResult {
  @Field(() => String, { description: 'The assessment.' }) assessmentId!: string;
  @Field(() => String, { description: 'The node the target is on.' }) nodeId!: string;
  @Field(() => String, { description: 'XCCDF rule id (SV-…).' }) ruleId!: string;
  @Field(() => String, { description: 'STIG id (DKER-EE-…).' }) stigId!: string;
  @Field(() => String, { description: "Hash of the rule's check text." }) checkContentHash!: string;
  @Field(() => String, { description: 'high, medium, low or unknown.' }) severity!: string;
  @Field(() => AssessedTarget, { description: 'The target.' }) target!: AssessedTarget;
  @Field(() => TargetResultStatus, { description: "The rule's verdict on this target." }) status!: TargetResultStatus;
  @Field(() => String, { description: 'Why, in a sentence.' }) message!: string;
  @Field(() => [ObservationType], { description: 'The observations about this target (at most a few per rule).' }) observations!: ObservationType[];
  @Field(() => String, { nullable: true, description: 'The approved exemption covering every failing observation of this target (the status stays FAIL).' }) exemptedBy?: string;
  @Field(() => String, { description: "When the node's facts were collected." }) collectedAt!: string;
}

@ObjectType({ description: 'A per-target result and its cursor.' })
export class TargetResultEdge {
  @Field(() => String, { description: 'Opaque cursor: pass it as `after` for the results after this one.' }) cursor!: string;
  @Field(() => TargetResult, { description: 'The result.' }) node!: TargetResult;
}

@ObjectType({ description: 'A page of per-target results, read from the database.' })
export class TargetResultConnection {
  @Field(() => [TargetResultEdge], { description: 'The results of this page.' }) edges!: TargetResultEdge[];
  @Field(() => PageInfoType, { description: 'Whether more follow, and the cursor to continue from.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Matches in all pages.' }) totalCount!: number;
}

@ObjectType({ description: 'A node of an assessment, named as it was at the run, with how its collection went.' })
export class AssessedNode {
  @Field(() => String, { description: 'The node id (a removed node keeps it).' }) nodeId!: string;
  @Field(() => String, { description: 'Its name at the run.' }) name!: string;
  @Field(() => String, { description: 'Its endpoint at the run.' }) endpoint!: string;
  @Field(() => NodeRunState, { description: 'How its collection went.' }) state!: NodeRunState;
  @Field(() => NodeFailureReason, { nullable: true, description: 'Why it failed (FAILED only).' }) failureReason?: NodeFailureReason;
  @Field(() => String, { nullable: true, description: 'The failure or interruption, in words.' }) message?: string;
  @Field(() => String, { nullable: true, description: 'When its facts were collected (COLLECTED only).' }) collectedAt?: string;
  @Field(() => String, { nullable: true, description: 'sha256 of its stored facts snapshot (COLLECTED only).' }) factsSha256?: string;
  @Field(() => AssetFacts, { nullable: true, description: 'Its asset facts as they were at the run (overrides applied).' }) asset?: AssetFacts;
}

@ObjectType({ description: 'An assessed node and its cursor.' })
export class AssessedNodeEdge {
  @Field(() => String, { description: 'Opaque cursor: pass it as `after` for the nodes after this one.' }) cursor!: string;
  @Field(() => AssessedNode, { description: 'The node.' }) node!: AssessedNode;
}

@ObjectType({ description: "A page of an assessment's nodes, in request order, read from the database." })
export class AssessedNodeConnection {
  @Field(() => [AssessedNodeEdge], { description: 'The nodes of this page.' }) edges!: AssessedNodeEdge[];
  @Field(() => PageInfoType, { description: 'Whether more follow, and the cursor to continue from.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Nodes of the assessment.' }) totalCount!: number;
}

@InputType({ description: "Filters of an assessment's per-target results (all given ones must match)." })
export class TargetResultFilterInput {
  @Field(() => String, { nullable: true, description: 'Node id.' }) nodeId?: string;
  @Field(() => TargetResultStatus, { nullable: true, description: 'Verdict.' }) status?: TargetResultStatus;
  @Field(() => TargetKind, { nullable: true, description: 'Target kind.' }) kind?: TargetKind;
  @Field(() => String, { nullable: true, description: 'STIG id or XCCDF rule id.' }) rule?: string;
  @Field(() => String, { nullable: true, description: 'Stable target key.' }) key?: string;
}

@InputType({ description: 'One target across assessments.' })
export class TargetInput {
  @Field(() => String, { description: 'Node id, name or endpoint (a removed node by id).' }) node!: string;
  @Field(() => TargetKind, { description: 'Target kind.' }) kind!: TargetKind;
  @Field(() => String, { description: 'Stable target key.' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Only this rule (STIG id or XCCDF rule id).' }) rule?: string;
}

/** GraphQL filter → domain filter. */
export function filterOf(input: TargetResultFilterInput | undefined): TargetResultFilter {
  if (input === undefined || input === null) return {};
  return {
    ...(input.nodeId != null ? { nodeId: input.nodeId } : {}),
    ...(input.status != null ? { status: input.status as RuleStatus } : {}),
    ...(input.kind != null ? { kind: input.kind as AssessedTargetKind } : {}),
    ...(input.rule != null ? { rule: input.rule } : {}),
    ...(input.key != null ? { key: input.key } : {}),
  };
}

export function mapTargetResult(t: StoredTargetResult): TargetResult {
  return {
    assessmentId: t.assessmentId,
    nodeId: t.nodeId,
    ruleId: t.ruleId,
    stigId: t.stigId,
    checkContentHash: t.checkContentHash,
    severity: t.severity,
    target: { kind: t.target.kind as TargetKind, key: t.target.key, id: t.target.id, name: t.target.name, ...(t.target.image !== undefined ? { image: t.target.image } : {}) },
    status: t.status as TargetResultStatus,
    message: t.message,
    observations: t.observations.map(mapObservation),
    ...(t.exemptedBy !== undefined ? { exemptedBy: t.exemptedBy } : {}),
    collectedAt: t.collectedAt,
  };
}

export function mapTargetResultConnection(c: Connection<StoredTargetResult>): TargetResultConnection {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: mapTargetResult(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}

export function mapAssessedNode(n: DomainAssessedNode): AssessedNode {
  const s = n.status;
  return {
    nodeId: n.nodeId,
    name: n.name,
    endpoint: n.endpoint,
    state: s.state as NodeRunState,
    ...(s.state === 'failed' ? { failureReason: s.reason as NodeFailureReason, message: s.message } : {}),
    ...(s.state === 'interrupted' ? { message: s.message } : {}),
    ...(s.state === 'collected' ? { collectedAt: s.collectedAt, factsSha256: s.factsSha256 } : {}),
    ...(n.asset !== undefined ? { asset: mapAssetFacts(n.asset) } : {}),
  };
}

export function mapAssessedNodeConnection(c: Connection<DomainAssessedNode>): AssessedNodeConnection {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: mapAssessedNode(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}
