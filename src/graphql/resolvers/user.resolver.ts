import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ROLES, type Role } from '../../domain/auth.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { GraphQLContext } from '../context.js';
import {
  ApiTokenConnection,
  CreateApiTokenPayload,
  CreateMyApiTokenInput,
  CreateUserInput,
  CreateUserPayload,
  User,
  mapApiToken,
  mapApiTokenConnection,
  mapUser,
  mapUserConnection,
  UserConnection,
} from '../types/user.type.js';

/** createApiToken's role argument: a String for existing clients, in either case (`admin` or `ADMIN`). */
function roleOf(role: string): Role {
  const lower = role.toLowerCase();
  if ((ROLES as readonly string[]).includes(lower)) return lower as Role;
  throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown role "${role}"; one of ${ROLES.join(', ')}`);
}

const page = (first?: number | null, after?: string | null): { first?: number; after?: string } => ({
  ...(first !== undefined && first !== null ? { first } : {}),
  ...(after !== undefined && after !== null ? { after } : {}),
});

/** Users and tokens; who may do what is the service policy's business (admins create users and list them). */
@Authorized()
@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The user the bearer token (or OIDC sign-in) belongs to.' })
  async me(@Ctx() ctx: GraphQLContext): Promise<User> {
    return mapUser(await ctx.services.users.me());
  }

  @Query(() => UserConnection, { description: 'Users, oldest first (admins).' })
  async users(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many users (default 50, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after?: string,
  ): Promise<UserConnection> {
    return mapUserConnection(await ctx.services.users.list(page(first, after)));
  }

  @Query(() => User, { nullable: true, description: 'A user by id or name (admins); null when there is none.' })
  async user(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'User id or name (case-insensitive).' }) ref: string): Promise<User | undefined> {
    const u = await ctx.services.users.get(ref);
    return u && mapUser(u);
  }

  @Query(() => ApiTokenConnection, { description: "API tokens, oldest first: admins see everyone's (or one user's), others their own." })
  async apiTokens(
    @Ctx() ctx: GraphQLContext,
    @Arg('user', () => String, { nullable: true, description: "Only this user's tokens (id or name)." }) user?: string,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many tokens (default 50, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after?: string,
  ): Promise<ApiTokenConnection> {
    return mapApiTokenConnection(await ctx.services.users.listTokens(user !== undefined && user !== null ? { user } : {}, page(first, after)));
  }

  @Mutation(() => CreateUserPayload, { description: 'Creates a user (admins); recorded with the caller as its creator.' })
  async createUser(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateUserInput, { description: 'The new user.' }) input: CreateUserInput): Promise<CreateUserPayload> {
    const created = await ctx.services.users.createUser({ name: input.name, role: input.role, ...(input.oidcSubject ? { oidcSubject: input.oidcSubject } : {}) });
    return { user: mapUser(created) };
  }

  @Mutation(() => CreateApiTokenPayload, { description: 'Mints a token for the caller; its secret is returned once.' })
  async createMyApiToken(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateMyApiTokenInput, { nullable: true, description: 'Label and role ceiling.' }) input?: CreateMyApiTokenInput,
  ): Promise<CreateApiTokenPayload> {
    const created = await ctx.services.users.createOwnToken({ ...(input?.label ? { label: input.label } : {}), ...(input?.role ? { role: input.role } : {}) });
    return { token: mapApiToken(created.token), secret: created.secret, user: mapUser(await ctx.services.users.me()) };
  }

  @Mutation(() => CreateApiTokenPayload, {
    description:
      "A token for the user `name`: the caller's own name mints one for the caller; a free name makes an admin create that user (recorded with the admin as creator) with the token; another user's name is refused (CONFLICT). The secret is returned once.",
  })
  async createApiToken(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { description: 'The user the token is for.' }) name: string,
    @Arg('role', () => String, { description: 'admin, assessor or auditor: a new user’s role, or your token’s ceiling.' }) role: string,
  ): Promise<CreateApiTokenPayload> {
    const created = await ctx.services.users.createToken(name, roleOf(role));
    return { token: mapApiToken(created.token), secret: created.secret, user: mapUser(created.user) };
  }

  @Mutation(() => Boolean, { description: "Revokes a token (the caller's own, or anyone's for admins); true once revoked." })
  async revokeApiToken(@Ctx() ctx: GraphQLContext, @Arg('id', () => String, { description: 'The token id.' }) id: string): Promise<boolean> {
    await ctx.services.users.revokeToken(id);
    return true;
  }
}

/** A user's tokens, as a connection on User. */
@Authorized()
@Resolver(() => User)
export class UserTokensResolver {
  @FieldResolver(() => ApiTokenConnection, { description: "The user's API tokens, oldest first (admins, or the user themself)." })
  async apiTokens(
    @Root() user: User,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many tokens (default 50, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after?: string,
  ): Promise<ApiTokenConnection> {
    return mapApiTokenConnection(await ctx.services.users.listTokens({ user: user.id }, page(first, after)));
  }
}
