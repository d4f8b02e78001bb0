import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChecklistImportOutcome } from '../../domain/services.js';

export enum ChecklistFormatEnum {
  CKL = 'ckl',
  CKLB = 'cklb',
}
registerEnumType(ChecklistFormatEnum, {
  name: 'ChecklistFormat',
  description: 'A STIG Viewer checklist format.',
  valuesConfig: { CKL: { description: 'STIG Viewer 2 checklist (XML).' }, CKLB: { description: 'STIG Viewer 3 checklist (JSON).' } },
});

@InputType('ImportChecklistInput', { description: 'A STIG Viewer checklist, uploaded first (POST /uploads), to import as manual reviews.' })
export class ImportChecklistInput {
  @Field(() => String, { description: 'The upload holding the CKL or CKLB (the format is read from its content).' }) uploadId!: string;
  @Field(() => ID, { nullable: true, description: "The DockerNode the reviews are for; default: the node named by the checklist's host name." }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'How long the reviews apply once accepted: an ISO date or a period (P90D); default P365D.' }) expiry?: string;
}

@ObjectType('ImportChecklistPayload', { description: 'What importChecklist created: reviews submitted by the caller, for another person to accept.' })
export class ImportChecklistPayload {
  @Field(() => ChecklistFormatEnum, { description: 'The format read.' }) format!: ChecklistFormatEnum;
  @Field(() => String, { description: 'The node the reviews are for, as given or named by the checklist.' }) node!: string;
  @Field(() => Int, { description: 'Reviews created, each submitted (list them with manualReviews(filter: { status: SUBMITTED })).' }) submittedCount!: number;
  @Field(() => Int, { description: 'Checklist entries left out: not reviewed, or a verdict Plimsoll had written without a reviewer.' }) skippedCount!: number;
}

/** The payload of an outcome. */
export function mapChecklistImport(out: ChecklistImportOutcome): ImportChecklistPayload {
  return { format: out.format as ChecklistFormatEnum, node: out.node, submittedCount: out.reviewIds.length, skippedCount: out.skipped.length };
}
