import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { DocumentType, GroupType, mapDocument, mapGroup } from '../types/content.type.js';

/** A catalog is a document of kind catalog; its groups are resolved on demand. */
@Authorized()
@Resolver(() => DocumentType)
export class CatalogResolver {
  @Query(() => [DocumentType], { description: 'Imported OSCAL catalogs.' })
  async catalogs(@Ctx() ctx: GraphQLContext): Promise<DocumentType[]> {
    return (await ctx.services.library.listDocuments('catalog')).map(mapDocument);
  }

  @Query(() => DocumentType, { nullable: true })
  async catalog(@Ctx() ctx: GraphQLContext, @Arg('documentId', () => String) documentId: string): Promise<DocumentType | undefined> {
    const d = await ctx.services.library.getDocument(documentId);
    return d?.kind === 'catalog' ? mapDocument(d) : undefined;
  }

  @FieldResolver(() => [GroupType], { description: 'Top-level groups of a catalog (empty for other kinds).' })
  async groups(@Ctx() ctx: GraphQLContext, @Root() doc: DocumentType): Promise<GroupType[]> {
    if (doc.kind !== 'catalog') return [];
    return (await ctx.services.library.listGroups(doc.documentId)).map(mapGroup);
  }
}
