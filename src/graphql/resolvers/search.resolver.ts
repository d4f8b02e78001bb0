import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { ControlConnectionType, RuleConnectionType, RuleEvidenceType, mapControlConnection, mapRuleConnection, mapRuleEvidence } from '../types/search.type.js';

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** Full-text search with cursor pagination, and the CCI reverse query from a control to rules. */
@Authorized()
@Resolver()
export class SearchResolver {
  @Query(() => ControlConnectionType, { description: 'Controls and enhancements of the catalogs (or of one baseline or catalog) matching the words of `query`, best first; without a query, in document order.' })
  async searchControls(
    @Ctx() ctx: GraphQLContext,
    @Arg('query', () => String, { nullable: true }) query?: string,
    @Arg('family', () => String, { nullable: true, description: 'Group id, e.g. "ac".' }) family?: string,
    @Arg('baseline', () => String, { nullable: true, description: 'Baseline document id or profile uuid.' }) baseline?: string,
    @Arg('catalog', () => String, { nullable: true, description: 'Catalog document id.' }) catalog?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ControlConnectionType> {
    const page = await ctx.services.search.searchControls({ ...opt('query', query), ...opt('family', family), ...opt('baseline', baseline), ...opt('catalog', catalog) }, { ...opt('first', first), ...opt('after', after) });
    return mapControlConnection(page);
  }

  @Query(() => RuleConnectionType, { description: 'Rules of the stored benchmarks matching the words of `query`, best first; without a query, in document order.' })
  async searchRules(
    @Ctx() ctx: GraphQLContext,
    @Arg('query', () => String, { nullable: true }) query?: string,
    @Arg('severity', () => String, { nullable: true, description: 'high, medium, low or unknown.' }) severity?: string,
    @Arg('benchmark', () => String, { nullable: true, description: 'Benchmark document id, or XCCDF benchmark id (every stored release).' }) benchmark?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<RuleConnectionType> {
    const page = await ctx.services.search.searchRules({ ...opt('query', query), ...opt('severity', severity), ...opt('benchmark', benchmark) }, { ...opt('first', first), ...opt('after', after) });
    return mapRuleConnection(page);
  }

  @Query(() => [RuleEvidenceType], { description: 'Rules of every stored benchmark whose CCIs map to this control (or its statements).' })
  async rulesForControl(@Ctx() ctx: GraphQLContext, @Arg('controlId', () => String) controlId: string): Promise<RuleEvidenceType[]> {
    return (await ctx.services.coverage.rulesForControl(controlId)).map(mapRuleEvidence);
  }
}
