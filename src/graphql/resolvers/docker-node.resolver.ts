import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { NodeInput } from '../../domain/node.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { DockerNodeConnection } from '../types/connections.type.js';
import { DockerNodeType, RegisterDockerNodeInput, RemoveDockerNodeInput, RemoveDockerNodePayload, labelsOf, mapDockerNode } from '../types/docker-node.type.js';

function toNodeInput(input: RegisterDockerNodeInput): NodeInput {
  return {
    name: input.name,
    endpoint: input.endpoint,
    labels: labelsOf(input.labels),
    ...(input.tls ? { tls: { ca: { uploadId: input.tls.caUploadId }, cert: { uploadId: input.tls.certUploadId }, key: { uploadId: input.tls.keyUploadId } } } : {}),
    ...(input.environment != null ? { environment: input.environment } : {}),
    ...(input.platformContainerPattern != null ? { platformContainerPattern: input.platformContainerPattern } : {}),
  };
}

/** Docker nodes: registered engine endpoints. */
@Authorized()
@Resolver()
export class DockerNodeResolver {
  @Query(() => DockerNodeConnection, { description: 'Registered Docker nodes, by name.' })
  async dockerNodes(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<DockerNodeType>> {
    return mapConnection(await ctx.services.nodes.page(pageOf(page)), mapDockerNode);
  }

  @Query(() => DockerNodeType, { nullable: true, description: 'A Docker node by its dockerNodeId, name or endpoint; null when none matches.' })
  async dockerNode(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'dockerNodeId, name or endpoint.' }) ref: string): Promise<DockerNodeType | undefined> {
    const n = await ctx.services.nodes.find(ref);
    return n && mapDockerNode(n);
  }

  @Mutation(() => DockerNodeType, { description: 'Registers a Docker engine (names and endpoints are unique: CONFLICT otherwise). Admins and assessors.' })
  async registerDockerNode(@Ctx() ctx: GraphQLContext, @Arg('input', () => RegisterDockerNodeInput, { description: 'The engine to register.' }) input: RegisterDockerNodeInput): Promise<DockerNodeType> {
    return mapDockerNode(await ctx.services.nodes.register(toNodeInput(input)));
  }

  @Mutation(() => RemoveDockerNodePayload, {
    description: 'Removes a registered node: it leaves `dockerNodes` and lookups and its name is free again; its assessments, target history and asset facts stay, by dockerNodeId. Admins and assessors.',
  })
  async removeDockerNode(@Ctx() ctx: GraphQLContext, @Arg('input', () => RemoveDockerNodeInput, { description: 'The node to remove.' }) input: RemoveDockerNodeInput): Promise<RemoveDockerNodePayload> {
    const [dockerNodeId] = keyOf(input.id, 'DockerNode');
    await ctx.services.nodes.remove(dockerNodeId!);
    return { removedId: input.id };
  }
}
