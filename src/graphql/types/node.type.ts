import { Field, InputType, ObjectType } from 'type-graphql';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { DockerNode } from '../../domain/node.js';

@ObjectType()
export class LabelType {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@ObjectType({ description: 'A registered Docker engine endpoint. TLS material is referenced by path, never returned.' })
export class NodeType {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'unix:///path/docker.sock or tcp://host:port' }) endpoint!: string;
  @Field(() => Boolean, { description: 'Whether the node is reached with mutual TLS.' }) tls!: boolean;
  @Field(() => [LabelType]) labels!: LabelType[];
  @Field(() => String, { nullable: true }) environment?: string;
  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive regular expression over container names and images naming the platform containers the STIG checks leave out; null: each rule's STIG pattern (ucp|kube|dtr).",
  })
  platformContainerPattern?: string;
  @Field(() => String) createdAt!: string;
}

@InputType()
export class LabelInput {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@InputType({ description: 'PEM file paths on the server, all three required for mutual TLS.' })
export class NodeTlsInput {
  @Field(() => String) caPath!: string;
  @Field(() => String) certPath!: string;
  @Field(() => String) keyPath!: string;
}

@InputType()
export class RegisterNodeInput {
  @Field(() => String) name!: string;
  @Field(() => String) endpoint!: string;
  @Field(() => NodeTlsInput, { nullable: true }) tls?: NodeTlsInput;
  @Field(() => [LabelInput], { nullable: true }) labels?: LabelInput[];
  @Field(() => String, { nullable: true }) environment?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Platform containers (UCP, DTR, Kubernetes) the STIG checks leave out: a case-insensitive regular expression over container names and images. Omitted: each rule\'s STIG pattern; "": none is left out.',
  })
  platformContainerPattern?: string;
}

/** GraphQL label pairs → a label map; a key given twice is refused. */
export function labelsOf(pairs: readonly LabelInput[] | null | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { key, value } of pairs ?? []) {
    if (key in labels) throw new PlimsollError(ErrorCode.BAD_INPUT, `label "${key}" is given twice`);
    labels[key] = value;
  }
  return labels;
}

export function mapNode(n: DockerNode): NodeType {
  return {
    id: n.id,
    name: n.name,
    endpoint: n.endpoint,
    tls: n.tls !== undefined,
    labels: Object.entries(n.labels).map(([key, value]) => ({ key, value })),
    ...(n.environment !== undefined ? { environment: n.environment } : {}),
    ...(n.platformContainerPattern !== undefined ? { platformContainerPattern: n.platformContainerPattern } : {}),
    createdAt: n.createdAt,
  };
}
