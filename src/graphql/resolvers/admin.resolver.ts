import { Arg, Args, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { principalOf, type GraphQLContext } from '../context.js';
import { ERROR_CODE_DESCRIPTIONS, ErrorCodeEnum } from '../error-codes.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import {
  ApiTokenType,
  AuditRecordType,
  CreateApiTokenInput,
  CreateApiTokenPayload,
  PrincipalType,
  RevokeApiTokenInput,
  RevokeApiTokenPayload,
  mapAuditRecord,
  mapPrincipal,
  mapToken,
} from '../types/auth.type.js';
import { ApiTokenConnection, AuditRecordConnection } from '../types/connections.type.js';

@ObjectType('ErrorCodeInfo', { description: 'An error code a client can receive, and what to do about it.' })
class ErrorCodeInfo {
  @Field(() => ErrorCodeEnum, { description: 'The value of `errors[].extensions.code`.' }) code!: string;
  @Field(() => String, { description: 'What it means and what to do.' }) description!: string;
}

/** The caller, the error codes, tokens and the audit log (the last two for admins only). */
@Authorized()
@Resolver()
export class AdminResolver {
  @Query(() => PrincipalType, { description: 'Who the bearer token belongs to.' })
  me(@Ctx() ctx: GraphQLContext): PrincipalType {
    return mapPrincipal(principalOf(ctx));
  }

  @Query(() => [ErrorCodeInfo], { description: 'Every error code the API returns in `errors[].extensions.code`, with what to do about it.' })
  errorCodes(): ErrorCodeInfo[] {
    return Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => ({ code, description }));
  }

  @Authorized('admin')
  @Query(() => AuditRecordConnection, { description: 'The audit log, newest first. Admins only.' })
  async auditLog(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<AuditRecordType>> {
    return mapConnection(await ctx.services.audit.page(pageOf(page)), mapAuditRecord);
  }

  @Authorized('admin')
  @Query(() => ApiTokenConnection, { description: 'API tokens, oldest first (revoked ones included). Admins only.' })
  async apiTokens(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ApiTokenType>> {
    return mapConnection(await ctx.services.auth.pageTokens(pageOf(page)), mapToken);
  }

  @Authorized('admin')
  @Mutation(() => CreateApiTokenPayload, { description: 'Creates a token; its secret is returned this once. Admins only.' })
  async createApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateApiTokenInput, { description: 'The token to create.' }) input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    const { token, secret } = await ctx.services.auth.createToken(input.name, input.role, principalOf(ctx));
    return { token: mapToken(token), secret };
  }

  @Authorized('admin')
  @Mutation(() => RevokeApiTokenPayload, { description: 'Revokes a token: it no longer authenticates. Admins only.' })
  async revokeApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => RevokeApiTokenInput, { description: 'The token to revoke.' }) input: RevokeApiTokenInput): Promise<RevokeApiTokenPayload> {
    const [tokenId] = keyOf(input.id, 'ApiToken');
    await ctx.services.auth.revokeToken(tokenId!, principalOf(ctx));
    return { revokedId: input.id };
  }
}
