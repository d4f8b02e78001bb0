/** GraphQL shapes of manual reviews (attestations), their inputs and payloads, and the review marks of results. */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import type {
  ManualReviewView,
  ReviewDraftChanges,
  ReviewDraftInput,
  ReviewEvidence,
  ReviewEvidenceInput as DomainEvidenceInput,
  ReviewResult,
  ReviewScopeInput as DomainScopeInput,
  ReviewStatus,
  RuleAttestation,
  RuleReviewNote,
} from '../../domain/review.js';
import { reviewEvidenceDownloadPath } from '../../domain/download.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { parseExpiry } from '../../reviews/review-validation.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { LabelInput, LabelType, labelsOf } from './docker-node.type.js';

export enum ReviewStatusEnum {
  DRAFT = 'draft',
  SUBMITTED = 'submitted',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
  EXPIRED = 'expired',
}
registerEnumType(ReviewStatusEnum, {
  name: 'ReviewStatus',
  description: "A manual review's status now (EXPIRED follows from expiresAt and the clock).",
  valuesConfig: {
    DRAFT: { description: 'Being written; only drafts can be edited.' },
    SUBMITTED: { description: 'Waiting for an admin who neither wrote nor submitted it to accept or reject it.' },
    ACCEPTED: { description: 'In force: answers the matching not-checked rules of later assessments.' },
    REJECTED: { description: 'Refused, with a reason; never applied.' },
    EXPIRED: { description: 'Accepted, but past its expiry: no longer applied (the rule is not checked again).' },
  },
});

export enum ReviewResultEnum {
  PASS = 'pass',
  FAIL = 'fail',
  NOT_APPLICABLE = 'not-applicable',
}
registerEnumType(ReviewResultEnum, {
  name: 'ReviewResult',
  description: 'What the reviewer found.',
  valuesConfig: {
    PASS: { description: 'The rule is met (STIG: not a finding).' },
    FAIL: { description: 'The rule is not met (STIG: open).' },
    NOT_APPLICABLE: { description: 'The rule does not apply to the scope.' },
  },
});

export enum ReviewScopeKindEnum {
  NODE = 'node',
  LABELS = 'labels',
  ALL_NODES = 'all-nodes',
}
registerEnumType(ReviewScopeKindEnum, {
  name: 'ReviewScopeKind',
  description: 'Which nodes a review speaks for.',
  valuesConfig: {
    NODE: { description: 'One Docker node.' },
    LABELS: { description: 'Every node whose labels include all the given labels.' },
    ALL_NODES: { description: 'Every node.' },
  },
});

export enum ReviewEvidenceKindEnum {
  TEXT = 'text',
  URL = 'url',
  FILE = 'file',
}
registerEnumType(ReviewEvidenceKindEnum, {
  name: 'ReviewEvidenceKind',
  description: 'What a piece of review evidence is.',
  valuesConfig: {
    TEXT: { description: 'Prose.' },
    URL: { description: 'An http(s) link.' },
    FILE: { description: 'An uploaded file, kept by its sha256.' },
  },
});

export enum ReviewNoteReasonEnum {
  EXPIRED = 'expired',
  AUTOMATED = 'automated',
}
registerEnumType(ReviewNoteReasonEnum, {
  name: 'ReviewNoteReason',
  description: 'Why a matching review did not answer a rule.',
  valuesConfig: {
    EXPIRED: { description: 'The review expired.' },
    AUTOMATED: { description: 'A check decided the rule (or errored): a review never overrides an automated verdict.' },
  },
});

@ObjectType('ReviewScope', { description: 'Which nodes a review speaks for.' })
export class ReviewScopeType {
  @Field(() => ReviewScopeKindEnum, { description: 'One node, a label selector, or every node.' }) kind!: ReviewScopeKindEnum;
  @Field(() => String, { nullable: true, description: 'The node id, for kind NODE.' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'The node name when the review was written, for kind NODE.' }) dockerNodeName?: string;
  @Field(() => [LabelType], { description: 'The selector labels, for kind LABELS (empty otherwise).' }) labels!: LabelType[];
}

