/** GraphQL types of users and their API tokens (row → domain → these, joined by the map functions below). */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ApiToken as DomainApiToken, User as DomainUser } from '../../domain/auth.js';
import type { Connection } from '../../domain/pagination.js';
import { PageInfoType, mapConnection } from './pagination.type.js';

/** Roles as a GraphQL enum; the values are the domain's role strings. */
export enum RoleValue {
  ADMIN = 'admin',
  ASSESSOR = 'assessor',
  AUDITOR = 'auditor',
}
registerEnumType(RoleValue, {
  name: 'Role',
  description: 'What a user may do. Roles are ordered: an admin may do everything an assessor may, an assessor everything an auditor may.',
  valuesConfig: {
    ADMIN: { description: 'Manages users, tokens and the audit log, approves exemptions, and does everything an assessor does.' },
    ASSESSOR: { description: 'Imports content, registers nodes, runs assessments and requests exemptions.' },
    AUDITOR: { description: 'Reads everything but the audit log and the list of users; changes nothing.' },
  },
});

export enum UserKindValue {
  PERSON = 'person',
  SYSTEM = 'system',
}
registerEnumType(UserKindValue, {
  name: 'UserKind',
  description: 'Whether a user is a person or Plimsoll itself.',
  valuesConfig: {
    PERSON: { description: 'A person: signs in with tokens, OIDC or the CLI.' },
    SYSTEM: { description: "Plimsoll's own user, under which start-up work is recorded; never signs in, never approves." },
  },
});

export enum UserOriginValue {
  ADMIN = 'admin',
  BOOTSTRAP = 'bootstrap',
  MIGRATION = 'migration',
  OIDC = 'oidc',
  CLI = 'cli',
  SYSTEM = 'system',
}
registerEnumType(UserOriginValue, {
  name: 'UserOrigin',
  description: 'How a user came to exist (which explains a missing creator).',
  valuesConfig: {
    ADMIN: { description: 'Created by an admin (createdBy names them).' },
    BOOTSTRAP: { description: 'The bootstrap admin, owner of the configured or generated admin token.' },
    MIGRATION: { description: 'Made from the API tokens of that name that existed before users did.' },
    OIDC: { description: 'Created on the first sign-in of an OIDC identity.' },
    CLI: { description: 'The local operator the CLI acts as by default, created on first use.' },
    SYSTEM: { description: "Plimsoll's own user." },
  },
});

@ObjectType({ description: 'A person who uses Plimsoll (or Plimsoll itself). Tokens, OIDC sign-ins and the CLI all act as a user.' })
export class User {
  @Field(() => ID, { description: 'Stable id of the user.' }) id!: string;
  @Field(() => String, { description: 'Unique name, compared case-insensitively.' }) name!: string;
  @Field(() => RoleValue, { description: 'What the user may do.' }) role!: RoleValue;
  @Field(() => UserKindValue, { description: 'A person or Plimsoll itself.' }) kind!: UserKindValue;
  @Field(() => UserOriginValue, { description: 'How the user came to exist.' }) origin!: UserOriginValue;
  @Field(() => String, { description: 'When the user was created (ISO 8601).' }) createdAt!: string;
  @Field(() => ID, { nullable: true, description: 'Id of the user who created this one; separation of duties never lets it approve what its creators requested.' }) createdById?: string;
  @Field(() => String, { nullable: true, description: 'The OIDC issuer the user signs in through, when linked.' }) oidcIssuer?: string;
  @Field(() => String, { nullable: true, description: 'The OIDC subject (`sub`) the user is linked to.' }) oidcSubject?: string;
}

