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
