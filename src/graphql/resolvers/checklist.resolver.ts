import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { parseExpiry } from '../../reviews/review-validation.js';
import type { GraphQLContext } from '../context.js';
import { keyOf } from '../relay/global-id.js';
import { ImportChecklistInput, ImportChecklistPayload, mapChecklistImport } from '../types/checklist.type.js';

/** STIG Viewer checklists in: one service call; the service reads the upload and keeps everything or nothing. */
@Authorized()
@Resolver()
export class ChecklistResolver {
  @Mutation(() => ImportChecklistPayload, { description: 'Imports a CKL or CKLB as manual reviews submitted by the caller (all or nothing). Admins and assessors.' })
  async importChecklist(@Ctx() ctx: GraphQLContext, @Arg('input', () => ImportChecklistInput, { description: 'The uploaded checklist and its node.' }) input: ImportChecklistInput): Promise<ImportChecklistPayload> {
    const node = input.dockerNodeId !== undefined && input.dockerNodeId !== null ? keyOf(input.dockerNodeId, 'DockerNode')[0] : undefined;
    const expiry = input.expiry !== undefined && input.expiry !== null ? parseExpiry(input.expiry) : undefined;
    const out = await ctx.services.checklists.importChecklist({ file: { uploadId: input.uploadId }, ...(node !== undefined ? { node } : {}), ...(expiry !== undefined ? { expiry } : {}) });
    return mapChecklistImport(out);
  }
}
