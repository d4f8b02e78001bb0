/** GraphQL shapes of the audit log (a hash chain) and of its verification. */
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { AuditRecord, Role, Via } from '../../domain/auth.js';
import type { ChainProblem, ChainVerification } from '../../domain/audit-chain.js';
import { AuditChainProblemKindEnum, AuditOutcomeEnum, AuthMethodEnum, RoleEnum } from './enums.js';

@ObjectType('AuditRecord', { description: 'Who did what, when, and with which outcome; one link of the hash chain. Every mutation attempt leaves one, refused and anonymous ones included.' })
export class AuditRecordType {
  @Field(() => Int, { description: 'Position in the log: consecutive from 1, so a deleted record leaves a gap.' }) sequence!: number;
  @Field(() => String, { description: 'When (ISO date-time).' }) at!: string;
  @Field(() => String, { description: 'Who: the user\'s name, or "anonymous" for callers that did not authenticate.' }) actor!: string;
  @Field(() => String, { nullable: true, description: "The user's `userId` (absent for anonymous callers and for records older than users)." }) actorUserId?: string;
  @Field(() => RoleEnum, { nullable: true, description: 'The role in force at the time; absent for anonymous callers.' }) role?: Role;
  @Field(() => AuthMethodEnum, { nullable: true, description: 'How the actor authenticated (absent for anonymous callers and for records older than users).' }) via?: Via;
  @Field(() => String, { description: 'What was attempted: the mutation or command, e.g. "approveExemption".' }) action!: string;
  @Field(() => String, { nullable: true, description: 'A short, secret-free summary of what it was attempted on (JSON, at most 500 characters).' }) target?: string;
  @Field(() => AuditOutcomeEnum, { description: 'How it ended.' }) outcome!: AuditRecord['outcome'];
  @Field(() => String, { nullable: true, description: 'Why it failed: the error code and message, or the reason an anonymous caller was refused.' }) detail?: string;
  @Field(() => String, { description: 'sha256 (hex) of the previous record (64 zeros for the first).' }) prevHash!: string;
  @Field(() => String, { description: "sha256 (hex) of this record's canonical content, prevHash included." }) hash!: string;
}

@ObjectType('AuditChainProblem', { description: 'One break of the audit hash chain.' })
export class AuditChainProblemType {
  @Field(() => Int, { description: 'The `sequence` of the record where the break shows (for deleted records: the first one after the gap).' }) sequence!: number;
  @Field(() => AuditChainProblemKindEnum, { description: 'What kind of break.' }) kind!: ChainProblem['kind'];
  @Field(() => String, { description: 'What is wrong, naming the records.' }) message!: string;
}

@ObjectType('AuditChainVerification', { description: 'The verdict on the audit hash chain; its `problems` are paged.' })
export class AuditChainVerificationType {
  @Field(() => Boolean, { description: 'True when every record matches its hash and links to the one before (and the head given, if any, is still there unchanged).' }) ok!: boolean;
  @Field(() => Int, { description: 'Records checked.' }) count!: number;
  @Field(() => Int, { nullable: true, description: 'Sequence of the newest record: note it with headHash to detect later deletions of newer records.' }) headSequence?: number;
  @Field(() => String, { nullable: true, description: 'Hash of the newest record.' }) headHash?: string;
  /** Paged by the `problems` field resolver. */
  problemList!: AuditChainProblemType[];
}

@InputType('AuditHeadInput', { description: 'A head of the chain noted earlier (from a verification).' })
export class AuditHeadInput {
  @Field(() => Int, { description: 'The noted headSequence.' }) sequence!: number;
  @Field(() => String, { description: 'The noted headHash.' }) hash!: string;
}

export function mapAuditRecord(r: AuditRecord): AuditRecordType {
  const { id, ...rest } = r;
  return { ...rest, sequence: id };
}

export function mapVerification(v: ChainVerification): AuditChainVerificationType {
  return {
    ok: v.ok,
    count: v.count,
    ...(v.head !== undefined ? { headSequence: v.head.id, headHash: v.head.hash } : {}),
    problemList: v.problems.map((p) => ({ sequence: p.id, kind: p.kind, message: p.message })),
  };
}
