/** GraphQL shapes of remediation plans, their items and Engine API calls, with their inputs and payloads. */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import { formatMemory, type EngineCallRecord, type RemediationItem, type RemediationPlan, type RemediationPlanStatus, type RevealedUnlockKey } from '../../domain/remediation.js';
import type { Severity } from '../../domain/results.js';
import { ErrorCodeEnum } from '../error-codes.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { SeverityEnum } from './enums.js';
import { EngineCallOutcomeEnum, EngineSettingEnum, RemediationModeEnum, RemediationPlanStatusEnum, VerificationOutcomeEnum } from './remediation-enums.js';
import { AssessedTargetType, TargetResultStatusEnum, mapAssessedTarget } from './target-result.type.js';

@ObjectType('RemediationSettings', { description: 'The values a plan sets, chosen by its proposer.' })
export class RemediationSettingsType {
  @Field(() => String, { nullable: true, description: 'Memory limit as docker writes it (e.g. "256m"); memory-swap is set to the same. Null: memory items are manual.' }) memory?: string;
  @Field(() => Float, { nullable: true, description: 'The memory limit in bytes.' }) memoryBytes?: number;
  @Field(() => Int, { nullable: true, description: 'PIDs limit; null: PIDs items are manual.' }) pidsLimit?: number;
  @Field(() => Int, { description: 'CPU shares weight.' }) cpuShares!: number;
  @Field(() => Int, { description: 'Most restarts of the on-failure restart policy (1 to 5).' }) restartMaxRetries!: number;
}

@ObjectType('RemediationPlan', { implements: NodeInterface, description: "A plan correcting an assessment's failures: proposed by one person, approved by another, applied by an admin." })
export class RemediationPlanType extends NodeInterface {
  @Field(() => String, { description: 'The plan id, as the CLI shows it (`plimsoll remediate ASSESSMENT --apply PLAN_ID`).' }) planId!: string;
  @Field(() => String, { description: 'assessmentId of the assessment whose failures it fixes.' }) assessmentId!: string;
  @Field(() => RemediationPlanStatusEnum, { description: 'Where it is in its lifecycle.' }) status!: RemediationPlanStatus;
  @Field(() => String, { description: 'Who proposed it.' }) proposedBy!: string;
  @Field(() => String, { description: 'When it was proposed (ISO date-time).' }) proposedAt!: string;
  @Field(() => String, { nullable: true, description: "The proposer's note." }) note?: string;
  @Field(() => RemediationSettingsType, { description: 'The values it sets.' }) settings!: RemediationSettingsType;
  @Field(() => [String], { description: 'The STIG ids it was limited to (empty: every failing rule).' }) rules!: string[];
  @Field(() => Int, { description: 'Items Plimsoll applies through the Engine API.' }) engineItemCount!: number;
  @Field(() => Int, { description: 'Items listed as manual steps, never applied.' }) manualItemCount!: number;
  @Field(() => Int, { description: 'Failures left out because an approved exemption covers them.' }) exemptedFailureCount!: number;
  @Field(() => String, { nullable: true, description: 'Who approved it.' }) approvedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was approved.' }) approvedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who rejected it.' }) rejectedBy?: string;
  @Field(() => String, { nullable: true, description: 'When it was rejected.' }) rejectedAt?: string;
  @Field(() => String, { nullable: true, description: 'Why it was rejected.' }) reason?: string;
  @Field(() => [String], { description: 'Why it is STALE (at most 50, the last counting the rest); empty otherwise.' }) staleReasons!: string[];
  @Field(() => String, { nullable: true, description: 'When it was found stale.' }) staleAt?: string;
  @Field(() => String, { nullable: true, description: 'Who applied it.' }) appliedBy?: string;
  @Field(() => String, { nullable: true, description: 'When applying started.' }) applyStartedAt?: string;
  @Field(() => String, { nullable: true, description: 'When applying ended.' }) applyFinishedAt?: string;
  @Field(() => String, { nullable: true, description: 'assessmentId of the re-assessment of the touched nodes after applying.' }) reassessmentId?: string;
  @Field(() => String, { nullable: true, description: 'How applying ended, in one sentence.' }) outcomeMessage?: string;
  @Field(() => Int, { description: 'Sealed swarm unlock keys waiting for the approver to read them once (`revealSwarmUnlockKeys`).' }) pendingUnlockKeys!: number;
  __typename!: NodeTypeName;
}

@ObjectType('FailingEvidence', { description: 'The failing evidence an item is about.' })
export class FailingEvidenceType {
  @Field(() => String, { description: 'Field path of the collected API object, e.g. "HostConfig.Memory".' }) field!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The value seen at the assessment.' }) value!: unknown;
  @Field(() => String, { description: 'What was found, in a sentence.' }) message!: string;
}

