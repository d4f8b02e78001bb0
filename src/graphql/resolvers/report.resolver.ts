import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { AssessmentType } from '../types/assessment.type.js';
import { ReportConnection } from '../types/connections.type.js';
import { mapReport, mapReportFormat, mapSigningKey, ReportFormatInfoType, type ReportType, SigningKeyType } from '../types/report.type.js';

/** Reports of assessments, the formats offered and the signing key. */
@Authorized()
@Resolver(() => AssessmentType)
export class ReportResolver {
  @FieldResolver(() => ReportConnection, { description: "The assessment's reports, one per offered format (per node for per-node formats), each with its download URL; empty unless the assessment completed." })
  async reports(@Ctx() ctx: GraphQLContext, @Root() a: AssessmentType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ReportType>> {
    const list = a.status === 'completed' ? await ctx.services.reports.list(a.assessmentId) : [];
    return mapConnection(connectionOfList(list, pageOf(page)), mapReport);
  }

  @Query(() => [ReportFormatInfoType], { description: 'The report formats this server offers (at most the eight ReportFormat values).' })
  async reportFormats(@Ctx() ctx: GraphQLContext): Promise<ReportFormatInfoType[]> {
    return (await ctx.services.reports.formats()).map(mapReportFormat);
  }

  @Query(() => SigningKeyType, { nullable: true, description: 'The public key signed bundles are verified with; null when this server signs nothing (no PLIMSOLL_SIGNING_KEY or PLIMSOLL_SECRET_KEY).' })
  async signingKey(@Ctx() ctx: GraphQLContext): Promise<SigningKeyType | null> {
    const key = await ctx.services.reports.signingKey();
    return key !== undefined ? mapSigningKey(key) : null;
  }
}
