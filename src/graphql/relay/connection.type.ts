/**
 * Relay connections: the PageInfo type, the paging arguments, and a factory that declares a `XConnection`
 * and `XEdge` type for a node type. Every list that can grow is one of these, with the page size capped
 * (src/domain/paging.ts): a `first` or `last` above the cap is refused with BAD_INPUT, never clamped.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Connection, type PageInfo, type PageRequest } from '../../domain/paging.js';

@ObjectType('PageInfo', { description: 'Where a page sits in its list. Pass `endCursor` as `after` for the next page, `startCursor` as `before` for the previous one.' })
export class PageInfoType {
  @Field(() => Boolean, { description: 'True when edges follow this page (in list order).' }) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'True when edges precede this page. Paging forward, it is true whenever `after` was given.' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of this page; null on an empty page.' }) startCursor?: string;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; null on an empty page.' }) endCursor?: string;
}

const FIRST = `Returns the first edges of the list (after \`after\`): 0 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}. A larger value is refused with BAD_INPUT.`;
const AFTER = 'Returns edges after this cursor (an edge cursor or `pageInfo.endCursor` of a previous page).';
const LAST = `Returns the last edges of the list (before \`before\`): 0 to ${MAX_PAGE_SIZE}. A larger value is refused with BAD_INPUT.`;
const BEFORE = 'Returns edges before this cursor (an edge cursor or `pageInfo.startCursor` of a later page).';

/** Forward paging only (search results, whose relevance order can't be walked backward). */
@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: FIRST }) first?: number;
  @Field(() => String, { nullable: true, description: AFTER }) after?: string;
}

/** Paging both ways. */
@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: LAST }) last?: number;
  @Field(() => String, { nullable: true, description: BEFORE }) before?: string;
}

/** The page request of paging arguments (GraphQL nulls dropped). */
export function pageOf(args: Partial<PageArgs>): PageRequest {
  const out: PageRequest = {};
  if (args.first != null) out.first = args.first;
  if (args.after != null) out.after = args.after;
  if (args.last != null) out.last = args.last;
  if (args.before != null) out.before = args.before;
  return out;
}

/** The shape every connection type has (what resolvers return). */
export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoType;
  totalCount: number;
}

/**
 * Declares `${name}Connection` and `${name}Edge` for a node type. `what` names the items in the plural
 * for descriptions ("assessments").
 */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T> | object, what: string): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One of a page of ${what}, with its cursor.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this edge: pass it as `after` or `before` to page from here.' }) cursor!: string;
    @Field(() => nodeType, { description: `One of the ${what}.` }) node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}.` })
  class ConnectionClass {
    @Field(() => [Edge], { description: `The ${what} of this page, in list order.` }) edges!: Edge[];
    @Field(() => PageInfoType, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoType;
    @Field(() => Int, { description: `How many ${what} the whole list holds (every page, with the same filter).` }) totalCount!: number;
  }
  return ConnectionClass;
}

/** A domain connection mapped to its GraphQL shape. */
export function mapConnection<T, U>(c: Connection<T>, map: (node: T) => U): ConnectionShape<U> {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}

function mapPageInfo(p: PageInfo): PageInfoType {
  return { hasNextPage: p.hasNextPage, hasPreviousPage: p.hasPreviousPage, ...(p.startCursor !== undefined ? { startCursor: p.startCursor } : {}), ...(p.endCursor !== undefined ? { endCursor: p.endCursor } : {}) };
}