@ObjectType('RemediationItem', { description: 'One failing target of one rule in a plan, and what fixes it.' })
export class RemediationItemType {
  @Field(() => Int, { description: 'Position in the plan (from 1).' }) position!: number;
  @Field(() => String, { description: 'dockerNodeId of the node.' }) dockerNodeId!: string;
  @Field(() => String, { description: 'The node name at the assessment.' }) dockerNodeName!: string;
  @Field(() => String, { description: 'STIG id of the failing rule.' }) stigId!: string;
  @Field(() => String, { description: 'XCCDF rule id.' }) ruleId!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
  @Field(() => AssessedTargetType, { description: 'The failing target.' }) target!: AssessedTargetType;
  @Field(() => [FailingEvidenceType], { description: 'The failing observations of the target.' }) evidence!: FailingEvidenceType[];
  @Field(() => RemediationModeEnum, { description: 'ENGINE: Plimsoll applies it; MANUAL: a person does.' }) mode!: string;
  @Field(() => EngineSettingEnum, { nullable: true, description: 'The setting changed (ENGINE items).' }) setting?: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'What is sent: the container update body, or the swarm field set (ENGINE items).' }) change?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The values at the fields it changes when the plan was made; applying is refused as stale when they differ (ENGINE items).' }) before?: unknown;
  @Field(() => String, { nullable: true, description: 'The docker CLI command doing the same (ENGINE items).' }) command?: string;
  @Field(() => String, { nullable: true, description: 'Why Plimsoll does not apply it (MANUAL items).' }) manualReason?: string;
  @Field(() => String, { nullable: true, description: "What to do: the rule's concrete remediation written for the target (MANUAL items)." }) instructions?: string;
  @Field(() => [String], { description: 'Commands Plimsoll can write exactly (recreate the compose or swarm service, docker service update, chown/chmod); empty when there are none.' }) commands!: string[];
  @Field(() => String, { nullable: true, description: 'When the finding was first observed failing (carried over from earlier assessments, as in the POA&M); null for plans proposed before due dates were recorded.' }) firstObservedAt?: string;
  @Field(() => String, { nullable: true, description: "When its remediation is due: first observation plus the milestone policy's days for the severity (PLIMSOLL_POAM_DUE_DAYS), the POA&M's date." }) dueAt?: string;
  @Field(() => VerificationOutcomeEnum, { nullable: true, description: 'What the re-assessment after applying says; null before.' }) verification?: string;
  @Field(() => TargetResultStatusEnum, { nullable: true, description: "The target's status in the re-assessment." }) verifiedStatus?: string;
  @Field(() => String, { nullable: true, description: 'The verification, in a sentence.' }) verificationMessage?: string;
}

@ObjectType('EngineCall', { description: 'One Engine API call made applying a plan, with its classified answer (never what the engine said).' })
export class EngineCallType {
  @Field(() => Int, { description: 'Order of the call (unique across plans; in a dry run, from 1).' }) sequence!: number;
  @Field(() => Int, { description: 'Position of the item it serves.' }) position!: number;
  @Field(() => String, { description: 'dockerNodeId of the engine called.' }) dockerNodeId!: string;
  @Field(() => String, { description: 'HTTP method.' }) method!: string;
  @Field(() => String, { description: 'The Engine API request path called on the engine, e.g. "/containers/ID/update" (never a file path).' }) apiPath!: string;
  @Field(() => GraphQLJSON, { description: 'What was sent, secret-free (a swarm update records the field it sets).' }) request!: unknown;
  @Field(() => String, { description: 'When it was sent.' }) startedAt!: string;
  @Field(() => String, { nullable: true, description: 'When it was answered.' }) finishedAt?: string;
  @Field(() => EngineCallOutcomeEnum, { description: 'The classified answer.' }) outcome!: string;
  @Field(() => Int, { nullable: true, description: 'The HTTP status, when the engine answered.' }) httpStatus?: number;
  @Field(() => ErrorCodeEnum, { nullable: true, description: 'The error code of a failure.' }) errorCode?: string;
  @Field(() => String, { nullable: true, description: "Plimsoll's note on the answer." }) note?: string;
}

@ObjectType('SwarmUnlockKey', { description: 'A swarm unlock key, shown once to the approver of the plan that turned auto-lock on.' })
export class SwarmUnlockKeyType {
  @Field(() => Int, { description: 'Position of the auto-lock item.' }) position!: number;
  @Field(() => String, { description: 'The node the swarm was reached through.' }) dockerNodeName!: string;
  @Field(() => String, { description: 'The swarm id.' }) swarmId!: string;
  @Field(() => String, { description: 'The unlock key (SWMKEY-1-…): store it in your key vault now; Plimsoll no longer holds it.' }) unlockKey!: string;
}

