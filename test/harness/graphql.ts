/** In-process GraphQL for integration tests: the real schema through Apollo's executeOperation, as a chosen principal. */
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { Principal } from '../../src/domain/auth.js';
import type { AppServices } from '../../src/domain/services.js';
import { createApolloServer } from '../../src/graphql/apollo.js';
import type { GraphQLContext } from '../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../src/graphql/schema.js';

export const ASSESSOR: Principal = { tokenId: 't-assessor', name: 'alice-assessor', role: 'assessor' };
export const AUDITOR: Principal = { tokenId: 't-auditor', name: 'bob-auditor', role: 'auditor' };
export const ADMIN: Principal = { tokenId: 't-admin', name: 'carol-admin', role: 'admin' };

export interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string; problems?: { file?: string; line?: number; pointer?: string; message: string }[] } }[];
}

export interface InProcessGraphql {
  /** Runs one operation; no principal means an anonymous caller. */
  gql(principal: Principal | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** Stages files as uploads of `principal` (what POST /uploads does) and returns their ids, in order. */
  upload(principal: Principal, ...files: (string | { name: string; bytes: Buffer })[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startInProcessGraphql(services: AppServices): Promise<InProcessGraphql> {
  const apollo: ApolloServer<GraphQLContext> = createApolloServer(await buildPlimsollSchema(), { logError: () => undefined });
  await apollo.start();
  return {
    async gql(principal, query, variables = {}) {
      const response = await apollo.executeOperation({ query, variables }, { contextValue: { services, requestId: 'test', ...(principal ? { principal } : {}) } });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as GqlResult;
    },
    async upload(principal, ...files) {
      const ids: string[] = [];
      for (const f of files) {
        const content = typeof f === 'string' ? { name: path.basename(f), bytes: fs.readFileSync(f) } : f;
        ids.push((await services.uploads.create(content, principal)).id);
      }
      return ids;
    },
    stop: () => apollo.stop(),
  };
}
