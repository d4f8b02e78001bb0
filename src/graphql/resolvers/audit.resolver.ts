import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { AuditChainProblemType, AuditChainVerificationType, AuditHeadInput, AuditRecordType, mapAuditRecord, mapVerification } from '../types/audit.type.js';
import { AuditChainProblemConnection, AuditRecordConnection } from '../types/connections.type.js';

/** The audit log, paged in the database, and the check of its hash chain (admins: see the service policy). */
@Authorized()
@Resolver()
export class AuditResolver {
  @Query(() => AuditRecordConnection, { description: 'The audit log, newest first. Admins only.' })
  async auditLog(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<AuditRecordType>> {
    return mapConnection(await ctx.services.audit.list(pageOf(page)), mapAuditRecord);
  }

  @Query(() => AuditChainVerificationType, { description: 'Checks the audit hash chain; a changed or deleted record is named. Admins only.' })
  async verifyAuditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('head', () => AuditHeadInput, { nullable: true, description: 'A head noted earlier: also check it is still there, unchanged.' }) head?: AuditHeadInput,
  ): Promise<AuditChainVerificationType> {
    return mapVerification(await ctx.services.audit.verify(head != null ? { head: { id: head.sequence, hash: head.hash } } : {}));
  }
}

/** The breaks a verification found, paged from the verdict (they were all found in one walk of the chain). */
@Authorized()
@Resolver(() => AuditChainVerificationType)
export class AuditChainVerificationResolver {
  @FieldResolver(() => AuditChainProblemConnection, { description: 'The breaks found, in chain order; empty when `ok`.' })
  problems(@Root() v: AuditChainVerificationType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<AuditChainProblemType> {
    return mapConnection(connectionOfList(v.problemList, pageOf(page)), (p) => p);
  }
}
