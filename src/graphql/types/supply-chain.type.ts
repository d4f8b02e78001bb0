/**
 * GraphQL shapes of registered registries, trust servers and allowed signers. Credentials go in (over the
 * API's TLS) and never come out: the types say only whether some are stored. CA certificates arrive as
 * upload ids (POST /uploads), never as a server path.
 */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AllowedSigner } from '../../domain/supply-chain.js';
import type { EnvironmentSigners, RegisteredRegistry, RegisteredTrustServer } from '../../domain/supply-chain-registry.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';

@ObjectType('PinnedRootKeys', { description: 'Root key ids a repository (GUN pattern) must be signed by (Notary trust pinning).' })
export class PinnedRootKeysType {
  @Field(() => String, { description: 'A GUN (`registry-host/repository`) or a `prefix/*` pattern.' }) gun!: string;
  @Field(() => [String], { description: 'TUF key ids (64 hex digits).' }) keyIds!: string[];
}

@ObjectType('TrustServer', { implements: NodeInterface, description: 'A registered trust server (Notary). Its credentials are stored encrypted and never returned.' })
export class TrustServerType extends NodeInterface {
  @Field(() => String, { description: "Plimsoll's id of the trust server." }) trustServerId!: string;
  @Field(() => String, { description: 'Unique name; registries name their trust server by it.' }) name!: string;
  @Field(() => String, { description: 'Base URL (https://host:port).' }) url!: string;
  @Field(() => String, { nullable: true, description: "The CA certificate (PEM) the server's certificate is verified against; null: the system's CAs." }) caPem?: string;
  @Field(() => Boolean, { description: 'Whether credentials are stored (they are never returned).' }) hasCredentials!: boolean;
  @Field(() => String, { nullable: true, description: 'When the credentials were last set or cleared (ISO date-time).' }) credentialsUpdatedAt?: string;
  @Field(() => [PinnedRootKeysType], { description: 'Pinned root keys per GUN pattern (at most 200).' }) pinnedRootKeys!: PinnedRootKeysType[];
  @Field(() => String, { description: 'Who registered it.' }) createdBy!: string;
  @Field(() => String, { description: 'When it was registered (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { description: 'When it last changed (ISO date-time).' }) updatedAt!: string;
  __typename!: NodeTypeName;
}

@ObjectType('Registry', { implements: NodeInterface, description: 'A registered container registry of an environment. Its credentials are stored encrypted and never returned.' })
export class RegistryType extends NodeInterface {
  @Field(() => String, { description: "Plimsoll's id of the registry." }) registryId!: string;
  @Field(() => String, { description: 'Unique name, as evidence names it.' }) name!: string;
  @Field(() => String, { description: 'Base URL of the Registry HTTP API v2 (https://, or http:// on a loopback address).' }) url!: string;
  @Field(() => String, { description: 'The registry host as image references name it (host or host:port).' }) host!: string;
  @Field(() => String, { description: 'The environment whose nodes pull from it ("default" when none was given).' }) environment!: string;
  @Field(() => String, { nullable: true, description: "The CA certificate (PEM) the registry's certificate is verified against; null: the system's CAs." }) caPem?: string;
  @Field(() => Boolean, { description: 'Whether credentials are stored (they are never returned).' }) hasCredentials!: boolean;
  @Field(() => String, { nullable: true, description: 'When the credentials were last set or cleared (ISO date-time).' }) credentialsUpdatedAt?: string;
  @Field(() => String, { nullable: true, description: 'Name of the registered trust server holding its signatures; null: signatures are not verified.' }) trustServerName?: string;
  @Field(() => [String], { nullable: true, description: 'Repositories assessed (names or `prefix/*`, at most 200); null: the whole catalog.' }) repositories?: string[];
  @Field(() => String, { description: 'Who registered it.' }) createdBy!: string;
  @Field(() => String, { description: 'When it was registered (ISO date-time).' }) createdAt!: string;
  @Field(() => String, { description: 'When it last changed (ISO date-time).' }) updatedAt!: string;
  __typename!: NodeTypeName;
}

@ObjectType('AllowedSigner', { description: 'A signer whose signature makes an image trusted: a targets role and, optionally, the only key ids that count.' })
export class AllowedSignerType {
  @Field(() => String, { description: 'A targets role, e.g. "targets/releases".' }) role!: string;
  @Field(() => [String], { nullable: true, description: 'Key ids whose signatures on the role count (at most 200); null: any key of the role.' }) keyIds?: string[];
}

@ObjectType('EnvironmentSigners', { description: 'The allowed signers registered for an environment.' })
export class EnvironmentSignersType {
  @Field(() => String, { description: 'The environment.' }) environment!: string;
  @Field(() => [AllowedSignerType], { description: 'The signers (at most 200); empty: Docker Content Trust\'s default rule (targets/releases, else targets).' }) signers!: AllowedSignerType[];
  @Field(() => String, { nullable: true, description: 'When they were set (ISO date-time).' }) updatedAt?: string;
  @Field(() => String, { nullable: true, description: 'Who set them.' }) updatedBy?: string;
}

@InputType('RemoteCredentialsInput', { description: 'A user name and password for a registry or trust server: stored encrypted (PLIMSOLL_SECRET_KEY), sent over https:// only, never returned.' })
export class RemoteCredentialsInput {
  @Field(() => String, { description: 'User name (no ":").' }) username!: string;
  @Field(() => String, { description: 'Password or access token.' }) password!: string;
}

@InputType('PinnedRootKeysInput', { description: 'Root key ids a repository (GUN pattern) must be signed by.' })
export class PinnedRootKeysInput {
  @Field(() => String, { description: 'A GUN (`registry-host/repository`) or a `prefix/*` pattern.' }) gun!: string;
  @Field(() => [String], { description: 'TUF key ids (64 lowercase hex digits).' }) keyIds!: string[];
}

@InputType('RegisterTrustServerInput', { description: 'A trust server (Notary) to register.' })
export class RegisterTrustServerInput {
  @Field(() => String, { description: 'Unique name.' }) name!: string;
  @Field(() => String, { description: 'Base URL, https://host:port.' }) url!: string;
  @Field(() => ID, { nullable: true, description: "Upload (POST /uploads) of the CA certificate (PEM) that signs the server's certificate; deleted once stored." }) caUploadId?: string;
  @Field(() => RemoteCredentialsInput, { nullable: true, description: 'Credentials, when the server asks for them.' }) credentials?: RemoteCredentialsInput;
  @Field(() => [PinnedRootKeysInput], { nullable: true, description: 'Pinned root keys per GUN pattern.' }) pinnedRootKeys?: PinnedRootKeysInput[];
}

@InputType('UpdateTrustServerInput', { description: 'Changes to a trust server: omitted fields stay.' })
export class UpdateTrustServerInput {
  @Field(() => ID, { description: 'Global id of the TrustServer.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'A new name.' }) name?: string;
  @Field(() => String, { nullable: true, description: 'A new base URL.' }) url?: string;
  @Field(() => ID, { nullable: true, description: 'Upload of a new CA certificate (PEM).' }) caUploadId?: string;
  @Field(() => Boolean, { nullable: true, description: "True: forget the CA (the system's CAs verify the server)." }) clearCa?: boolean;
  @Field(() => RemoteCredentialsInput, { nullable: true, description: 'New credentials (replace the stored ones).' }) credentials?: RemoteCredentialsInput;
  @Field(() => Boolean, { nullable: true, description: 'True: delete the stored credentials.' }) clearCredentials?: boolean;
  @Field(() => [PinnedRootKeysInput], { nullable: true, description: 'The pinned root keys (replace the stored ones; an empty list removes them).' }) pinnedRootKeys?: PinnedRootKeysInput[];
}

@InputType('RegisterRegistryInput', { description: 'A container registry to register.' })
export class RegisterRegistryInput {
  @Field(() => String, { description: 'Unique name.' }) name!: string;
  @Field(() => String, { description: 'Base URL of the Registry HTTP API v2: https://host:port (http:// only on a loopback address, without credentials).' }) url!: string;
  @Field(() => String, { nullable: true, description: "The host as image references name it; default: the URL's host and port." }) host?: string;
  @Field(() => String, { nullable: true, description: 'The environment whose nodes pull from it; default "default".' }) environment?: string;
  @Field(() => ID, { nullable: true, description: 'Global id of the TrustServer holding its signatures.' }) trustServerId?: string;
  @Field(() => [String], { nullable: true, description: 'Repositories to assess (names or `prefix/*`); omitted: the whole catalog.' }) repositories?: string[];
  @Field(() => ID, { nullable: true, description: "Upload (POST /uploads) of the CA certificate (PEM) that signs the registry's certificate; deleted once stored." }) caUploadId?: string;
  @Field(() => RemoteCredentialsInput, { nullable: true, description: 'Credentials for Basic or bearer-token auth.' }) credentials?: RemoteCredentialsInput;
}

@InputType('UpdateRegistryInput', { description: 'Changes to a registry: omitted fields stay.' })
export class UpdateRegistryInput {
  @Field(() => ID, { description: 'Global id of the Registry.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'A new name.' }) name?: string;
  @Field(() => String, { nullable: true, description: 'A new base URL.' }) url?: string;
  @Field(() => String, { nullable: true, description: 'A new host.' }) host?: string;
  @Field(() => String, { nullable: true, description: 'A new environment.' }) environment?: string;
  @Field(() => ID, { nullable: true, description: 'Global id of a TrustServer.' }) trustServerId?: string;
  @Field(() => Boolean, { nullable: true, description: 'True: no trust server (signatures are not verified).' }) clearTrustServer?: boolean;
  @Field(() => [String], { nullable: true, description: 'The repositories to assess (an empty list: the whole catalog).' }) repositories?: string[];
  @Field(() => ID, { nullable: true, description: 'Upload of a new CA certificate (PEM).' }) caUploadId?: string;
  @Field(() => Boolean, { nullable: true, description: "True: forget the CA (the system's CAs verify the registry)." }) clearCa?: boolean;
  @Field(() => RemoteCredentialsInput, { nullable: true, description: 'New credentials (replace the stored ones).' }) credentials?: RemoteCredentialsInput;
  @Field(() => Boolean, { nullable: true, description: 'True: delete the stored credentials.' }) clearCredentials?: boolean;
}

@InputType('RemoveRegistryInput', { description: 'The registry to remove.' })
export class RemoveRegistryInput {
  @Field(() => ID, { description: 'Global id of the Registry.' }) id!: string;
}

@InputType('RemoveTrustServerInput', { description: 'The trust server to remove (refused while a registry uses it).' })
export class RemoveTrustServerInput {
  @Field(() => ID, { description: 'Global id of the TrustServer.' }) id!: string;
}

@InputType('AllowedSignerInput', { description: 'A signer whose signature makes an image trusted.' })
export class AllowedSignerInput {
  @Field(() => String, { description: 'A targets role, e.g. "targets/releases" or "targets/alice".' }) role!: string;
  @Field(() => [String], { nullable: true, description: 'The only key ids whose signatures on the role count; omitted: any key of the role.' }) keyIds?: string[];
}

@InputType('SetAllowedSignersInput', { description: "An environment's allowed signers, replacing the registered ones." })
export class SetAllowedSignersInput {
  @Field(() => String, { description: 'The environment (e.g. "prod").' }) environment!: string;
  @Field(() => [AllowedSignerInput], { description: "The signers; an empty list returns the environment to Docker Content Trust's default rule." }) signers!: AllowedSignerInput[];
}

@ObjectType('RegistryPayload', { description: 'The registry as stored.' })
export class RegistryPayload {
  @Field(() => RegistryType, { description: 'The registry.' }) registry!: RegistryType;
}

@ObjectType('TrustServerPayload', { description: 'The trust server as stored.' })
export class TrustServerPayload {
  @Field(() => TrustServerType, { description: 'The trust server.' }) trustServer!: TrustServerType;
}

@ObjectType('RemoveSupplyChainEntryPayload', { description: 'The result of removing a registry or trust server.' })
export class RemoveSupplyChainEntryPayload {
  @Field(() => ID, { description: 'Global id of the removed object: drop it from client caches.' }) removedId!: string;
}

@ObjectType('SetAllowedSignersPayload', { description: "The environment's allowed signers as stored." })
export class SetAllowedSignersPayload {
  @Field(() => EnvironmentSignersType, { description: 'The signers.' }) allowedSigners!: EnvironmentSignersType;
}

export function mapRegistry(r: RegisteredRegistry): RegistryType {
  return {
    id: toGlobalId('Registry', r.id),
    __typename: 'Registry',
    registryId: r.id,
    name: r.name,
    url: r.url,
    host: r.host,
    environment: r.environment,
    ...(r.caPem !== undefined ? { caPem: r.caPem } : {}),
    hasCredentials: r.hasCredentials,
    ...(r.credentialsUpdatedAt !== undefined ? { credentialsUpdatedAt: r.credentialsUpdatedAt } : {}),
    ...(r.trustServer !== undefined ? { trustServerName: r.trustServer } : {}),
    ...(r.repositories !== undefined ? { repositories: r.repositories } : {}),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function mapTrustServer(t: RegisteredTrustServer): TrustServerType {
  return {
    id: toGlobalId('TrustServer', t.id),
    __typename: 'TrustServer',
    trustServerId: t.id,
    name: t.name,
    url: t.url,
    ...(t.caPem !== undefined ? { caPem: t.caPem } : {}),
    hasCredentials: t.hasCredentials,
    ...(t.credentialsUpdatedAt !== undefined ? { credentialsUpdatedAt: t.credentialsUpdatedAt } : {}),
    pinnedRootKeys: Object.entries(t.pinnedRootKeys).map(([gun, keyIds]) => ({ gun, keyIds })),
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

export function mapEnvironmentSigners(e: EnvironmentSigners): EnvironmentSignersType {
  return {
    environment: e.environment,
    signers: e.signers.map((s) => ({ role: s.role, ...(s.keyIds !== undefined ? { keyIds: s.keyIds } : {}) })),
    ...(e.updatedAt !== undefined ? { updatedAt: e.updatedAt } : {}),
    ...(e.updatedBy !== undefined ? { updatedBy: e.updatedBy } : {}),
  };
}

/** GraphQL signers → domain signers. */
export function signersOf(input: readonly AllowedSignerInput[]): AllowedSigner[] {
  return input.map((s) => ({ role: s.role, ...(s.keyIds != null ? { keyIds: s.keyIds } : {}) }));
}

/** GraphQL pins → a map; a GUN given twice keeps the union of its key ids. */
export function pinsOf(input: readonly PinnedRootKeysInput[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of input) out[p.gun] = [...new Set([...(out[p.gun] ?? []), ...p.keyIds])];
  return out;
}