@ObjectType('ApplyRemediationPlanPayload', { description: 'What applying (or a dry run) did.' })
export class ApplyRemediationPlanPayload {
  @Field(() => RemediationPlanType, { description: 'The plan after it (unchanged by a dry run).' }) plan!: RemediationPlanType;
  @Field(() => Boolean, { description: 'True when nothing was changed: the calls are those that would be made.' }) dryRun!: boolean;
  @Field(() => [String], { description: 'Why the plan is stale (a dry run reports them; applying refuses a stale plan).' }) staleReasons!: string[];
  @Field(() => [String], { description: 'What stands in the way of applying (e.g. no PLIMSOLL_SECRET_KEY for an unlock key).' }) blockers!: string[];
  @Field(() => Int, { description: 'Items whose failure the re-assessment shows gone.' }) resolvedCount!: number;
  /** Paged by the `calls` field resolver. */
  callList!: EngineCallType[];
}

@ObjectType('RevealSwarmUnlockKeysPayload', { description: 'The unlock keys, shown this once.' })
export class RevealSwarmUnlockKeysPayload {
  @Field(() => [SwarmUnlockKeyType], { description: 'One per swarm the plan turned auto-lock on for.' }) unlockKeys!: SwarmUnlockKeyType[];
}

@InputType('ProposeRemediationPlanInput', { description: "What to remediate: an assessment's failures, and the values to set." })
export class ProposeRemediationPlanInput {
  @Field(() => ID, { description: 'Global id of the Assessment.' }) assessment!: string;
  @Field(() => [String], { nullable: true, description: 'Only these rules (STIG ids); omitted: every failing rule.' }) rules?: string[];
  @Field(() => String, { nullable: true, description: 'Memory limit from the SSP ("256m", "1g"); omitted: memory items are manual.' }) memory?: string;
  @Field(() => Int, { nullable: true, description: 'PIDs limit from the SSP; omitted: PIDs items are manual.' }) pidsLimit?: number;
  @Field(() => Int, { nullable: true, description: 'CPU shares weight (default 512; never 1024, the default weight).' }) cpuShares?: number;
  @Field(() => Int, { nullable: true, description: 'Most restarts on failure, 1 to 5 (default 5).' }) restartMaxRetries?: number;
  @Field(() => String, { nullable: true, description: 'Why, for the approver.' }) note?: string;
}

@InputType('ApproveRemediationPlanInput', { description: 'The plan to approve.' })
export class ApproveRemediationPlanInput {
  @Field(() => ID, { description: 'Global id of the RemediationPlan.' }) id!: string;
}

@InputType('RejectRemediationPlanInput', { description: 'The plan to reject, and why.' })
export class RejectRemediationPlanInput {
  @Field(() => ID, { description: 'Global id of the RemediationPlan.' }) id!: string;
  @Field(() => String, { description: 'Why it is rejected (required).' }) reason!: string;
}

@InputType('ApplyRemediationPlanInput', { description: 'The plan to apply; a dry run unless dryRun is false.' })
export class ApplyRemediationPlanInput {
  @Field(() => ID, { description: 'Global id of the RemediationPlan.' }) id!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'True (the default): check the targets and list the calls, changing nothing. False: apply.' }) dryRun?: boolean;
}

@InputType('RevealSwarmUnlockKeysInput', { description: 'The plan whose unlock keys to read (its approver only, once).' })
export class RevealSwarmUnlockKeysInput {
  @Field(() => ID, { description: 'Global id of the RemediationPlan.' }) id!: string;
}

@InputType('RemediationPlanFilterInput', { description: 'Which plans to list.' })
export class RemediationPlanFilterInput {
  @Field(() => String, { nullable: true, description: 'Only plans of this assessment (its assessmentId).' }) assessmentId?: string;
  @Field(() => RemediationPlanStatusEnum, { nullable: true, description: 'Only plans with this status.' }) status?: RemediationPlanStatus;
}

@InputType('RemediationItemFilterInput', { description: 'Which items to list.' })
export class RemediationItemFilterInput {
  @Field(() => RemediationModeEnum, { nullable: true, description: 'Only items of this mode.' }) mode?: 'engine' | 'manual';
}

const MAX_STALE_REASONS = 50;

/** At most 50 reasons, the last counting those left out (a plan can have thousands of items). */
export function cappedReasons(reasons: readonly string[]): string[] {
  if (reasons.length <= MAX_STALE_REASONS) return [...reasons];
  return [...reasons.slice(0, MAX_STALE_REASONS - 1), `… and ${reasons.length - MAX_STALE_REASONS + 1} more`];
}

