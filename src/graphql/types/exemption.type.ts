import { Field, InputType, ObjectType } from 'type-graphql';
import type { ExemptionRequest, ExemptionView } from '../../domain/exemption.js';
import { UnreachableCaseError } from '../../domain/errors.js';
import { LabelInput, LabelType, labelsOf } from './node.type.js';

@ObjectType({ description: 'An exemption: a reviewed, time-boxed acceptance of failing rule results on matching containers.' })
export class ExemptionType {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'STIG id (DKER-EE-001960) or * for every rule.' }) rule!: string;
  @Field(() => String, { nullable: true, description: 'Container name glob (* and ?).' }) container?: string;
  @Field(() => [LabelType], { description: 'Container labels that must all match.' }) labels!: LabelType[];
  @Field(() => String, { nullable: true, description: 'Node id, name or endpoint; absent: every node.' }) node?: string;
  @Field(() => String) justification!: string;
  @Field(() => String) requestedBy!: string;
  @Field(() => String) requestedAt!: string;
  @Field(() => String, { description: 'ISO date (valid through that day, UTC) or date-time.' }) expiresAt!: string;
  @Field(() => String, { description: 'requested, approved, rejected, revoked or expired (computed from expiresAt)' }) status!: string;
  @Field(() => String, { nullable: true }) approvedBy?: string;
  @Field(() => String, { nullable: true }) approvedAt?: string;
  @Field(() => String, { nullable: true }) rejectedBy?: string;
  @Field(() => String, { nullable: true }) rejectedAt?: string;
  @Field(() => String, { nullable: true }) revokedBy?: string;
  @Field(() => String, { nullable: true }) revokedAt?: string;
  @Field(() => String, { nullable: true, description: 'Why it was rejected or revoked.' }) reason?: string;
}

@InputType()
export class RequestExemptionInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'STIG id (DKER-EE-001960) or * for every rule.' }) rule!: string;
  @Field(() => String, { nullable: true, description: 'Container name glob (* and ?).' }) container?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Container labels that must all match.' }) labels?: LabelInput[];
  @Field(() => String, { nullable: true, description: 'Node id, name or endpoint.' }) node?: string;
  @Field(() => String) justification!: string;
  @Field(() => String, { description: 'ISO date (2027-06-30) or date-time with a zone.' }) expiresAt!: string;
}

/** GraphQL input → domain request; a label key given twice is refused. */
export function toExemptionRequest(input: RequestExemptionInput): ExemptionRequest {
  const labels = labelsOf(input.labels);
  return {
    name: input.name,
    rule: input.rule,
    ...(input.container !== undefined && input.container !== null ? { container: input.container } : {}),
    labels,
    ...(input.node !== undefined && input.node !== null ? { node: input.node } : {}),
    justification: input.justification,
    expiresAt: input.expiresAt,
  };
}

/** Domain → GraphQL (the requester's token id stays behind). */
export function mapExemption(e: ExemptionView): ExemptionType {
  const base: ExemptionType = {
    id: e.id,
    name: e.name,
    rule: e.rule,
    ...(e.target.container !== undefined ? { container: e.target.container } : {}),
    labels: Object.entries(e.target.labels).map(([key, value]) => ({ key, value })),
    ...(e.target.node !== undefined ? { node: e.target.node } : {}),
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