@ObjectType('ReviewEvidence', { description: 'A piece of review evidence: text, a link, or a file kept by its sha256.' })
export class ReviewEvidenceType {
  @Field(() => ReviewEvidenceKindEnum, { description: 'Text, URL or file.' }) kind!: ReviewEvidenceKindEnum;
  @Field(() => String, { nullable: true, description: 'The text, for kind TEXT.' }) text?: string;
  @Field(() => String, { nullable: true, description: 'The link, for kind URL.' }) url?: string;
  @Field(() => String, { nullable: true, description: 'The file name, for kind FILE.' }) name?: string;
  @Field(() => String, { nullable: true, description: 'The file sha256 (hex), for kind FILE.' }) sha256?: string;
  @Field(() => Int, { nullable: true, description: 'The file size in bytes, for kind FILE.' }) size?: number;
  @Field(() => String, { nullable: true, description: 'The file media type, for kind FILE.' }) mediaType?: string;
  @Field(() => String, { nullable: true, description: "For kind FILE: the path of GET /downloads/… that serves the file (prefix your server's origin)." }) downloadUrl?: string;
}

@ObjectType('ManualReview', { implements: NodeInterface, description: "A person's reviewed answer to a rule no check decides, accepted by another person before it counts." })
export class ManualReviewType extends NodeInterface {
  @Field(() => String, { description: 'The review id, as the CLI, results and OSCAL documents show it.' }) reviewId!: string;
  @Field(() => String, { description: 'XCCDF benchmark id of the rule.' }) benchmarkId!: string;
  @Field(() => String, { description: 'STIG id (rule version) of the rule, e.g. "DKER-EE-001070".' }) stigId!: string;
  @Field(() => String, { description: 'Rule id (SV-…) in the release the review was written against.' }) ruleId!: string;
  @Field(() => String, { nullable: true, description: 'That release, e.g. "V2R1".' }) release?: string;
  @Field(() => String, { description: "sha256 of the rule's check content: the review answers every release with the same hash." }) checkContentHash!: string;
  @Field(() => ReviewScopeType, { description: 'Which nodes it speaks for.' }) scope!: ReviewScopeType;
  @Field(() => ReviewResultEnum, { description: 'What the reviewer found.' }) result!: ReviewResult;
  @Field(() => String, { description: 'What was examined and how.' }) statement!: string;
  @Field(() => [ReviewEvidenceType], { description: 'Evidence (at most 20 pieces).' }) evidence!: ReviewEvidenceType[];
  @Field(() => String, { description: 'The expiry as given: an ISO date or date-time, or a period after acceptance (P90D).' }) expiry!: string;
  @Field(() => String, { nullable: true, description: 'When an accepted review stops applying (ISO date or date-time).' }) expiresAt?: string;
  @Field(() => Boolean, { description: 'True when it came from a checklist import (CKL/CKLB).' }) imported!: boolean;
  @Field(() => ReviewStatusEnum, { description: 'Status now.' }) status!: ReviewStatus;
  @Field(() => String, { description: 'Who wrote it.' }) createdBy!: string;
  @Field(() => String, { description: 'When it was written (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'Who submitted it.' }) submittedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was submitted.' }) submittedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who accepted it.' }) acceptedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was accepted.' }) acceptedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who rejected it.' }) rejectedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was rejected.' }) rejectedAt?: string;
  @Field(() => String, { nullable: true, description: 'Why it was rejected.' }) rejectionReason?: string;
  __typename!: NodeTypeName;
}

