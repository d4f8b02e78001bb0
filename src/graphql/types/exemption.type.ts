/** GraphQL shapes of exemptions (risk acceptance with separation of duties) and their inputs. */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { ExemptionKind, ExemptionRequest, ExemptionStatus, ExemptionView } from '../../domain/exemption.js';
import { UnreachableCaseError } from '../../domain/errors.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { LabelInput, LabelType, labelsOf } from './docker-node.type.js';
import { ExemptionKindEnum, ExemptionStatusEnum } from './enums.js';

@ObjectType('Exemption', { implements: NodeInterface, description: 'A reviewed, time-boxed acceptance of failing rule results on matching containers.' })
export class ExemptionType extends NodeInterface {
  @Field(() => String, { description: 'The exemption id, as the CLI, results (`exemptedBy`) and OSCAL documents show it.' }) exemptionId!: string;
  @Field(() => String, { description: 'Short name.' }) name!: string;
  @Field(() => ExemptionKindEnum, { description: 'Risk accepted (the default), false positive or operational requirement.' }) kind!: ExemptionKind;
  @Field(() => Boolean, { description: 'True when it covers the whole failed rule on the matching nodes (not containers).' }) wholeRule!: boolean;
  @Field(() => String, { description: 'STIG id (e.g. "DKER-EE-001960") or * for every rule.' }) rule!: string;
  @Field(() => String, { nullable: true, description: 'Container name glob (* and ?); null: any container (labels still apply).' }) container?: string;
  @Field(() => [LabelType], { description: 'Container labels that must all match.' }) labels!: LabelType[];
  @Field(() => String, { nullable: true, description: 'Node id, name or endpoint it is limited to; null: every node.' }) dockerNode?: string;
  @Field(() => String, { description: 'Why the risk is accepted.' }) justification!: string;
  @Field(() => String, { description: 'Who requested it.' }) requestedBy!: string;
  @Field(() => String, { description: 'When it was requested (ISO date-time).' }) requestedAt!: string;
  @Field(() => String, { description: 'Expiry: an ISO date (valid through that day, UTC) or a date-time.' }) expiresAt!: string;
  @Field(() => ExemptionStatusEnum, { description: 'Status now.' }) status!: ExemptionStatus;
  @Field(() => String, { nullable: true, description: 'Who approved it.' }) approvedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was approved.' }) approvedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who rejected it.' }) rejectedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was rejected.' }) rejectedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who revoked it.' }) revokedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was revoked.' }) revokedAt?: string;
  @Field(() => String, { nullable: true, description: 'Why it was rejected or revoked.' }) reason?: string;
  __typename!: NodeTypeName;
}

@InputType('RequestExemptionInput', { description: 'An exemption to request; an admin other than the requester approves or rejects it.' })
export class RequestExemptionInput {
  @Field(() => String, { description: 'Short name.' }) name!: string;
  @Field(() => ExemptionKindEnum, { nullable: true, description: 'Default RISK_ACCEPTED.' }) kind?: ExemptionKind;
  @Field(() => Boolean, { nullable: true, description: 'The whole failed rule (every target, and failures without per-target evidence) on the node(s); no container or labels with it.' }) wholeRule?: boolean;
  @Field(() => String, { description: 'STIG id (e.g. "DKER-EE-001960") or * for every rule.' }) rule!: string;
  @Field(() => String, { nullable: true, description: 'Container name glob (* and ?).' }) container?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Container labels that must all match.' }) labels?: LabelInput[];
  @Field(() => String, { nullable: true, description: 'Node id, name or endpoint to limit it to.' }) dockerNode?: string;
  @Field(() => String, { description: 'Why the risk is accepted (required).' }) justification!: string;
  @Field(() => String, { description: 'Expiry: an ISO date (2027-06-30) or a date-time with a zone.' }) expiresAt!: string;
}

@InputType('ApproveExemptionInput', { description: 'The exemption to approve.' })
export class ApproveExemptionInput {
  @Field(() => ID, { description: 'Global id of the Exemption.' }) id!: string;
}

@InputType('RejectExemptionInput', { description: 'The exemption to reject, and why.' })
export class RejectExemptionInput {
  @Field(() => ID, { description: 'Global id of the Exemption.' }) id!: string;
  @Field(() => String, { description: 'Why it is rejected (required).' }) reason!: string;
}

@InputType('RevokeExemptionInput', { description: 'The exemption to revoke.' })
export class RevokeExemptionInput {
  @Field(() => ID, { description: 'Global id of the Exemption.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Why it is revoked.' }) reason?: string;
}

@InputType('ExemptionFilterInput', { description: 'Which exemptions to list.' })
export class ExemptionFilterInput {
  @Field(() => ExemptionStatusEnum, { nullable: true, description: 'Only exemptions with this status now.' }) status?: ExemptionStatus;
}

/** GraphQL input → domain request; a label key given twice is refused. */
export function toExemptionRequest(input: RequestExemptionInput): ExemptionRequest {
  return {
    name: input.name,
    ...(input.kind != null ? { kind: input.kind } : {}),
    ...(input.wholeRule === true ? { allTargets: true } : {}),
    rule: input.rule,
    ...(input.container != null ? { container: input.container } : {}),
    labels: labelsOf(input.labels),
    ...(input.dockerNode != null ? { node: input.dockerNode } : {}),
    justification: input.justification,
    expiresAt: input.expiresAt,
  };
}

/** Domain → GraphQL (the requester's token id stays behind). */
export function mapExemption(e: ExemptionView): ExemptionType {
  const base: ExemptionType = {
    id: toGlobalId('Exemption', e.id),
    __typename: 'Exemption',
    exemptionId: e.id,
    name: e.name,
    kind: e.kind,
    wholeRule: e.target.allTargets === true,
    rule: e.rule,
    ...(e.target.container !== undefined ? { container: e.target.container } : {}),
    labels: Object.entries(e.target.labels).map(([key, value]) => ({ key, value })),
    ...(e.target.node !== undefined ? { dockerNode: e.target.node } : {}),
    justification: e.justification,
    requestedBy: e.requestedBy,
    requestedAt: e.requestedAt,
    expiresAt: e.expiresAt,
    status: e.status,
  };
  const l = e.lifecycle;
  switch (l.status) {
    case 'requested':
      return base;
    case 'approved':
      return { ...base, approvedBy: l.approvedBy, approvedAt: l.approvedAt };
    case 'rejected':
      return { ...base, rejectedBy: l.rejectedBy, rejectedAt: l.rejectedAt, reason: l.reason };
    case 'revoked':
      return { ...base, approvedBy: l.approvedBy, approvedAt: l.approvedAt, revokedBy: l.revokedBy, revokedAt: l.revokedAt, ...(l.reason !== undefined ? { reason: l.reason } : {}) };
    default:
      throw new UnreachableCaseError(l);
  }
}
