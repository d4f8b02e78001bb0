import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { BenchmarkConnection, CatalogConnection, ControlConnection, DocumentConnection, GroupConnection, RuleConnection } from '../types/connections.type.js';
import {
  BenchmarkType,
  CatalogType,
  ControlMappingType,
  ControlType,
  DocumentInterface,
  GroupType,
  RuleType,
  mapBenchmark,
  mapControl,
  mapControlMapping,
  mapDocument,
  mapGroup,
  mapRule,
} from '../types/content.type.js';
import { DocumentFilterInput, RuleFilterInput } from '../types/filters.type.js';
import { ImportDocumentsInput, ImportDocumentsPayload, mapImport } from '../types/import.type.js';

/** The content library: documents, catalogs → groups → controls, benchmarks → rules → controls; imports. */
@Authorized()
@Resolver()
export class LibraryResolver {
  @Query(() => DocumentConnection, { description: 'Imported documents of every kind (or one), oldest import first.' })
  async documents(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => DocumentFilterInput, { nullable: true, description: 'Which documents to list; omitted: all.' }) filter: DocumentFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<DocumentInterface>> {
    return mapConnection(await ctx.services.library.pageDocuments(filter?.kind ?? undefined, pageOf(page)), mapDocument);
  }

  @Query(() => CatalogConnection, { description: 'Imported OSCAL catalogs, oldest import first.' })
  async catalogs(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<CatalogType>> {
    return mapConnection(await ctx.services.library.pageDocuments('catalog', pageOf(page)), mapDocument);
  }

  @Query(() => CatalogType, { nullable: true, description: 'A catalog by document id; null when no catalog has it.' })
  async catalog(@Ctx() ctx: GraphQLContext, @Arg('documentId', () => String, { description: 'Document id of the catalog.' }) documentId: string): Promise<CatalogType | undefined> {
    const d = await ctx.services.library.getDocument(documentId);
    return d?.kind === 'catalog' ? mapDocument(d) : undefined;
  }

  @Query(() => ControlType, { nullable: true, description: 'A control or enhancement of a catalog or baseline; null when it has none of that id.' })
  async control(
    @Ctx() ctx: GraphQLContext,
    @Arg('catalogDocumentId', () => String, { description: 'Document id of the catalog or baseline.' }) catalogDocumentId: string,
    @Arg('controlId', () => String, { description: 'Control id, e.g. "ac-2" or "ac-2.1".' }) controlId: string,
  ): Promise<ControlType | undefined> {
    const c = await ctx.services.library.getControl(catalogDocumentId, controlId);
    return c && mapControl(c);
  }

  @Query(() => BenchmarkConnection, { description: 'Imported benchmarks (every release), oldest import first.' })
  async benchmarks(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<BenchmarkType>> {
    return mapConnection(await ctx.services.library.pageDocuments('benchmark', pageOf(page)), (d) => mapDocument(d) as BenchmarkType);
  }

  @Query(() => BenchmarkType, { nullable: true, description: 'A benchmark by document id, or by XCCDF benchmark id (the latest release); null when none matches.' })
  async benchmark(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'Document id or XCCDF benchmark id.' }) ref: string): Promise<BenchmarkType | undefined> {
    const b = await ctx.services.library.findBenchmark(ref);
    return b && mapBenchmark(b);
  }

  @Query(() => RuleType, { nullable: true, description: 'A rule of a benchmark release; null when it has none matching.' })
  async rule(
    @Ctx() ctx: GraphQLContext,
    @Arg('benchmarkDocumentId', () => String, { description: 'Document id of the benchmark release.' }) benchmarkDocumentId: string,
    @Arg('ref', () => String, { description: 'Rule id (SV-…), group id (V-…) or STIG id (DKER-EE-…).' }) ref: string,
  ): Promise<RuleType | undefined> {
    const r = await ctx.services.library.getRule(benchmarkDocumentId, ref);
    return r && mapRule(r);
  }

  @Mutation(() => ImportDocumentsPayload, { description: 'Imports uploaded content (POST /uploads): all documents succeed or nothing is stored. Admins and assessors.' })
  async importDocuments(@Ctx() ctx: GraphQLContext, @Arg('input', () => ImportDocumentsInput, { description: 'The uploads to import.' }) input: ImportDocumentsInput): Promise<ImportDocumentsPayload> {
    return { imports: (await ctx.services.imports.importDocuments(input.uploadIds.map((uploadId) => ({ uploadId })))).map(mapImport) };
  }
}

@Authorized()
@Resolver(() => CatalogType)
export class CatalogResolver {
  @FieldResolver(() => GroupConnection, { description: 'Top-level groups (families) of the catalog, in document order.' })
  async groups(@Ctx() ctx: GraphQLContext, @Root() catalog: CatalogType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<GroupType>> {
    return mapConnection(await ctx.services.library.pageGroups(catalog.documentId, undefined, pageOf(page)), mapGroup);
  }
}

@Authorized()
@Resolver(() => GroupType)
export class GroupResolver {
  @FieldResolver(() => GroupConnection, { description: 'Groups nested in this one, in document order.' })
  async groups(@Ctx() ctx: GraphQLContext, @Root() group: GroupType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<GroupType>> {
    return mapConnection(await ctx.services.library.pageGroups(group.catalogDocumentId, group.groupId, pageOf(page)), mapGroup);
  }

  @FieldResolver(() => ControlConnection, { description: 'Controls of the group in document order (enhancements are under each control).' })
  async controls(@Ctx() ctx: GraphQLContext, @Root() group: GroupType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ControlType>> {
    return mapConnection(await ctx.services.library.pageControls(group.catalogDocumentId, { groupId: group.groupId }, pageOf(page)), mapControl);
  }
}

@Authorized()
@Resolver(() => ControlType)
export class ControlResolver {
  @FieldResolver(() => ControlConnection, { description: 'Enhancements of the control, in document order.' })
  async enhancements(@Ctx() ctx: GraphQLContext, @Root() control: ControlType, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<ControlType>> {
    return mapConnection(await ctx.services.library.pageControls(control.catalogDocumentId, { parentControlId: control.controlId }, pageOf(page)), mapControl);
  }
}

@Authorized()
@Resolver(() => BenchmarkType)
export class BenchmarkResolver {
  @FieldResolver(() => RuleConnection, { description: 'Rules of the release, in document order.' })
  async rules(
    @Ctx() ctx: GraphQLContext,
    @Root() benchmark: BenchmarkType,
    @Arg('filter', () => RuleFilterInput, { nullable: true, description: 'Which rules to list; omitted: all.' }) filter: RuleFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<RuleType>> {
    const severity = filter?.severity ?? undefined;
    return mapConnection(await ctx.services.library.pageRules(benchmark.documentId, severity !== undefined ? { severity } : {}, pageOf(page)), mapRule);
  }
}

@Authorized()
@Resolver(() => RuleType)
export class RuleResolver {
  @FieldResolver(() => [ControlMappingType], { description: 'SP 800-53 rev5 statements this rule evidences, through the CCI list (a few per rule).' })
  async controls(@Ctx() ctx: GraphQLContext, @Root() rule: RuleType): Promise<ControlMappingType[]> {
    return (await ctx.services.library.mapCcisToControls(rule.ccis)).map(mapControlMapping);
  }
}
