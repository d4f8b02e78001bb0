/** The Relay Node interface: every main entity has an opaque global `id` that `Query.node` refetches. */
import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType('Node', {
  description: 'An object with a global id: refetch it with `node(id:)`; client caches normalise on it.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class NodeInterface {
  @Field(() => ID, { description: 'Opaque global id, stable for the life of the object. Do not parse it.' }) id!: string;
}
