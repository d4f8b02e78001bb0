/** GraphQL types of the audit log and of its verification. */
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AuditRecord as DomainAuditRecord } from '../../domain/auth.js';
import type { ChainVerification } from '../../domain/audit-chain.js';
import type { Connection } from '../../domain/pagination.js';
import { PageInfoType, mapConnection } from './pagination.type.js';
import { RoleValue } from './user.type.js';

export enum AuditOutcomeValue {
  SUCCESS = 'success',
  FAILURE = 'failure',
}
registerEnumType(AuditOutcomeValue, {
  name: 'AuditOutcome',
  description: 'How an audited attempt ended.',
  valuesConfig: { SUCCESS: { description: 'It was done.' }, FAILURE: { description: 'It was refused or failed; `detail` says why, with the error code.' } },
});

export enum AuthMethodValue {
  TOKEN = 'token',
  OIDC = 'oidc',
  CLI = 'cli',
  SYSTEM = 'system',
}
registerEnumType(AuthMethodValue, {
  name: 'AuthMethod',
  description: 'How the actor of an audit record authenticated.',
  valuesConfig: {
    TOKEN: { description: 'An API token.' },
    OIDC: { description: 'An OIDC bearer token from the configured identity provider.' },
    CLI: { description: 'The command line, as a named local user.' },
    SYSTEM: { description: 'Plimsoll itself, at start-up.' },
  },
});

export enum AuditChainProblemKind {
  CHANGED = 'changed',
  MISSING = 'missing',
  RELINKED = 'relinked',
  HEAD_MISMATCH = 'head-mismatch',
}
registerEnumType(AuditChainProblemKind, {
  name: 'AuditChainProblemKind',
  description: 'How the audit hash chain is broken at a record.',
  valuesConfig: {
    CHANGED: { description: "The record's content no longer matches its hash." },
    MISSING: { description: 'Records before this one were deleted (their ids are named).' },
    RELINKED: { description: 'The record does not link to the one before it: that one was changed and rehashed, or earlier ones removed.' },
    HEAD_MISMATCH: { description: 'The head noted earlier is gone or has another hash: newer records were deleted or changed.' },
  },
});

@ObjectType({ description: 'Who did what, when, and with which outcome; one link of the hash chain.' })
export class AuditRecord {
  @Field(() => Int, { description: 'Consecutive number: a deleted record leaves a gap.' }) id!: number;
  @Field(() => String, { description: 'When (ISO 8601).' }) at!: string;
  @Field(() => String, { description: 'The user’s name, or "anonymous" for callers that did not authenticate.' }) actor!: string;
  @Field(() => String, { nullable: true, description: 'The user’s id (absent for anonymous callers and records older than users).' }) actorUserId?: string;
  @Field(() => RoleValue, { nullable: true, description: 'The role in force; absent for anonymous callers.' }) role?: RoleValue;
  @Field(() => AuthMethodValue, { nullable: true, description: 'How the actor authenticated.' }) via?: AuthMethodValue;
  @Field(() => String, { description: 'What was attempted (e.g. approveExemption).' }) action!: string;
  @Field(() => String, { nullable: true, description: 'A short, secret-free summary of what it was attempted on (JSON).' }) target?: string;
  @Field(() => AuditOutcomeValue, { description: 'How it ended.' }) outcome!: AuditOutcomeValue;
  @Field(() => String, { nullable: true, description: 'Why it failed: the error code and message, or the reason an anonymous caller was refused.' }) detail?: string;
  @Field(() => String, { description: 'sha256 of the previous record (64 zeros for the first).' }) prevHash!: string;
  @Field(() => String, { description: 'sha256 of this record’s canonical content, prevHash included.' }) hash!: string;
}

@ObjectType({ description: 'An audit record in a page of the log.' })
export class AuditRecordEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge: pass it as `after` to continue after it.' }) cursor!: string;
  @Field(() => AuditRecord, { description: 'The record.' }) node!: AuditRecord;
}

@ObjectType({ description: 'A page of the audit log, newest first.' })
export class AuditRecordConnection {
  @Field(() => [AuditRecordEdge], { description: 'The records of this page.' }) edges!: AuditRecordEdge[];
  @Field(() => PageInfoType, { description: 'Where this page ends.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Records in the whole log.' }) totalCount!: number;
}

@ObjectType({ description: 'One break of the audit hash chain.' })
export class AuditChainProblem {
  @Field(() => Int, { description: 'The record where the break shows.' }) recordId!: number;
  @Field(() => AuditChainProblemKind, { description: 'What kind of break.' }) kind!: AuditChainProblemKind;
  @Field(() => String, { description: 'What is wrong, naming the records.' }) message!: string;
}

@ObjectType({ description: 'The verdict on the audit hash chain.' })
export class AuditChainVerification {
  @Field(() => Boolean, { description: 'True when every record matches its hash and links to the one before.' }) ok!: boolean;
  @Field(() => Int, { description: 'Records checked.' }) count!: number;
  @Field(() => Int, { nullable: true, description: 'Id of the newest record: note it with headHash to detect later deletions of newer records.' }) headId?: number;
  @Field(() => String, { nullable: true, description: 'Hash of the newest record.' }) headHash?: string;
  @Field(() => Int, { description: 'How many problems were found in all.' }) problemCount!: number;
  @Field(() => [AuditChainProblem], { description: `The first problems found (at most ${100}).` }) problems!: AuditChainProblem[];
}

@InputType({ description: 'A head of the chain noted earlier (from a verification).' })
export class AuditHeadInput {
  @Field(() => Int, { description: 'The noted headId.' }) id!: number;
  @Field(() => String, { description: 'The noted headHash.' }) hash!: string;
}

export const MAX_LISTED_PROBLEMS = 100;

export function mapAuditRecord(r: DomainAuditRecord): AuditRecord {
  const { role, via, outcome, ...rest } = r;
  return { ...rest, ...(role !== undefined ? { role: role as RoleValue } : {}), ...(via !== undefined ? { via: via as AuthMethodValue } : {}), outcome: outcome as AuditOutcomeValue };
}

export function mapAuditConnection(c: Connection<DomainAuditRecord>): AuditRecordConnection {
  return mapConnection(c, mapAuditRecord);
}

export function mapVerification(v: ChainVerification): AuditChainVerification {
  return {
    ok: v.ok,
    count: v.count,
    ...(v.head !== undefined ? { headId: v.head.id, headHash: v.head.hash } : {}),
    problemCount: v.problems.length,
    problems: v.problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => ({ recordId: p.id, kind: p.kind as AuditChainProblemKind, message: p.message })),
  };
}