@ObjectType('RuleAttestation', { description: 'The accepted manual review that answered a rule no check decided.' })
export class RuleAttestationType {
  @Field(() => String, { description: 'reviewId of the review; `manualReview(reviewId:)` returns it.' }) reviewId!: string;
  @Field(() => ReviewResultEnum, { description: 'The attested result (the rule status).' }) result!: ReviewResult;
  @Field(() => String, { description: "The reviewer's statement." }) statement!: string;
  @Field(() => String, { description: 'Who submitted the review.' }) submittedBy!: string;
  @Field(() => String, { description: 'When it was submitted.' }) submittedAt!: string;
  @Field(() => String, { description: 'Who accepted it.' }) acceptedBy!: string;
  @Field(() => String, { description: 'When it was accepted.' }) acceptedAt!: string;
  @Field(() => String, { description: 'Until when it applies.' }) expiresAt!: string;
  @Field(() => String, { description: 'The release (and rule id) the review was written against.' }) writtenFor!: string;
}

@ObjectType('RuleReviewNote', { description: 'A review that matched a rule without answering it.' })
export class RuleReviewNoteType {
  @Field(() => String, { description: 'reviewId of the review.' }) reviewId!: string;
  @Field(() => ReviewNoteReasonEnum, { description: 'Why it did not answer.' }) reason!: RuleReviewNote['why'];
  @Field(() => String, { description: 'When it expires or expired.' }) expiresAt!: string;
  @Field(() => String, { description: 'Who accepted it.' }) acceptedBy!: string;
}

@InputType('ReviewScopeInput', { description: 'Which nodes a review speaks for: give dockerNode for NODE, labels for LABELS.' })
export class ReviewScopeInput {
  @Field(() => ReviewScopeKindEnum, { description: 'One node, a label selector, or every node.' }) kind!: ReviewScopeKindEnum;
  @Field(() => String, { nullable: true, description: 'Node id, name or endpoint, for NODE.' }) dockerNode?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Labels a node must all have, for LABELS.' }) labels?: LabelInput[];
}

@InputType('ReviewEvidenceInput', { description: 'One piece of evidence: exactly one of text, url or uploadId (a file sent with POST /uploads).' })
export class ReviewEvidenceInput {
  @Field(() => String, { nullable: true, description: 'Evidence as text.' }) text?: string;
  @Field(() => String, { nullable: true, description: 'Evidence as an http(s) link.' }) url?: string;
  @Field(() => String, { nullable: true, description: 'An upload id from POST /uploads: the file is kept by its sha256.' }) uploadId?: string;
}

@InputType('CreateManualReviewInput', { description: 'A draft review of a rule for a scope of nodes.' })
export class CreateManualReviewInput {
  @Field(() => String, { description: 'Benchmark document id or XCCDF benchmark id (latest release).' }) benchmark!: string;
  @Field(() => String, { description: 'STIG id, e.g. "DKER-EE-001070".' }) stigId!: string;
  @Field(() => ReviewScopeInput, { description: 'Which nodes it speaks for.' }) scope!: ReviewScopeInput;
  @Field(() => ReviewResultEnum, { description: 'What the reviewer found.' }) result!: ReviewResult;
  @Field(() => String, { description: 'What was examined and how.' }) statement!: string;
  @Field(() => [ReviewEvidenceInput], { nullable: true, description: 'Evidence (at most 20).' }) evidence?: ReviewEvidenceInput[];
  @Field(() => String, { description: 'An ISO date (2027-06-30), a date-time with a zone, or a period after acceptance (P90D, P12W).' }) expiry!: string;
}

@InputType('UpdateManualReviewInput', { description: 'Changes to a draft review; omitted fields stay.' })
export class UpdateManualReviewInput {
  @Field(() => ID, { description: 'Global id of the ManualReview.' }) id!: string;
  @Field(() => ReviewScopeInput, { nullable: true, description: 'A new scope.' }) scope?: ReviewScopeInput;
  @Field(() => ReviewResultEnum, { nullable: true, description: 'A new result.' }) result?: ReviewResult;
  @Field(() => String, { nullable: true, description: 'A new statement.' }) statement?: string;
  @Field(() => [ReviewEvidenceInput], { nullable: true, description: 'The new evidence list (replaces the old one).' }) evidence?: ReviewEvidenceInput[];
  @Field(() => String, { nullable: true, description: 'A new expiry (date or period).' }) expiry?: string;
}

