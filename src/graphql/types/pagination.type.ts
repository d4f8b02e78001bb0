/** Relay-style page info shared by every connection (cursor-paginated list). */
import { Field, ObjectType } from 'type-graphql';
import type { Connection } from '../../domain/library.js';

@ObjectType({ description: 'Where a page of a connection ends: pass endCursor as `after` for the next page.' })
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Opaque cursor of the last edge of this page.' }) endCursor?: string;
}

export function mapPageInfo(info: Connection<unknown>['pageInfo']): PageInfoType {
  return { hasNextPage: info.hasNextPage, ...(info.endCursor !== undefined ? { endCursor: info.endCursor } : {}) };
}

/** A domain connection as GraphQL edges, each node mapped. */
export function mapConnection<T, G>(c: Connection<T>, mapNode: (node: T) => G): { edges: { cursor: string; node: G }[]; pageInfo: PageInfoType; totalCount: number } {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: mapNode(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}
