import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { NodeInput } from '../../domain/node.js';
import { principalOf, type GraphQLContext } from '../context.js';
import { NodeType, RegisterNodeInput, labelsOf, mapNode } from '../types/node.type.js';

function toNodeInput(input: RegisterNodeInput): NodeInput {
  const labels = labelsOf(input.labels);
  return {
    name: input.name,
    endpoint: input.endpoint,
    labels,
    ...(input.tls ? { tls: { ca: { uploadId: input.tls.caUploadId }, cert: { uploadId: input.tls.certUploadId }, key: { uploadId: input.tls.keyUploadId } } } : {}),
    ...(input.environment !== undefined ? { environment: input.environment } : {}),
  };
}

@Authorized()
@Resolver()
export class NodeResolver {
  @Query(() => [NodeType])
  async nodes(@Ctx() ctx: GraphQLContext): Promise<NodeType[]> {
    return (await ctx.services.nodes.list()).map(mapNode);
  }

  @Query(() => NodeType, { nullable: true, description: 'By id, name or endpoint.' })
  async node(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String) ref: string): Promise<NodeType | undefined> {
    const n = await ctx.services.nodes.find(ref);
    return n && mapNode(n);
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => NodeType)
  async registerNode(@Ctx() ctx: GraphQLContext, @Arg('input', () => RegisterNodeInput) input: RegisterNodeInput): Promise<NodeType> {
    return mapNode(await ctx.services.nodes.register(toNodeInput(input), principalOf(ctx)));
  }

  @Authorized('admin', 'assessor')
  @Mutation(() => Boolean)
  async removeNode(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String) ref: string): Promise<boolean> {
    await ctx.services.nodes.remove(ref, principalOf(ctx));
    return true;
  }
}
