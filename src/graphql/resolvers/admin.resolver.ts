import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ROLES, type Role } from '../../domain/auth.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { principalOf, type GraphQLContext } from '../context.js';
import { ApiTokenType, AuditPageType, CreatedApiTokenType, PrincipalType, mapAuditRecord, mapPrincipal, mapToken } from '../types/auth.type.js';

function roleOf(role: string): Role {
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown role "${role}"; one of ${ROLES.join(', ')}`);
}

@Authorized()
@Resolver()
export class AdminResolver {
  @Query(() => PrincipalType, { description: 'Who the bearer token belongs to.' })
  me(@Ctx() ctx: GraphQLContext): PrincipalType {
    return mapPrincipal(principalOf(ctx));
  }

  @Authorized('admin')
  @Query(() => AuditPageType, { description: 'The audit log, newest first.' })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('offset', () => Int, { nullable: true }) offset?: number,
  ): Promise<AuditPageType> {
    const page = await ctx.services.audit.list({ ...(first !== undefined ? { limit: first } : {}), ...(offset !== undefined ? { offset } : {}) });
    return { items: page.items.map(mapAuditRecord), total: page.total };
  }

  @Authorized('admin')
  @Query(() => [ApiTokenType])
  async apiTokens(@Ctx() ctx: GraphQLContext): Promise<ApiTokenType[]> {
    return (await ctx.services.auth.listTokens()).map(mapToken);
  }

  @Authorized('admin')
  @Mutation(() => CreatedApiTokenType, { description: 'Creates a token; its secret is returned once.' })
  async createApiToken(@Ctx() ctx: GraphQLContext, @Arg('name', () => String) name: string, @Arg('role', () => String) role: string): Promise<CreatedApiTokenType> {
    const { token, secret } = await ctx.services.auth.createToken(name, roleOf(role), principalOf(ctx));
    return { token: mapToken(token), secret };
  }

  @Authorized('admin')
  @Mutation(() => Boolean)
  async revokeApiToken(@Ctx() ctx: GraphQLContext, @Arg('id', () => String) id: string): Promise<boolean> {
    await ctx.services.auth.revokeToken(id, principalOf(ctx));
    return true;
  }
}
