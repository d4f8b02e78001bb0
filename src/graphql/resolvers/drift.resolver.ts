import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DriftChangeFilter, DriftChangeKind, DriftComparisonKind, DriftReportFilter } from '../../domain/drift.js';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { AssessmentType } from '../types/assessment.type.js';
import { DriftChangeConnection, DriftReportConnection, ReferenceRunConnection } from '../types/connections.type.js';
import { DockerNodeType } from '../types/docker-node.type.js';
import {
  AssessmentComparisonType,
  DriftChangeFilterInput,
  DriftReportFilterInput,
  DriftReportType,
  PinReferenceRunInput,
  PinReferenceRunPayload,
  ReferenceRunFilterInput,
  ReferenceRunType,
  UnpinReferenceRunInput,
  UnpinReferenceRunPayload,
  mapComparedRun,
  mapDriftChange,
  mapDriftCounts,
  mapDriftReport,
  mapReferenceRun,
  type DriftChangeInterface,
} from '../types/drift.type.js';

/** GraphQL filter → domain filter (nulls dropped). */
function toChangeFilter(f: DriftChangeFilterInput | null | undefined): DriftChangeFilter {
  return {
    ...(f?.kinds != null ? { kinds: f.kinds as DriftChangeKind[] } : {}),
    ...(f?.dockerNodeId != null ? { nodeId: f.dockerNodeId } : {}),
    ...(f?.stigId != null ? { stigId: f.stigId } : {}),
    ...(f?.severity != null ? { severity: f.severity } : {}),
  };
}

function toReportFilter(f: DriftReportFilterInput | null | undefined): DriftReportFilter {
  return { ...(f?.dockerNodeId != null ? { nodeId: f.dockerNodeId } : {}), ...(f?.comparison != null ? { comparison: f.comparison as DriftComparisonKind } : {}) };
}

/** Two assessments compared; the changes are paged from the comparison. */
@Authorized()
@Resolver(() => AssessmentComparisonType)
export class DriftComparisonResolver {
  @Query(() => AssessmentComparisonType, { description: 'Compares two completed assessments node by node: rule transitions per target, targets appearing and disappearing, evidence changes, expiries, newer releases.' })
  async compareAssessments(
    @Ctx() ctx: GraphQLContext,
    @Arg('old', () => String, { description: 'assessmentId of the older run.' }) oldId: string,
    @Arg('new', () => String, { description: 'assessmentId of the newer run.' }) newId: string,
    @Arg('filter', () => DriftChangeFilterInput, { nullable: true, description: 'Which changes `changes` lists; the counts are of all.' }) filter: DriftChangeFilterInput | undefined,
  ): Promise<AssessmentComparisonType> {
    const c = await ctx.services.drift.compare({ kind: 'assessment-id', id: oldId }, { kind: 'assessment-id', id: newId }, toChangeFilter(filter));
    return { old: mapComparedRun(c.old), new: mapComparedRun(c.new), counts: mapDriftCounts(c.counts), ...(c.maxSeverity !== undefined ? { maxSeverity: c.maxSeverity } : {}), changeList: c.changes.map(mapDriftChange) };
  }

  @FieldResolver(() => DriftChangeConnection, { description: 'The changes, regressions first.' })
  changes(@Root() c: AssessmentComparisonType, @Args(() => PageArgs) page: PageArgs): ConnectionShape<DriftChangeInterface> {
    return mapConnection(connectionOfList(c.changeList, pageOf(page)), (x) => x);
  }
}

/** The drift stored with a run. */
@Authorized()
@Resolver(() => AssessmentType)
export class AssessmentDriftResolver {
  @FieldResolver(() => DriftReportConnection, { description: 'Its drift: each node against its previous run and its reference run (stored when the run completed), by node name.' })
  async drift(
    @Ctx() ctx: GraphQLContext,
    @Root() a: AssessmentType,
    @Arg('filter', () => DriftReportFilterInput, { nullable: true, description: 'Which reports to list; omitted: all.' }) filter: DriftReportFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<DriftReportType>> {
    return mapConnection(await ctx.services.drift.reports(a.assessmentId, toReportFilter(filter), pageOf(page)), mapDriftReport);
  }
}

/** A stored report's changes, paged in the database. */
@Authorized()
@Resolver(() => DriftReportType)
export class DriftReportResolver {
  @FieldResolver(() => DriftChangeConnection, { description: 'The changes, regressions first.' })
  async changes(
    @Ctx() ctx: GraphQLContext,
    @Root() r: DriftReportType,
    @Arg('filter', () => DriftChangeFilterInput, { nullable: true, description: 'Which changes to list; omitted: all.' }) filter: DriftChangeFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<DriftChangeInterface>> {
    return mapConnection(await ctx.services.drift.changes(r.reportId, toChangeFilter(filter), pageOf(page)), mapDriftChange);
  }
}

/** Reference runs: everyone reads; admins and assessors pin and unpin (audited). */
@Authorized()
@Resolver()
export class ReferenceRunResolver {
  @Query(() => ReferenceRunConnection, { description: 'Reference runs, by node name then benchmark.' })
  async referenceRuns(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReferenceRunFilterInput, { nullable: true, description: 'Which pins to list; omitted: all.' }) filter: ReferenceRunFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<ReferenceRunType>> {
    return mapConnection(await ctx.services.drift.references(filter?.dockerNode != null ? { node: filter.dockerNode } : {}, pageOf(page)), mapReferenceRun);
  }

  @Mutation(() => PinReferenceRunPayload, { description: "Pins a completed assessment as a node's reference run for its benchmark (replacing an earlier pin). Admins and assessors." })
  async pinReferenceRun(@Ctx() ctx: GraphQLContext, @Arg('input', () => PinReferenceRunInput, { description: 'The node and the run.' }) input: PinReferenceRunInput): Promise<PinReferenceRunPayload> {
    const [node] = keyOf(input.dockerNode, 'DockerNode');
    const [assessmentId] = keyOf(input.assessment, 'Assessment');
    const r = await ctx.services.drift.pinReference({ node: node!, assessmentId: assessmentId!, ...(input.note != null ? { note: input.note } : {}) });
    return { referenceRun: mapReferenceRun(r.pinned), ...(r.replaced !== undefined ? { replaced: mapReferenceRun(r.replaced) } : {}) };
  }

  @Mutation(() => UnpinReferenceRunPayload, { description: 'Removes a reference run. Admins and assessors.' })
  async unpinReferenceRun(@Ctx() ctx: GraphQLContext, @Arg('input', () => UnpinReferenceRunInput, { description: 'The reference run.' }) input: UnpinReferenceRunInput): Promise<UnpinReferenceRunPayload> {
    const [nodeId, benchmarkId] = keyOf(input.id, 'ReferenceRun');
    const removed = await ctx.services.drift.unpinReference({ node: nodeId!, benchmark: benchmarkId! });
    return { removedId: input.id, referenceRun: mapReferenceRun(removed) };
  }
}

/** A node's reference runs. */
@Authorized()
@Resolver(() => DockerNodeType)
export class DockerNodeReferenceResolver {
  @FieldResolver(() => ReferenceRunConnection, { description: 'Its reference runs (one per benchmark).' })
  async referenceRuns(@Ctx() ctx: GraphQLContext, @Root() n: DockerNodeType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ReferenceRunType>> {
    return mapConnection(await ctx.services.drift.references({ node: n.dockerNodeId }, pageOf(page)), mapReferenceRun);
  }
}
