import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { AuditChainVerification, AuditHeadInput, AuditRecordConnection, mapAuditConnection, mapVerification } from '../types/audit.type.js';

/** The audit log and the check of its hash chain (admins: see the service policy). */
@Authorized()
@Resolver()
export class AuditResolver {
  @Query(() => AuditRecordConnection, { description: 'The audit log, newest first (admins).' })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many records (default 50, at most 500).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page (older records follow).' }) after?: string,
  ): Promise<AuditRecordConnection> {
    const page = await ctx.services.audit.list({ ...(first !== undefined && first !== null ? { first } : {}), ...(after !== undefined && after !== null ? { after } : {}) });
    return mapAuditConnection(page);
  }

  @Query(() => AuditChainVerification, { description: 'Checks the audit hash chain; a changed or deleted record is named (admins).' })
  async verifyAuditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('head', () => AuditHeadInput, { nullable: true, description: 'A head noted earlier: also check it is still there, unchanged.' }) head?: AuditHeadInput,
  ): Promise<AuditChainVerification> {
    return mapVerification(await ctx.services.audit.verify(head !== undefined && head !== null ? { head: { id: head.id, hash: head.hash } } : {}));
  }
}
