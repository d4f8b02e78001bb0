import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { DockerNode } from '../../domain/node.js';

@ObjectType()
export class LabelType {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@ObjectType({ description: 'A registered Docker engine endpoint. Its TLS material is never returned (the private key is stored encrypted).' })
export class NodeType {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'unix:///path/docker.sock or tcp://host:port' }) endpoint!: string;
  @Field(() => Boolean, { description: 'Whether the node is reached with mutual TLS.' }) tls!: boolean;
  @Field(() => [LabelType]) labels!: LabelType[];
  @Field(() => String, { nullable: true }) environment?: string;
  @Field(() => String) createdAt!: string;
}

@InputType()
export class LabelInput {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@InputType({ description: 'Mutual TLS material as uploads (POST /uploads) of PEM content, all three required; the uploads are deleted once stored.' })
export class NodeTlsInput {
  @Field(() => ID, { description: 'The CA certificate that signed the engine certificate.' }) caUploadId!: string;
  @Field(() => ID, { description: 'The client certificate.' }) certUploadId!: string;
  @Field(() => ID, { description: 'The client private key (unencrypted PEM); stored encrypted with PLIMSOLL_SECRET_KEY.' }) keyUploadId!: string;
}

@InputType()
export class RegisterNodeInput {
  @Field(() => String) name!: string;
  @Field(() => String) endpoint!: string;
  @Field(() => NodeTlsInput, { nullable: true }) tls?: NodeTlsInput;
  @Field(() => [LabelInput], { nullable: true }) labels?: LabelInput[];
  @Field(() => String, { nullable: true }) environment?: string;
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
    createdAt: n.createdAt,
  };
}
