import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type GraphQLContext } from '../context.js';
import { NodeAsset, NodeAssetInput, mapNodeAsset, overrideOf } from '../types/asset.type.js';
import { NodeType } from '../types/node.type.js';

/** Node asset facts: read on a node, set by assessors. */
@Authorized()
@Resolver(() => NodeType)
export class AssetResolver {
  @FieldResolver(() => NodeAsset, { description: "The node's asset facts (host name, FQDN, addresses, OS, role) with their provenance." })
  async asset(@Ctx() ctx: GraphQLContext, @Root() node: NodeType): Promise<NodeAsset> {
    return mapNodeAsset(await ctx.services.nodeAssets.get(node.id));
  }

  @Query(() => NodeAsset, { description: "A node's asset facts, by node id, name or endpoint (a removed node by id)." })
  async nodeAsset(@Ctx() ctx: GraphQLContext, @Arg('node', () => String, { description: 'Node id, name or endpoint.' }) node: string): Promise<NodeAsset> {
    return mapNodeAsset(await ctx.services.nodeAssets.get(node));
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => NodeAsset, { description: "Sets or clears an assessor's overrides of a node's asset facts; later collections keep them." })
  async setNodeAsset(@Ctx() ctx: GraphQLContext, @Arg('input', () => NodeAssetInput, { description: 'The node and the values.' }) input: NodeAssetInput): Promise<NodeAsset> {
    return mapNodeAsset(await ctx.services.nodeAssets.set(input.node, overrideOf(input), principalOf(ctx)));
  }
}