/** Domain → GraphQL. */
export function mapRemediationPlan(p: RemediationPlan): RemediationPlanType {
  const s = p.settings;
  const base: RemediationPlanType = {
    id: toGlobalId('RemediationPlan', p.id),
    __typename: 'RemediationPlan',
    planId: p.id,
    assessmentId: p.assessmentId,
    status: p.lifecycle.status,
    proposedBy: p.proposedBy,
    proposedAt: p.proposedAt,
    ...(p.note !== undefined ? { note: p.note } : {}),
    settings: { ...(s.memoryBytes !== undefined ? { memory: formatMemory(s.memoryBytes), memoryBytes: s.memoryBytes } : {}), ...(s.pidsLimit !== undefined ? { pidsLimit: s.pidsLimit } : {}), cpuShares: s.cpuShares, restartMaxRetries: s.restartMaxRetries },
    rules: p.rules,
    engineItemCount: p.counts.engine,
    manualItemCount: p.counts.manual,
    exemptedFailureCount: p.counts.exempted,
    staleReasons: [],
    pendingUnlockKeys: p.pendingUnlockKeys,
  };
  const l = p.lifecycle;
  switch (l.status) {
    case 'proposed':
      return base;
    case 'approved':
      return { ...base, approvedBy: l.approval.by, approvedAt: l.approval.at };
    case 'rejected':
      return { ...base, rejectedBy: l.rejection.by, rejectedAt: l.rejection.at, reason: l.reason };
    case 'stale':
      return { ...base, approvedBy: l.approval.by, approvedAt: l.approval.at, staleReasons: cappedReasons(l.reasons), staleAt: l.detected.at };
    case 'applying':
      return { ...base, approvedBy: l.approval.by, approvedAt: l.approval.at, appliedBy: l.application.by, applyStartedAt: l.application.startedAt };
    case 'applied':
    case 'partially-applied':
    case 'failed': {
      const a = l.application;
      return {
        ...base, approvedBy: l.approval.by, approvedAt: l.approval.at, appliedBy: a.by, applyStartedAt: a.startedAt, applyFinishedAt: a.finishedAt, outcomeMessage: a.message,
        ...(a.reassessmentId !== undefined ? { reassessmentId: a.reassessmentId } : {}),
      };
    }
    default:
      throw new UnreachableCaseError(l);
  }
}

export function mapRemediationItem(i: RemediationItem): RemediationItemType {
  const a = i.action;
  const action =
    a.mode === 'engine'
      ? { setting: a.change.setting, change: a.change.setting === 'swarm-autolock' ? { 'Spec.EncryptionConfig.AutoLockManagers': true } : a.change.update, before: a.change.before, command: a.command, commands: [a.command] }
      : { manualReason: a.reason, instructions: a.instructions, commands: a.commands };
  return {
    position: i.position,
    dockerNodeId: i.nodeId,
    dockerNodeName: i.nodeName,
    stigId: i.stigId,
    ruleId: i.ruleId,
    severity: i.severity,
    target: mapAssessedTarget(i.target),
    evidence: i.evidence.map((e) => ({ field: e.field, value: e.value, message: e.message })),
    mode: a.mode,
    ...action,
    ...(i.firstObservedAt !== undefined ? { firstObservedAt: i.firstObservedAt } : {}),
    ...(i.dueAt !== undefined ? { dueAt: i.dueAt } : {}),
    ...(i.verification !== undefined ? { verification: i.verification.outcome, verificationMessage: i.verification.message, ...(i.verification.status !== undefined ? { verifiedStatus: i.verification.status } : {}) } : {}),
  };
}

export function mapEngineCall(c: EngineCallRecord): EngineCallType {
  return {
    sequence: c.sequence,
    position: c.position,
    dockerNodeId: c.nodeId,
    method: c.method,
    apiPath: c.path,
    request: c.request,
    startedAt: c.startedAt,
    outcome: c.outcome,
    ...(c.finishedAt !== undefined ? { finishedAt: c.finishedAt } : {}),
    ...(c.httpStatus !== undefined ? { httpStatus: c.httpStatus } : {}),
    ...(c.errorCode !== undefined ? { errorCode: c.errorCode } : {}),
    ...(c.note !== undefined ? { note: c.note } : {}),
  };
}

export function mapUnlockKey(k: RevealedUnlockKey): SwarmUnlockKeyType {
  return { position: k.position, dockerNodeName: k.nodeName, swarmId: k.swarmId, unlockKey: k.unlockKey };
}
