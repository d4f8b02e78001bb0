import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RegistryChanges, RegistryInput, TrustServerChanges, TrustServerInput } from '../../domain/supply-chain-registry.js';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { RegistryConnection, TrustServerConnection } from '../types/connections.type.js';
import {
  EnvironmentSignersType,
  RegisterRegistryInput,
  RegisterTrustServerInput,
  RegistryPayload,
  RegistryType,
  RemoveRegistryInput,
  RemoveSupplyChainEntryPayload,
  RemoveTrustServerInput,
  SetAllowedSignersInput,
  SetAllowedSignersPayload,
  TrustServerPayload,
  TrustServerType,
  UpdateRegistryInput,
  UpdateTrustServerInput,
  mapEnvironmentSigners,
  mapRegistry,
  mapTrustServer,
  pinsOf,
  signersOf,
} from '../types/supply-chain.type.js';

const upload = (id: string | null | undefined) => (id != null ? { uploadId: id } : undefined);
const trustServerKey = (id: string) => keyOf(id, 'TrustServer')[0]!;

function registryInput(i: RegisterRegistryInput): RegistryInput {
  const ca = upload(i.caUploadId);
  return {
    name: i.name,
    url: i.url,
    ...(i.host != null ? { host: i.host } : {}),
    ...(i.environment != null ? { environment: i.environment } : {}),
    ...(i.trustServerId != null ? { trustServer: trustServerKey(i.trustServerId) } : {}),
    ...(i.repositories != null ? { repositories: i.repositories } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(i.credentials != null ? { credentials: { username: i.credentials.username, password: i.credentials.password } } : {}),
  };
}

/** The endpoint part of an update: a new value, or null when the `clear*` flag is set. */
function endpointChanges(i: UpdateRegistryInput | UpdateTrustServerInput): RegistryChanges & TrustServerChanges {
  const ca = upload(i.caUploadId);
  return {
    ...(i.name != null ? { name: i.name } : {}),
    ...(i.url != null ? { url: i.url } : {}),
    ...(i.clearCa === true ? { ca: null } : ca !== undefined ? { ca } : {}),
    ...(i.clearCredentials === true ? { credentials: null } : i.credentials != null ? { credentials: { username: i.credentials.username, password: i.credentials.password } } : {}),
  };
}

/** Registries, trust servers and allowed signers (issue #11): anyone signed in reads, admins write. */
@Authorized()
@Resolver()
export class SupplyChainResolver {
  @Query(() => RegistryConnection, { description: 'Registered registries, by name (entries of the configuration file are not listed).' })
  async registries(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<RegistryType>> {
    return mapConnection(await ctx.services.supplyChain.pageRegistries(pageOf(page)), mapRegistry);
  }

  @Query(() => RegistryType, { nullable: true, description: 'A registered registry by id or name; null when none matches.' })
  async registry(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'registryId or name.' }) ref: string): Promise<RegistryType | undefined> {
    const r = await ctx.services.supplyChain.getRegistry(ref);
    return r && mapRegistry(r);
  }

  @Query(() => TrustServerConnection, { description: 'Registered trust servers, by name.' })
  async trustServers(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<TrustServerType>> {
    return mapConnection(await ctx.services.supplyChain.pageTrustServers(pageOf(page)), mapTrustServer);
  }

  @Query(() => TrustServerType, { nullable: true, description: 'A registered trust server by id or name; null when none matches.' })
  async trustServer(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'trustServerId or name.' }) ref: string): Promise<TrustServerType | undefined> {
    const t = await ctx.services.supplyChain.getTrustServer(ref);
    return t && mapTrustServer(t);
  }

  @Query(() => EnvironmentSignersType, { description: "An environment's registered allowed signers (empty: the default rule)." })
  async allowedSigners(@Ctx() ctx: GraphQLContext, @Arg('environment', () => String, { description: 'The environment.' }) environment: string): Promise<EnvironmentSignersType> {
    return mapEnvironmentSigners(await ctx.services.supplyChain.getSigners(environment));
  }

  @Mutation(() => RegistryPayload, { description: 'Registers a registry (admins; names are unique, and names the configuration file defines are refused: CONFLICT).' })
  async registerRegistry(@Ctx() ctx: GraphQLContext, @Arg('input', () => RegisterRegistryInput, { description: 'The registry.' }) input: RegisterRegistryInput): Promise<RegistryPayload> {
    return { registry: mapRegistry(await ctx.services.supplyChain.registerRegistry(registryInput(input))) };
  }

  @Mutation(() => RegistryPayload, { description: 'Changes a registry (admins); credentials are replaced or cleared, never shown.' })
  async updateRegistry(@Ctx() ctx: GraphQLContext, @Arg('input', () => UpdateRegistryInput, { description: 'The changes.' }) input: UpdateRegistryInput): Promise<RegistryPayload> {
    const changes: RegistryChanges = {
      ...endpointChanges(input),
      ...(input.host != null ? { host: input.host } : {}),
      ...(input.environment != null ? { environment: input.environment } : {}),
      ...(input.clearTrustServer === true ? { trustServer: null } : input.trustServerId != null ? { trustServer: trustServerKey(input.trustServerId) } : {}),
      ...(input.repositories != null ? { repositories: input.repositories } : {}),
    };
    return { registry: mapRegistry(await ctx.services.supplyChain.updateRegistry(keyOf(input.id, 'Registry')[0]!, changes)) };
  }

  @Mutation(() => RemoveSupplyChainEntryPayload, { description: 'Removes a registry (admins); later assessments no longer read it.' })
  async removeRegistry(@Ctx() ctx: GraphQLContext, @Arg('input', () => RemoveRegistryInput, { description: 'The registry.' }) input: RemoveRegistryInput): Promise<RemoveSupplyChainEntryPayload> {
    await ctx.services.supplyChain.removeRegistry(keyOf(input.id, 'Registry')[0]!);
    return { removedId: input.id };
  }

  @Mutation(() => TrustServerPayload, { description: 'Registers a trust server (admins).' })
  async registerTrustServer(@Ctx() ctx: GraphQLContext, @Arg('input', () => RegisterTrustServerInput, { description: 'The trust server.' }) input: RegisterTrustServerInput): Promise<TrustServerPayload> {
    const ca = upload(input.caUploadId);
    const server: TrustServerInput = {
      name: input.name,
      url: input.url,
      ...(ca !== undefined ? { ca } : {}),
      ...(input.credentials != null ? { credentials: { username: input.credentials.username, password: input.credentials.password } } : {}),
      ...(input.pinnedRootKeys != null ? { pinnedRootKeys: pinsOf(input.pinnedRootKeys) } : {}),
    };
    return { trustServer: mapTrustServer(await ctx.services.supplyChain.registerTrustServer(server)) };
  }

  @Mutation(() => TrustServerPayload, { description: 'Changes a trust server (admins); credentials are replaced or cleared, never shown.' })
  async updateTrustServer(@Ctx() ctx: GraphQLContext, @Arg('input', () => UpdateTrustServerInput, { description: 'The changes.' }) input: UpdateTrustServerInput): Promise<TrustServerPayload> {
    const changes: TrustServerChanges = { ...endpointChanges(input), ...(input.pinnedRootKeys != null ? { pinnedRootKeys: pinsOf(input.pinnedRootKeys) } : {}) };
    return { trustServer: mapTrustServer(await ctx.services.supplyChain.updateTrustServer(keyOf(input.id, 'TrustServer')[0]!, changes)) };
  }

  @Mutation(() => RemoveSupplyChainEntryPayload, { description: 'Removes a trust server (admins; CONFLICT while a registry uses it).' })
  async removeTrustServer(@Ctx() ctx: GraphQLContext, @Arg('input', () => RemoveTrustServerInput, { description: 'The trust server.' }) input: RemoveTrustServerInput): Promise<RemoveSupplyChainEntryPayload> {
    await ctx.services.supplyChain.removeTrustServer(keyOf(input.id, 'TrustServer')[0]!);
    return { removedId: input.id };
  }

  @Mutation(() => SetAllowedSignersPayload, { description: "Sets an environment's allowed signers (admins; CONFLICT when the configuration file sets them)." })
  async setAllowedSigners(@Ctx() ctx: GraphQLContext, @Arg('input', () => SetAllowedSignersInput, { description: 'The environment and its signers.' }) input: SetAllowedSignersInput): Promise<SetAllowedSignersPayload> {
    return { allowedSigners: mapEnvironmentSigners(await ctx.services.supplyChain.setSigners(input.environment, signersOf(input.signers))) };
  }
}
