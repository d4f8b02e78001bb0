import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { connectionOfList } from '../../domain/paging.js';
import type { GraphQLContext } from '../context.js';
import { ForwardPageArgs, PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { ControlConnection, RuleConnection, RuleEvidenceConnection } from '../types/connections.type.js';
import { ControlType, RuleType, mapControl, mapRule } from '../types/content.type.js';
import { ControlSearchInput, RuleEvidenceType, RuleSearchInput, definedOf, mapRuleEvidence } from '../types/search.type.js';

/** Full-text search with cursor pagination, and the CCI reverse query from a control to rules. */
@Authorized()
@Resolver()
export class SearchResolver {
  @Query(() => ControlConnection, { description: 'Controls and enhancements of the catalogs (or of one baseline or catalog) matching the words of the query, best first; without a query, in document order.' })
  async searchControls(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ControlSearchInput, { nullable: true, description: 'What to search for; omitted: every control of every catalog.' }) filter: ControlSearchInput | undefined,
    @Args(() => ForwardPageArgs) page: ForwardPageArgs,
  ): Promise<ConnectionShape<ControlType>> {
    return mapConnection(await ctx.services.search.searchControls(definedOf(filter), pageOf(page)), mapControl);
  }

  @Query(() => RuleConnection, { description: 'Rules of the stored benchmarks matching the words of the query, best first; without a query, in document order.' })
  async searchRules(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => RuleSearchInput, { nullable: true, description: 'What to search for; omitted: every rule of every benchmark.' }) filter: RuleSearchInput | undefined,
    @Args(() => ForwardPageArgs) page: ForwardPageArgs,
  ): Promise<ConnectionShape<RuleType>> {
    return mapConnection(await ctx.services.search.searchRules(definedOf(filter), pageOf(page)), mapRule);
  }

  @Query(() => RuleEvidenceConnection, { description: 'Rules of every stored benchmark whose CCIs map to this control (or its statements).' })
  async rulesForControl(
    @Ctx() ctx: GraphQLContext,
    @Arg('controlId', () => String, { description: 'Control id, e.g. "cm-6" (its statements included).' }) controlId: string,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<RuleEvidenceType>> {
    return mapConnection(connectionOfList(await ctx.services.coverage.rulesForControl(controlId), pageOf(page)), mapRuleEvidence);
  }
}
