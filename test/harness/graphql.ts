/**
 * In-process GraphQL for integration tests: the real schema through Apollo's executeOperation, as a chosen
 * persona. Personas are provisioned as real users of the wired application on first use (created by
 * Plimsoll's system user), so separation of duties and the audit see real users.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { type Principal, type Role, principalOf } from '../../src/domain/auth.js';
import { createApolloServer } from '../../src/graphql/apollo.js';
import { contextFor, type GraphQLContext } from '../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../src/graphql/schema.js';

/** Who a test acts as: a name and a role, made a real user when first used. */
export interface Persona {
  name: string;
  role: Role;
}

export const ASSESSOR: Persona = { name: 'alice-assessor', role: 'assessor' };
export const AUDITOR: Persona = { name: 'bob-auditor', role: 'auditor' };
export const ADMIN: Persona = { name: 'carol-admin', role: 'admin' };

export interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string; problems?: { file?: string; line?: number; pointer?: string; message: string }[] } }[];
}

export interface InProcessGraphql {
  /** Runs one operation; no persona means an anonymous caller. */
  gql(persona: Persona | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** The principal of a persona (provisioned on first use), to call services as it. */
  principal(persona: Persona): Promise<Principal>;
  /** Stages files as uploads of a persona (what POST /uploads does, through the gateway) and returns their ids, in order. */
  upload(persona: Persona, ...files: (string | { name: string; bytes: Buffer })[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startInProcessGraphql(app: Pick<OpenedApp, 'gateway'>): Promise<InProcessGraphql> {
  const apollo: ApolloServer<GraphQLContext> = createApolloServer(await buildPlimsollSchema(), { logError: () => undefined });
  await apollo.start();
  const system = app.gateway.servicesFor(await app.gateway.system());
  const provisioned = new Map<string, Principal>();
  const principal = async (p: Persona): Promise<Principal> => {
    const known = provisioned.get(p.name);
    if (known !== undefined) return known;
    const user = (await system.users.get(p.name)) ?? (await system.users.createUser({ name: p.name, role: p.role }));
    const made = principalOf(user, 'token');
    provisioned.set(p.name, made);
    return made;
  };
  // The standard personas exist from the start, so provisioning them never lands between a test's action and its audit check.
  for (const p of [ADMIN, ASSESSOR, AUDITOR]) await principal(p);
  return {
    async gql(persona, query, variables = {}) {
      const caller = persona === undefined ? { anonymous: true as const, reason: 'no bearer token' } : await principal(persona);
      const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(app.gateway, caller, 'test') });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as GqlResult;
    },
    principal,
    async upload(persona, ...files) {
      const uploads = app.gateway.servicesFor(await principal(persona)).uploads;
      const ids: string[] = [];
      for (const f of files) {
        const content = typeof f === 'string' ? { name: path.basename(f), bytes: fs.readFileSync(f) } : f;
        ids.push((await uploads.create(content)).id);
      }
      return ids;
    },
    stop: () => apollo.stop(),
  };
}
