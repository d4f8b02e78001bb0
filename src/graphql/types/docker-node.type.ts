/** GraphQL shapes of Docker nodes: the engines Plimsoll assesses (named DockerNode: `Node` is Relay's interface). */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { DockerNode } from '../../domain/node.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';

@ObjectType('Label', { description: 'A label: a key and its value.' })
export class LabelType {
  @Field(() => String, { description: 'Label key, e.g. "env".' }) key!: string;
  @Field(() => String, { description: 'Label value, e.g. "prod".' }) value!: string;
}

@ObjectType('DockerNode', { implements: NodeInterface, description: 'A registered Docker engine endpoint. Its TLS material is never returned (the private key is stored encrypted).' })
export class DockerNodeType extends NodeInterface {
  @Field(() => String, { description: "Plimsoll's id of the node, as assessments list it in `dockerNodeIds`." }) dockerNodeId!: string;
  @Field(() => String, { description: 'Unique name; assessments and exemptions take it as a node reference.' }) name!: string;
  @Field(() => String, { description: 'unix:///path/docker.sock or tcp://host:port.' }) endpoint!: string;
  @Field(() => Boolean, { description: 'Whether the node is reached with mutual TLS.' }) tls!: boolean;
  @Field(() => [LabelType], { description: 'Labels given at registration (e.g. env=prod).' }) labels!: LabelType[];
  @Field(() => String, { nullable: true, description: 'Environment name given at registration (e.g. "production").' }) environment?: string;
  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive regular expression over container names and images naming the platform containers the STIG checks leave out; null: each rule's STIG pattern (e.g. ucp|kube|dtr).",
  })
  platformContainerPattern?: string;
  @Field(() => String, { description: 'When it was registered (ISO date-time).' }) createdAt!: string;
  __typename!: NodeTypeName;
}

@InputType('LabelInput', { description: 'A label to set or match.' })
export class LabelInput {
  @Field(() => String, { description: 'Label key; each key at most once per list.' }) key!: string;
  @Field(() => String, { description: 'Label value.' }) value!: string;
}

@InputType('DockerNodeTlsInput', {
  description: 'Mutual TLS material as uploads (POST /uploads) of PEM content, all three required; the uploads are deleted once stored, the key encrypted with PLIMSOLL_SECRET_KEY.',
})
export class DockerNodeTlsInput {
  @Field(() => ID, { description: 'Upload of the CA certificate that signed the engine certificate.' }) caUploadId!: string;
  @Field(() => ID, { description: 'Upload of the client certificate.' }) certUploadId!: string;
  @Field(() => ID, { description: 'Upload of the client private key (unencrypted PEM); stored encrypted, never returned.' }) keyUploadId!: string;
}

@InputType('RegisterDockerNodeInput', { description: 'A Docker engine to register.' })
export class RegisterDockerNodeInput {
  @Field(() => String, { description: 'Unique name for the node.' }) name!: string;
  @Field(() => String, { description: 'unix:///var/run/docker.sock (a socket on the Plimsoll host) or tcp://host:port (tcp needs `tls` unless the engine is on this host).' }) endpoint!: string;
  @Field(() => DockerNodeTlsInput, { nullable: true, description: 'Mutual TLS material for a tcp:// endpoint.' }) tls?: DockerNodeTlsInput;
  @Field(() => [LabelInput], { nullable: true, description: 'Labels of the node (e.g. env=prod).' }) labels?: LabelInput[];
  @Field(() => String, { nullable: true, description: 'Environment name (e.g. "production").' }) environment?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Platform containers (UCP, DTR, Kubernetes) the STIG checks leave out: a case-insensitive regular expression over container names and images. Omitted: each rule\'s STIG pattern; "": none is left out.',
  })
  platformContainerPattern?: string;
}

@InputType('RemoveDockerNodeInput', { description: 'The node to remove.' })
export class RemoveDockerNodeInput {
  @Field(() => ID, { description: 'Global id of the DockerNode.' }) id!: string;
}

@ObjectType('RemoveDockerNodePayload', { description: 'The result of removing a node.' })
export class RemoveDockerNodePayload {
  @Field(() => ID, { description: 'Global id of the removed DockerNode: drop it from client caches.' }) removedId!: string;
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

export function mapDockerNode(n: DockerNode): DockerNodeType {
  return {
    id: toGlobalId('DockerNode', n.id),
    __typename: 'DockerNode',
    dockerNodeId: n.id,
    name: n.name,
    endpoint: n.endpoint,
    tls: n.tls !== undefined,
    labels: Object.entries(n.labels).map(([key, value]) => ({ key, value })),
    ...(n.environment !== undefined ? { environment: n.environment } : {}),
    ...(n.platformContainerPattern !== undefined ? { platformContainerPattern: n.platformContainerPattern } : {}),
    createdAt: n.createdAt,
  };
}
