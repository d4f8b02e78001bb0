import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { keyOf } from '../relay/global-id.js';
import { DockerNodeAsset, SetDockerNodeAssetInput, mapNodeAsset, overrideOf } from '../types/asset.type.js';
import { DockerNodeType } from '../types/docker-node.type.js';

/** Docker node asset facts: read on a node, set by assessors. */
@Authorized()
@Resolver(() => DockerNodeType)
export class AssetResolver {
  @FieldResolver(() => DockerNodeAsset, { description: "The node's asset facts (host name, FQDN, addresses, OS, role) with their provenance." })
  async asset(@Ctx() ctx: GraphQLContext, @Root() node: DockerNodeType): Promise<DockerNodeAsset> {
    return mapNodeAsset(await ctx.services.nodeAssets.get(node.dockerNodeId));
  }

  @Query(() => DockerNodeAsset, { description: "A Docker node's asset facts by its dockerNodeId, name or endpoint (a removed node by dockerNodeId); NOT_FOUND when none matches." })
  async dockerNodeAsset(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'dockerNodeId, name or endpoint.' }) ref: string): Promise<DockerNodeAsset> {
    return mapNodeAsset(await ctx.services.nodeAssets.get(ref));
  }

  @Mutation(() => DockerNodeAsset, { description: "Sets or clears an assessor's overrides of a Docker node's asset facts; later collections keep them. Admins and assessors." })
  async setDockerNodeAsset(@Ctx() ctx: GraphQLContext, @Arg('input', () => SetDockerNodeAssetInput, { description: 'The node and the values.' }) input: SetDockerNodeAssetInput): Promise<DockerNodeAsset> {
    const [dockerNodeId] = keyOf(input.id, 'DockerNode');
    return mapNodeAsset(await ctx.services.nodeAssets.set(dockerNodeId!, overrideOf(input)));
  }
}