@ObjectType({ description: "An API token. Its secret is shown once, at creation, and only its hash is stored." })
export class ApiToken {
  @Field(() => ID, { description: 'Stable id of the token (revoke it by this id).' }) id!: string;
  @Field(() => String, { description: 'What the token is for (tokens made by createApiToken carry their user’s name).' }) name!: string;
  @Field(() => ID, { description: 'The user the token belongs to.' }) userId!: string;
  @Field(() => String, { description: 'The name of the user the token belongs to.' }) userName!: string;
  @Field(() => RoleValue, { description: "The token's ceiling: calls with it act with the lower of this and the user's role." }) role!: RoleValue;
  @Field(() => String, { description: 'When the token was created (ISO 8601).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'When the token was revoked; a revoked token authenticates nobody.' }) revokedAt?: string;
}

@ObjectType({ description: 'A user in a page of users.' })
export class UserEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge: pass it as `after` to continue after it.' }) cursor!: string;
  @Field(() => User, { description: 'The user.' }) node!: User;
}

@ObjectType({ description: 'A page of users, oldest first.' })
export class UserConnection {
  @Field(() => [UserEdge], { description: 'The users of this page.' }) edges!: UserEdge[];
  @Field(() => PageInfoType, { description: 'Where this page ends.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Users in all pages.' }) totalCount!: number;
}

@ObjectType({ description: 'A token in a page of tokens.' })
export class ApiTokenEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge: pass it as `after` to continue after it.' }) cursor!: string;
  @Field(() => ApiToken, { description: 'The token.' }) node!: ApiToken;
}

@ObjectType({ description: 'A page of API tokens, oldest first.' })
export class ApiTokenConnection {
  @Field(() => [ApiTokenEdge], { description: 'The tokens of this page.' }) edges!: ApiTokenEdge[];
  @Field(() => PageInfoType, { description: 'Where this page ends.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Tokens in all pages.' }) totalCount!: number;
}

@InputType({ description: 'A new user (an admin action, recorded with the admin as creator).' })
export class CreateUserInput {
  @Field(() => String, { description: 'Unique name (case-insensitively): letters or digits first, then letters, digits, spaces and . _ @ + \' -.' }) name!: string;
  @Field(() => RoleValue, { description: 'What the user may do.' }) role!: RoleValue;
  @Field(() => String, { nullable: true, description: 'Links the user to this OIDC subject (`sub`) of the configured issuer, ahead of its first sign-in.' }) oidcSubject?: string;
}

@ObjectType({ description: 'The user createUser made.' })
export class CreateUserPayload {
  @Field(() => User, { description: 'The new user.' }) user!: User;
}

@InputType({ description: 'A token for the caller.' })
export class CreateMyApiTokenInput {
  @Field(() => String, { nullable: true, description: 'What the token is for, e.g. "ci" (default: your name).' }) label?: string;
  @Field(() => RoleValue, { nullable: true, description: 'A ceiling at most your role (default: your role).' }) role?: RoleValue;
}

@ObjectType({ description: 'A new token with its secret, shown only in this answer.' })
export class CreateApiTokenPayload {
  @Field(() => ApiToken, { description: 'The token.' }) token!: ApiToken;
  @Field(() => String, { description: 'The bearer secret (Authorization: Bearer <secret>): shown once, never stored.' }) secret!: string;
  @Field(() => User, { description: 'The user the token belongs to.' }) user!: User;
}

export function mapUser(d: DomainUser): User {
  return {
    id: d.id,
    name: d.name,
    role: d.role as RoleValue,
    kind: d.kind as UserKindValue,
    origin: d.origin as UserOriginValue,
    createdAt: d.createdAt,
    ...(d.createdBy !== undefined ? { createdById: d.createdBy } : {}),
    ...(d.oidc !== undefined ? { oidcIssuer: d.oidc.issuer, oidcSubject: d.oidc.subject } : {}),
  };
}

export function mapApiToken(t: DomainApiToken): ApiToken {
  return { ...t, role: t.role as RoleValue };
}

export function mapUserConnection(c: Connection<DomainUser>): UserConnection {
  return mapConnection(c, mapUser);
}

export function mapApiTokenConnection(c: Connection<DomainApiToken>): ApiTokenConnection {
  return mapConnection(c, mapApiToken);
}
