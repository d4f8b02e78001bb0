/** GraphQL shapes of a Docker node's asset facts (for checklists): each value with where it came from. */
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { AssetFacts as DomainAssetFacts, AssetOverrideInput, AssetValue, NodeAsset as DomainNodeAsset } from '../../domain/asset.js';

export enum AssetSourceEnum {
  ENGINE = 'engine',
  HOST = 'host',
  ENDPOINT = 'endpoint',
  ASSESSOR = 'assessor',
}
registerEnumType(AssetSourceEnum, {
  name: 'AssetSource',
  description: 'Where an asset value came from.',
  valuesConfig: {
    ENGINE: { description: "The Docker engine's GET /info." },
    HOST: { description: "The host's own files (/etc/hostname, /etc/hosts, /sys/class/net)." },
    ENDPOINT: { description: "The Docker node's registered endpoint." },
    ASSESSOR: { description: 'An assessor set it (an override that later collections keep).' },
  },
});

@ObjectType('AssetText', { description: 'One asset value and its provenance.' })
export class AssetText {
  @Field(() => String, { description: 'The value.' }) value!: string;
  @Field(() => AssetSourceEnum, { description: 'Where it came from.' }) source!: AssetSourceEnum;
  @Field(() => String, { description: 'Where exactly (API field, file, or the assessor\'s note).' }) detail!: string;
  @Field(() => String, { description: 'When it was collected or set.' }) recordedAt!: string;
  @Field(() => String, { nullable: true, description: 'The assessor who set it.' }) recordedBy?: string;
}

@ObjectType('AssetList', { description: 'A list of asset values (addresses) and their provenance.' })
export class AssetList {
  @Field(() => [String], { description: 'The values (at most 64 addresses).' }) values!: string[];
  @Field(() => AssetSourceEnum, { description: 'Where the first came from.' }) source!: AssetSourceEnum;
  @Field(() => String, { description: 'Where each came from.' }) detail!: string;
  @Field(() => String, { description: 'When they were collected or set.' }) recordedAt!: string;
  @Field(() => String, { nullable: true, description: 'The assessor who set them.' }) recordedBy?: string;
}

@ObjectType('AssetReadError', { description: 'A host file the asset collection could not read (anything but "no such file"), and why.' })
export class AssetReadError {
  @Field(() => String, { description: 'The file on the assessed host (never a path on the Plimsoll server), with how it was read (host root or helper container).' }) hostPath!: string;
  @Field(() => String, { description: 'The cause, e.g. "EACCES: permission denied (readFile)".' }) error!: string;
}

@ObjectType('AssetFacts', { description: "A host's identity as checklists record it; a value no source gives is null." })
export class AssetFacts {
  @Field(() => AssetText, { nullable: true, description: 'Host name (short).' }) hostName?: AssetText;
  @Field(() => AssetText, { nullable: true, description: 'Fully qualified domain name.' }) fqdn?: AssetText;
  @Field(() => AssetList, { nullable: true, description: 'IP addresses.' }) ipAddresses?: AssetList;
  @Field(() => AssetList, { nullable: true, description: 'MAC addresses of the network devices.' }) macAddresses?: AssetList;
  @Field(() => AssetText, { nullable: true, description: 'Operating system, kernel and architecture.' }) os?: AssetText;
  @Field(() => AssetText, { nullable: true, description: 'Role (swarm manager, swarm worker, standalone engine, or what an assessor sets).' }) role?: AssetText;
  @Field(() => [AssetReadError], {
    description: 'Host files the collection could not read, with the cause (at most a few, bounded by the 64 interfaces read): a value they would give is unknown, not absent. Empty for overrides.',
  })
  unreadable!: AssetReadError[];
}

@ObjectType('DockerNodeAsset', { description: "A Docker node's asset facts: as collected, the assessor's overrides, and the effective view." })
export class DockerNodeAsset {
  @Field(() => String, { description: 'dockerNodeId of the node.' }) dockerNodeId!: string;
  @Field(() => AssetFacts, { description: 'Per field, the override when there is one, else the collected value.' }) effective!: AssetFacts;
  @Field(() => AssetFacts, { description: 'What the last collection found.' }) collected!: AssetFacts;
  @Field(() => String, { nullable: true, description: 'When the last collection ran.' }) collectedAt?: string;
  @Field(() => AssetFacts, { description: 'What assessors set.' }) overrides!: AssetFacts;
}

@InputType('SetDockerNodeAssetInput', { description: "Overrides of a Docker node's asset facts: a value sets one, null clears it (the collected value shows again), an absent field keeps it." })
export class SetDockerNodeAssetInput {
  @Field(() => ID, { description: 'Global id of the DockerNode (a removed node keeps its id).' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Host name.' }) hostName?: string | null;
  @Field(() => String, { nullable: true, description: 'Fully qualified domain name.' }) fqdn?: string | null;
  @Field(() => [String], { nullable: true, description: 'IP addresses (IPv4 or IPv6).' }) ipAddresses?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'MAC addresses (six hex pairs).' }) macAddresses?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Operating system.' }) os?: string | null;
  @Field(() => String, { nullable: true, description: 'Role, e.g. Member Server.' }) role?: string | null;
  @Field(() => String, { nullable: true, description: 'Why (kept with the values).' }) note?: string;
}

function text(v: AssetValue<string> | undefined): AssetText | undefined {
  return v && { value: v.value, source: v.source as AssetSourceEnum, detail: v.detail, recordedAt: v.recordedAt, ...(v.recordedBy !== undefined ? { recordedBy: v.recordedBy } : {}) };
}

function list(v: AssetValue<string[]> | undefined): AssetList | undefined {
  return v && { values: v.value, source: v.source as AssetSourceEnum, detail: v.detail, recordedAt: v.recordedAt, ...(v.recordedBy !== undefined ? { recordedBy: v.recordedBy } : {}) };
}

export function mapAssetFacts(a: DomainAssetFacts): AssetFacts {
  const out: AssetFacts = { unreadable: (a.unreadable ?? []).map((e) => ({ hostPath: e.path, error: e.error })) };
  const set = <K extends keyof AssetFacts>(k: K, v: AssetFacts[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('hostName', text(a.hostName));
  set('fqdn', text(a.fqdn));
  set('ipAddresses', list(a.ipAddresses));
  set('macAddresses', list(a.macAddresses));
  set('os', text(a.os));
  set('role', text(a.role));
  return out;
}

export function mapNodeAsset(a: DomainNodeAsset): DockerNodeAsset {
  return { dockerNodeId: a.nodeId, effective: mapAssetFacts(a.effective), collected: mapAssetFacts(a.collected), ...(a.collectedAt !== undefined ? { collectedAt: a.collectedAt } : {}), overrides: mapAssetFacts(a.overrides) };
}

/** GraphQL input → the service's override input (GraphQL's explicit null clears, an absent field keeps). */
export function overrideOf(input: SetDockerNodeAssetInput): AssetOverrideInput {
  const out: AssetOverrideInput = {};
  for (const key of ['hostName', 'fqdn', 'ipAddresses', 'macAddresses', 'os', 'role'] as const) {
    if (key in input && input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  }
  if (typeof input.note === 'string') out.note = input.note;
  return out;
}
