/** GraphQL shapes of users and their API tokens (row → domain → these, joined by the map functions below). */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { ApiToken, Role, User, UserKind, UserOrigin } from '../../domain/auth.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { RoleEnum, UserKindEnum, UserOriginEnum } from './enums.js';

@ObjectType('User', { implements: NodeInterface, description: 'A person who uses Plimsoll (or Plimsoll itself). Tokens, OIDC sign-ins and the CLI all act as a user.' })
export class UserType extends NodeInterface {
  @Field(() => String, { description: "The user's own id, as audit records give it in `actorUserId`." }) userId!: string;
  @Field(() => String, { description: 'Unique name, compared case-insensitively.' }) name!: string;
  @Field(() => RoleEnum, { description: 'What the user may do.' }) role!: Role;
  @Field(() => UserKindEnum, { description: 'A person or Plimsoll itself.' }) kind!: UserKind;
  @Field(() => UserOriginEnum, { description: 'How the user came to exist.' }) origin!: UserOrigin;
  @Field(() => String, { description: 'When the user was created (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'The `userId` of the admin who created this user; separation of duties never lets it approve what its creators requested.' })
  createdByUserId?: string;
  @Field(() => String, { nullable: true, description: 'The OIDC issuer the user signs in through, when linked.' }) oidcIssuer?: string;
  @Field(() => String, { nullable: true, description: 'The OIDC subject (`sub`) the user is linked to.' }) oidcSubject?: string;
  @Field(() => [String], { nullable: true, description: 'The environments the user may see and act on; null: every environment. Nodes of other environments, and what was found on them, read as unknown (NOT_FOUND).' })
  environments?: string[];
  __typename!: NodeTypeName;
}

@ObjectType('ApiToken', { implements: NodeInterface, description: 'An API token of a user; its secret is shown once, at creation, and only its hash is stored.' })
export class ApiTokenType extends NodeInterface {
  @Field(() => String, { description: "The token's own id (not its secret)." }) tokenId!: string;
  @Field(() => String, { description: "What the token is for (tokens made by createApiToken carry their user's name)." }) name!: string;
  @Field(() => String, { description: 'The `userId` of the user the token belongs to.' }) userId!: string;
  @Field(() => String, { description: 'The name of the user the token belongs to.' }) userName!: string;
  @Field(() => RoleEnum, { description: "The token's ceiling: calls with it act with the lower of this and the user's role." }) role!: Role;
  @Field(() => [String], { nullable: true, description: "The environments the token is narrowed to; null: its user's. Calls with it see the user's environments that the token also names." })
  environments?: string[];
  @Field(() => String, { description: 'When it was created (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'When it was revoked; null while it works. A revoked token authenticates nobody.' }) revokedAt?: string;
  __typename!: NodeTypeName;
}

@InputType('CreateUserInput', { description: 'A new user (an admin action, recorded with the admin as creator).' })
export class CreateUserInput {
  @Field(() => String, { description: "Unique name (case-insensitively): letters or digits first, then letters, digits, spaces and . _ @ + ' -." }) name!: string;
  @Field(() => RoleEnum, { description: 'What the user may do.' }) role!: Role;
  @Field(() => String, { nullable: true, description: 'Links the user to this OIDC subject (`sub`) of the configured issuer, ahead of its first sign-in.' }) oidcSubject?: string;
  @Field(() => [String], { nullable: true, description: 'Limits the user to these environments; null or empty: every environment.' }) environments?: string[];
}

@ObjectType('CreateUserPayload', { description: 'The user createUser made.' })
export class CreateUserPayload {
  @Field(() => UserType, { description: 'The new user.' }) user!: UserType;
}

@InputType('CreateMyApiTokenInput', { description: 'A token for the caller; every field is optional (`input: {}`).' })
export class CreateMyApiTokenInput {
  @Field(() => String, { nullable: true, description: 'What the token is for, e.g. "ci" (default: your name).' }) label?: string;
  @Field(() => RoleEnum, { nullable: true, description: 'A ceiling at most your role (default: your role).' }) role?: Role;
  @Field(() => [String], { nullable: true, description: 'Narrows the token to these environments, within the ones you act in (default: those).' }) environments?: string[];
}

@InputType('CreateApiTokenInput', { description: 'The user a token is for: yourself, or (admins) a new user created with it.' })
export class CreateApiTokenInput {
  @Field(() => String, { description: "Your own name mints a token for you; a free name makes an admin create that user; another user's name is refused (CONFLICT)." }) name!: string;
  @Field(() => RoleEnum, { description: "A new user's role, or your token's ceiling (at most your role)." }) role!: Role;
  @Field(() => [String], { nullable: true, description: "A new user's environments, or your token's narrowing (within the ones you act in); null: every environment (yours)." }) environments?: string[];
}

@ObjectType('CreateApiTokenPayload', { description: 'A new token and its secret, shown only in this answer.' })
export class CreateApiTokenPayload {
  @Field(() => ApiTokenType, { description: 'The token created.' }) token!: ApiTokenType;
  @Field(() => String, { description: 'The bearer secret (Authorization: Bearer <secret>): shown this once and never again; store it now.' }) secret!: string;
  @Field(() => UserType, { description: 'The user the token belongs to.' }) user!: UserType;
}

@InputType('RevokeApiTokenInput', { description: 'The token to revoke.' })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: 'Global id of the ApiToken.' }) id!: string;
}

@ObjectType('RevokeApiTokenPayload', { description: 'The result of revoking a token.' })
export class RevokeApiTokenPayload {
  @Field(() => ID, { description: 'Global id of the revoked ApiToken; it no longer authenticates.' }) revokedId!: string;
}

export function mapUser(u: User): UserType {
  return {
    id: toGlobalId('User', u.id),
    __typename: 'User',
    userId: u.id,
    name: u.name,
    role: u.role,
    kind: u.kind,
    origin: u.origin,
    createdAt: u.createdAt,
    ...(u.createdBy !== undefined ? { createdByUserId: u.createdBy } : {}),
    ...(u.oidc !== undefined ? { oidcIssuer: u.oidc.issuer, oidcSubject: u.oidc.subject } : {}),
    ...(u.environments !== undefined ? { environments: u.environments } : {}),
  };
}

export function mapApiToken(t: ApiToken): ApiTokenType {
  return {
    id: toGlobalId('ApiToken', t.id),
    __typename: 'ApiToken',
    tokenId: t.id,
    name: t.name,
    userId: t.userId,
    userName: t.userName,
    role: t.role,
    createdAt: t.createdAt,
    ...(t.environments !== undefined ? { environments: t.environments } : {}),
    ...(t.revokedAt !== undefined ? { revokedAt: t.revokedAt } : {}),
  };
}

@InputType({ description: 'Which environments a user may see and act on.' })
export class SetUserEnvironmentsInput {
  @Field(() => String, { description: 'The user: userId or name.' }) user!: string;
  @Field(() => [String], { description: 'Environment names (e.g. dev, test); empty: every environment again.' }) environments!: string[];
}

@ObjectType({ description: 'The user with their new environment scope.' })
export class SetUserEnvironmentsPayload {
  @Field(() => UserType, { description: 'The user as now scoped.' }) user!: UserType;
}
