import { Field, Int, ObjectType } from 'type-graphql';
import type { ApiToken, AuditRecord, Principal } from '../../domain/auth.js';

@ObjectType({ description: 'The caller.' })
export class PrincipalType {
  @Field(() => String) name!: string;
  @Field(() => String) role!: string;
}

@ObjectType({ description: 'An API token; its secret is shown only once, at creation, and never stored.' })
export class ApiTokenType {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) role!: string;
  @Field(() => String) createdAt!: string;
  @Field(() => String, { nullable: true }) revokedAt?: string;
}

@ObjectType()
export class CreatedApiTokenType {
  @Field(() => ApiTokenType) token!: ApiTokenType;
  @Field(() => String, { description: 'The bearer secret: shown once.' }) secret!: string;
}

@ObjectType({ description: 'Who did what, when, and with which outcome.' })
export class AuditRecordType {
  @Field(() => Int) id!: number;
  @Field(() => String) at!: string;
  @Field(() => String) actor!: string;
  @Field(() => String) role!: string;
  @Field(() => String) action!: string;
  @Field(() => String, { nullable: true }) target?: string;
  @Field(() => String) outcome!: string;
  @Field(() => String, { nullable: true }) detail?: string;
}

@ObjectType()
export class AuditPageType {
  @Field(() => [AuditRecordType]) items!: AuditRecordType[];
  @Field(() => Int) total!: number;
}

export const mapPrincipal = (p: Principal): PrincipalType => ({ name: p.name, role: p.role });
export const mapToken = (t: ApiToken): ApiTokenType => ({ ...t });
export const mapAuditRecord = (r: AuditRecord): AuditRecordType => ({ ...r });
