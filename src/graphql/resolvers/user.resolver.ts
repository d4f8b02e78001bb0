import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { ApiTokenConnection, UserConnection } from '../types/connections.type.js';
import {
  ApiTokenType,
  CreateApiTokenInput,
  CreateApiTokenPayload,
  CreateMyApiTokenInput,
  CreateUserInput,
  CreateUserPayload,
  RevokeApiTokenInput,
  RevokeApiTokenPayload,
  SetUserEnvironmentsInput,
  SetUserEnvironmentsPayload,
  UserType,
  mapApiToken,
  mapUser,
} from '../types/user.type.js';

/** Users and their tokens. Who may do what is the service policy's business (src/auth/service-policy.ts). */
@Authorized()
@Resolver()
export class UserResolver {
  @Query(() => UserType, { description: 'The user the bearer token (or OIDC sign-in) belongs to.' })
  async me(@Ctx() ctx: GraphQLContext): Promise<UserType> {
    return mapUser(await ctx.services.users.me());
  }

  @Query(() => UserConnection, { description: 'Users, oldest first. Admins only.' })
  async users(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<UserType>> {
    return mapConnection(await ctx.services.users.list(pageOf(page)), mapUser);
  }

  @Query(() => UserType, { nullable: true, description: 'A user by userId or name (case-insensitively); null when there is none. Admins only.' })
  async user(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'userId or name.' }) ref: string): Promise<UserType | undefined> {
    const u = await ctx.services.users.get(ref);
    return u && mapUser(u);
  }

  @Query(() => ApiTokenConnection, { description: "API tokens, oldest first (revoked ones included): admins see everyone's (or one user's), others their own." })
  async apiTokens(
    @Ctx() ctx: GraphQLContext,
    @Arg('user', () => String, { nullable: true, description: "Only this user's tokens (userId or name)." }) user: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ApiTokenType>> {
    return mapConnection(await ctx.services.users.listTokens(user != null ? { user } : {}, pageOf(page)), mapApiToken);
  }

  @Mutation(() => CreateUserPayload, { description: 'Creates a user, recorded with the caller as its creator. Admins only.' })
  async createUser(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateUserInput, { description: 'The new user.' }) input: CreateUserInput): Promise<CreateUserPayload> {
    const created = await ctx.services.users.createUser({
      name: input.name, role: input.role, ...(input.oidcSubject ? { oidcSubject: input.oidcSubject } : {}), ...(input.environments != null ? { environments: input.environments } : {}),
    });
    return { user: mapUser(created) };
  }

  @Mutation(() => CreateApiTokenPayload, { description: 'Mints a token for the caller, with a role ceiling at most their own; its secret is returned this once.' })
  async createMyApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateMyApiTokenInput, { description: 'Label and role ceiling; `{}` for the defaults.' }) input: CreateMyApiTokenInput): Promise<CreateApiTokenPayload> {
    const created = await ctx.services.users.createOwnToken({
      ...(input.label ? { label: input.label } : {}), ...(input.role ? { role: input.role } : {}), ...(input.environments != null ? { environments: input.environments } : {}),
    });
    return { token: mapApiToken(created.token), secret: created.secret, user: mapUser(await ctx.services.users.me()) };
  }

  @Mutation(() => CreateApiTokenPayload, {
    description:
      "A token for the user `name`: the caller's own name mints one for the caller; a free name makes an admin create that user (recorded with the admin as creator) with the token; another user's name is refused (CONFLICT). The secret is returned this once.",
  })
  async createApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateApiTokenInput, { description: 'The user the token is for, and the role.' }) input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    const created = await ctx.services.users.createToken(input.name, input.role, input.environments != null ? { environments: input.environments } : {});
    return { token: mapApiToken(created.token), secret: created.secret, user: mapUser(created.user) };
  }

  @Mutation(() => SetUserEnvironmentsPayload, {
    description: 'Limits a user to environments (empty: every environment). Admins who see every environment only; audited. Tokens keep their own narrowing: a call sees the user\'s environments that its token also names.',
  })
  async setUserEnvironments(@Ctx() ctx: GraphQLContext, @Arg('input', () => SetUserEnvironmentsInput, { description: 'The user and the environments.' }) input: SetUserEnvironmentsInput): Promise<SetUserEnvironmentsPayload> {
    return { user: mapUser(await ctx.services.users.setEnvironments(input.user, input.environments)) };
  }

  @Mutation(() => RevokeApiTokenPayload, { description: "Revokes a token: it no longer authenticates. The caller's own, or anyone's for admins." })
  async revokeApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => RevokeApiTokenInput, { description: 'The token to revoke.' }) input: RevokeApiTokenInput): Promise<RevokeApiTokenPayload> {
    const [tokenId] = keyOf(input.id, 'ApiToken');
    await ctx.services.users.revokeToken(tokenId!);
    return { revokedId: input.id };
  }
}

/** A user's tokens, as a connection on User. */
@Authorized()
@Resolver(() => UserType)
export class UserTokensResolver {
  @FieldResolver(() => ApiTokenConnection, { description: "The user's API tokens, oldest first (admins, or the user themself)." })
  async apiTokens(@Root() user: UserType, @Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ApiTokenType>> {
    return mapConnection(await ctx.services.users.listTokens({ user: user.userId }, pageOf(page)), mapApiToken);
  }
}
