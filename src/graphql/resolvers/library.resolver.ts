import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { GraphQLContext } from '../context.js';
import {
  BenchmarkType,
  ControlMappingType,
  ControlPageType,
  ControlType,
  DocumentType,
  GroupType,
  RulePageType,
  RuleType,
  mapBenchmark,
  mapControl,
  mapControlMapping,
  mapDocument,
  mapGroup,
  mapRule,
} from '../types/content.type.js';

const DOCUMENT_KINDS = ['catalog', 'profile', 'benchmark', 'cci-list'] as const;
type Kind = (typeof DOCUMENT_KINDS)[number];

function kindOf(kind: string | undefined): Kind | undefined {
  if (kind === undefined) return undefined;
  if ((DOCUMENT_KINDS as readonly string[]).includes(kind)) return kind as Kind;
  throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown document kind "${kind}"; one of ${DOCUMENT_KINDS.join(', ')}`);
}

/** Browsing the content library: documents, catalogs → groups → controls, benchmarks → rules → controls. */
@Authorized()
@Resolver()
export class LibraryResolver {
  @Query(() => [DocumentType], { description: 'Imported documents, optionally of one kind.' })
  async documents(@Ctx() ctx: GraphQLContext, @Arg('kind', () => String, { nullable: true }) kind?: string): Promise<DocumentType[]> {
    return (await ctx.services.library.listDocuments(kindOf(kind))).map(mapDocument);
  }

  @Query(() => [GroupType], { description: 'Groups (families) of a catalog; top-level unless parentGroupId is given.' })
  async groups(
    @Ctx() ctx: GraphQLContext,
    @Arg('catalogDocumentId', () => String) catalogDocumentId: string,
    @Arg('parentGroupId', () => String, { nullable: true }) parentGroupId?: string,
  ): Promise<GroupType[]> {
    return (await ctx.services.library.listGroups(catalogDocumentId, parentGroupId)).map(mapGroup);
  }

  @Query(() => ControlType, { nullable: true })
  async control(@Ctx() ctx: GraphQLContext, @Arg('catalogDocumentId', () => String) catalogDocumentId: string, @Arg('id', () => String) id: string): Promise<ControlType | undefined> {
    const c = await ctx.services.library.getControl(catalogDocumentId, id);
    return c && mapControl(c);
  }

  @Query(() => [BenchmarkType])
  async benchmarks(@Ctx() ctx: GraphQLContext): Promise<BenchmarkType[]> {
    const docs = await ctx.services.library.listDocuments('benchmark');
    const found = await Promise.all(docs.map((d) => ctx.services.library.findBenchmark(d.documentId)));
    return found.filter((b) => b !== undefined).map(mapBenchmark);
  }

  @Query(() => BenchmarkType, { nullable: true, description: 'By document id, or by XCCDF benchmark id (the latest release).' })
  async benchmark(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String) ref: string): Promise<BenchmarkType | undefined> {
    const b = await ctx.services.library.findBenchmark(ref);
    return b && mapBenchmark(b);
  }

  @Query(() => RuleType, { nullable: true, description: 'A rule by rule id (SV-…), group id (V-…) or STIG id (DKER-EE-…).' })
  async rule(@Ctx() ctx: GraphQLContext, @Arg('benchmarkDocumentId', () => String) benchmarkDocumentId: string, @Arg('ref', () => String) ref: string): Promise<RuleType | undefined> {
    const r = await ctx.services.library.getRule(benchmarkDocumentId, ref);
    return r && mapRule(r);
  }
}

@Authorized()
@Resolver(() => GroupType)
export class GroupResolver {
  @FieldResolver(() => [GroupType], { description: 'Nested groups.' })
  async groups(@Ctx() ctx: GraphQLContext, @Root() group: GroupType): Promise<GroupType[]> {
    return (await ctx.services.library.listGroups(group.catalogDocumentId, group.id)).map(mapGroup);
  }

  @FieldResolver(() => ControlPageType, { description: 'Controls of the group (enhancements are under each control).' })
  async controls(
    @Ctx() ctx: GraphQLContext,
    @Root() group: GroupType,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('offset', () => Int, { nullable: true }) offset?: number,
  ): Promise<ControlPageType> {
    const page = await ctx.services.library.listControls(group.catalogDocumentId, { groupId: group.id }, { ...(first !== undefined ? { limit: first } : {}), ...(offset !== undefined ? { offset } : {}) });
    return { items: page.items.map(mapControl), total: page.total };
  }
}

@Authorized()
@Resolver(() => ControlType)
export class ControlResolver {
  @FieldResolver(() => [ControlType], { description: 'Control enhancements.' })
  async enhancements(@Ctx() ctx: GraphQLContext, @Root() control: ControlType): Promise<ControlType[]> {
    if (control.enhancementIds.length === 0) return [];
    return (await ctx.services.library.listControls(control.catalogDocumentId, { parentControlId: control.id })).items.map(mapControl);
  }
}

@Authorized()
@Resolver(() => BenchmarkType)
export class BenchmarkResolver {
  @FieldResolver(() => RulePageType)
  async rules(
    @Ctx() ctx: GraphQLContext,
    @Root() benchmark: BenchmarkType,
    @Arg('severity', () => String, { nullable: true }) severity?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('offset', () => Int, { nullable: true }) offset?: number,
  ): Promise<RulePageType> {
    const page = await ctx.services.library.listRules(benchmark.documentId, severity !== undefined ? { severity } : {}, { ...(first !== undefined ? { limit: first } : {}), ...(offset !== undefined ? { offset } : {}) });
    return { items: page.items.map(mapRule), total: page.total };
  }
}

@Authorized()
@Resolver(() => RuleType)
export class RuleResolver {
  @FieldResolver(() => [ControlMappingType], { description: "SP 800-53 rev5 statements this rule evidences, through the CCI list." })
  async controls(@Ctx() ctx: GraphQLContext, @Root() rule: RuleType): Promise<ControlMappingType[]> {
    return (await ctx.services.library.mapCcisToControls(rule.ccis)).map(mapControlMapping);
  }
}