/** An input naming one review by its global id. */
function idInput(name: string, description: string): new () => { id: string } {
  @InputType(name, { description })
  class ReviewIdInput {
    @Field(() => ID, { description: 'Global id of the ManualReview.' }) id!: string;
  }
  return ReviewIdInput;
}
export const SubmitManualReviewInput = idInput('SubmitManualReviewInput', 'The draft review to submit.');
export const WithdrawManualReviewInput = idInput('WithdrawManualReviewInput', 'The submitted review to take back to draft.');
export const AcceptManualReviewInput = idInput('AcceptManualReviewInput', 'The submitted review to accept.');

@InputType('RejectManualReviewInput', { description: 'The submitted review to reject, and why.' })
export class RejectManualReviewInput {
  @Field(() => ID, { description: 'Global id of the ManualReview.' }) id!: string;
  @Field(() => String, { description: 'Why it is rejected (required).' }) reason!: string;
}

@InputType('ManualReviewFilterInput', { description: 'Which reviews to list; every field narrows.' })
export class ManualReviewFilterInput {
  @Field(() => ReviewStatusEnum, { nullable: true, description: 'Only reviews with this status now.' }) status?: ReviewStatus;
  @Field(() => String, { nullable: true, description: 'Only reviews of this STIG id.' }) stigId?: string;
  @Field(() => String, { nullable: true, description: 'Only reviews of this XCCDF benchmark id.' }) benchmarkId?: string;
}

/** A payload carrying the review a mutation made or changed. */
function payload(name: string, description: string): new () => { manualReview: ManualReviewType } {
  @ObjectType(name, { description })
  class ReviewPayload {
    @Field(() => ManualReviewType, { description: 'The review as it is now.' }) manualReview!: ManualReviewType;
  }
  return ReviewPayload;
}
export const CreateManualReviewPayload = payload('CreateManualReviewPayload', 'The draft review createManualReview made.');
export const UpdateManualReviewPayload = payload('UpdateManualReviewPayload', 'The draft review after updateManualReview.');
export const SubmitManualReviewPayload = payload('SubmitManualReviewPayload', 'The review after submitManualReview.');
export const WithdrawManualReviewPayload = payload('WithdrawManualReviewPayload', 'The review after withdrawManualReview.');
export const AcceptManualReviewPayload = payload('AcceptManualReviewPayload', 'The review after acceptManualReview.');
export const RejectManualReviewPayload = payload('RejectManualReviewPayload', 'The review after rejectManualReview.');

function scopeInputOf(s: ReviewScopeInput): DomainScopeInput {
  switch (s.kind) {
    case ReviewScopeKindEnum.NODE:
      if (s.dockerNode == null) throw new PlimsollError(ErrorCode.BAD_INPUT, 'A NODE scope needs dockerNode');
      return { kind: 'node', node: s.dockerNode };
    case ReviewScopeKindEnum.LABELS:
      return { kind: 'labels', labels: labelsOf(s.labels) };
    case ReviewScopeKindEnum.ALL_NODES:
      return { kind: 'all-nodes' };
    default:
      throw new UnreachableCaseError(s.kind);
  }
}

function evidenceInputOf(list: readonly ReviewEvidenceInput[]): DomainEvidenceInput[] {
  return list.map((e, i) => {
    const given = [e.text, e.url, e.uploadId].filter((v) => v != null).length;
    if (given !== 1) throw new PlimsollError(ErrorCode.BAD_INPUT, `evidence[${i}] must give exactly one of text, url or uploadId`);
    if (e.text != null) return { kind: 'text', text: e.text };
    if (e.url != null) return { kind: 'url', url: e.url };
    return { kind: 'upload', uploadId: e.uploadId! };
  });
}

