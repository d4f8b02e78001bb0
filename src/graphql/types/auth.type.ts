/** GraphQL shapes of the caller, API tokens and the audit log. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { ApiToken, AuditRecord, Principal, Role } from '../../domain/auth.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { AuditOutcomeEnum, RoleEnum } from './enums.js';

@ObjectType('Principal', { description: 'The caller: who the bearer token belongs to.' })
export class PrincipalType {
  @Field(() => String, { description: 'Name of the caller, as audit records show it.' }) name!: string;
  @Field(() => RoleEnum, { description: 'What the caller may do.' }) role!: Role;
}

@ObjectType('ApiToken', { implements: NodeInterface, description: 'An API token; its secret is shown once, at creation, and never stored.' })
export class ApiTokenType extends NodeInterface {
  @Field(() => String, { description: "The token's own id (not its secret)." }) tokenId!: string;
  @Field(() => String, { description: 'Name of the token (and of the caller it authenticates).' }) name!: string;
  @Field(() => RoleEnum, { description: 'Role the token grants.' }) role!: Role;
  @Field(() => String, { description: 'When it was created (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'When it was revoked; null while it works.' }) revokedAt?: string;
  __typename!: NodeTypeName;
}

@ObjectType('CreateApiTokenPayload', { description: 'A new token and its secret.' })
export class CreateApiTokenPayload {
  @Field(() => ApiTokenType, { description: 'The token created.' }) token!: ApiTokenType;
  @Field(() => String, { description: 'The bearer secret: shown this once and never again; store it now.' }) secret!: string;
}

@InputType('CreateApiTokenInput', { description: 'The token to create.' })
export class CreateApiTokenInput {
  @Field(() => String, { description: 'Name of the token and of the caller it authenticates.' }) name!: string;
  @Field(() => RoleEnum, { description: 'Role the token grants.' }) role!: Role;
}

@InputType('RevokeApiTokenInput', { description: 'The token to revoke.' })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: 'Global id of the ApiToken.' }) id!: string;
}

@ObjectType('RevokeApiTokenPayload', { description: 'The result of revoking a token.' })
export class RevokeApiTokenPayload {
  @Field(() => ID, { description: 'Global id of the revoked ApiToken; it no longer authenticates.' }) revokedId!: string;
}

@ObjectType('AuditRecord', { description: 'Who did what, when, and with which outcome. Every mutation attempt leaves one, refused ones included.' })
export class AuditRecordType {
  @Field(() => Int, { description: 'Position in the log (increasing with time).' }) sequence!: number;
  @Field(() => String, { description: 'When (ISO date-time).' }) at!: string;
  @Field(() => String, { description: 'Who (the caller name).' }) actor!: string;
  @Field(() => RoleEnum, { description: "The caller's role at the time." }) role!: Role;
  @Field(() => String, { description: 'What: the mutation or command, e.g. "approveExemption".' }) action!: string;
  @Field(() => String, { nullable: true, description: 'Its arguments, secrets redacted (JSON, at most 500 characters).' }) target?: string;
  @Field(() => AuditOutcomeEnum, { description: 'How it ended.' }) outcome!: string;
  @Field(() => String, { nullable: true, description: 'On failure: the error code and message.' }) detail?: string;
}

export const mapPrincipal = (p: Principal): PrincipalType => ({ name: p.name, role: p.role });

export function mapToken(t: ApiToken): ApiTokenType {
  return { id: toGlobalId('ApiToken', t.id), __typename: 'ApiToken', tokenId: t.id, name: t.name, role: t.role, createdAt: t.createdAt, ...(t.revokedAt !== undefined ? { revokedAt: t.revokedAt } : {}) };
}

export function mapAuditRecord(r: AuditRecord): AuditRecordType {
  const { id, ...rest } = r;
  return { ...rest, sequence: id };
}