/** GraphQL input → domain draft. */
export function toReviewDraft(input: CreateManualReviewInput): ReviewDraftInput {
  return {
    benchmark: input.benchmark,
    stigId: input.stigId,
    scope: scopeInputOf(input.scope),
    result: input.result,
    statement: input.statement,
    evidence: evidenceInputOf(input.evidence ?? []),
    expiry: parseExpiry(input.expiry),
  };
}

/** GraphQL input → domain changes. */
export function toReviewChanges(input: UpdateManualReviewInput): ReviewDraftChanges {
  return {
    ...(input.scope != null ? { scope: scopeInputOf(input.scope) } : {}),
    ...(input.result != null ? { result: input.result } : {}),
    ...(input.statement != null ? { statement: input.statement } : {}),
    ...(input.evidence != null ? { evidence: evidenceInputOf(input.evidence) } : {}),
    ...(input.expiry != null ? { expiry: parseExpiry(input.expiry) } : {}),
  };
}

function evidenceOf(reviewId: string, e: ReviewEvidence): ReviewEvidenceType {
  switch (e.kind) {
    case 'text':
      return { kind: ReviewEvidenceKindEnum.TEXT, text: e.text };
    case 'url':
      return { kind: ReviewEvidenceKindEnum.URL, url: e.url };
    case 'file':
      return { kind: ReviewEvidenceKindEnum.FILE, name: e.name, sha256: e.sha256, size: e.size, mediaType: e.mediaType, downloadUrl: reviewEvidenceDownloadPath(reviewId, e.sha256) };
  }
}

/** Domain → GraphQL (user ids stay behind). */
export function mapManualReview(r: ManualReviewView): ManualReviewType {
  const s = r.scope;
  const base: ManualReviewType = {
    id: toGlobalId('ManualReview', r.id),
    __typename: 'ManualReview',
    reviewId: r.id,
    benchmarkId: r.rule.benchmarkId,
    stigId: r.rule.stigId,
    ruleId: r.rule.ruleId,
    ...(r.rule.release !== undefined ? { release: r.rule.release } : {}),
    checkContentHash: r.rule.checkContentHash,
    scope: {
      kind: s.kind as ReviewScopeKindEnum,
      ...(s.kind === 'node' ? { dockerNodeId: s.nodeId, dockerNodeName: s.nodeName } : {}),
      labels: s.kind === 'labels' ? Object.entries(s.labels).map(([key, value]) => ({ key, value })) : [],
    },
    result: r.result,
    statement: r.statement,
    evidence: r.evidence.map((e) => evidenceOf(r.id, e)),
    expiry: r.expiry.kind === 'date' ? r.expiry.date : r.expiry.period,
    imported: r.origin === 'import',
    status: r.status,
    createdBy: r.createdBy.name,
    createdAt: r.createdAt,
  };
  const l = r.lifecycle;
  switch (l.state) {
    case 'draft':
      return base;
    case 'submitted':
      return { ...base, submittedBy: l.submittedBy.name, submittedAt: l.submittedAt };
    case 'accepted':
      return { ...base, submittedBy: l.submittedBy.name, submittedAt: l.submittedAt, acceptedBy: l.acceptedBy.name, acceptedAt: l.acceptedAt, expiresAt: l.expiresAt };
    case 'rejected':
      return { ...base, submittedBy: l.submittedBy.name, submittedAt: l.submittedAt, rejectedBy: l.rejectedBy.name, rejectedAt: l.rejectedAt, rejectionReason: l.reason };
    default:
      throw new UnreachableCaseError(l);
  }
}

/** A result's attestation → GraphQL. */
export function mapAttestation(a: RuleAttestation): RuleAttestationType {
  const { evidence: _evidence, ...rest } = a;
  return rest;
}

/** A result's review notes → GraphQL. */
export function mapReviewNotes(notes: readonly RuleReviewNote[] | undefined): RuleReviewNoteType[] {
  return (notes ?? []).map((n) => ({ reviewId: n.reviewId, reason: n.why, expiresAt: n.expiresAt, acceptedBy: n.acceptedBy }));
}
