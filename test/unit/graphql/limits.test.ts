/**
 * Hostile callers: every query limit refuses before execution (no service is called) with a coded error,
 * while ordinary queries and the standard introspection query pass; a query running past the time limit
 * stops resolving. Each limit has its own test, as the class of attack it stops.
 */
import type { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import { contextFor, type GraphQLContext } from '../../../src/graphql/context.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../../../src/graphql/limits.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { AUDITOR, CATALOG_ID, fakeGateway, fakeServices, type FakeServices } from './fakes.js';

interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let apollo: ApolloServer<GraphQLContext> | undefined;
afterEach(async () => {
  await apollo?.stop();
  apollo = undefined;
});

/** A server over fake services whose every call is counted. */
async function server(limits: Partial<QueryLimits> = {}, slow = 0): Promise<{ gql: (q: string, p?: Principal) => Promise<GqlResult>; calls: string[] }> {
  const calls: string[] = [];
  const inner = fakeServices();
  const services = Object.fromEntries(
    Object.entries(inner).map(([name, service]) => [
      name,
      new Proxy(service as object, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            calls.push(`${name}.${String(prop)}`);
            if (slow > 0) await new Promise((r) => setTimeout(r, slow));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    ]),
  ) as unknown as FakeServices;
  // The real gateway over the counting services: calls reach them only through the policy table, as in production.
  const gateway = fakeGateway(services);
  apollo = createApolloServer(await buildPlimsollSchema(), { logError: () => undefined, limits });
  await apollo.start();
  const a = apollo;
  return {
    calls,
    gql: async (query, principal = AUDITOR) => {
      const response = await a.executeOperation({ query }, { contextValue: contextFor(gateway, principal, 'limits') });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as GqlResult;
    },
  };
}

const codeOf = (r: GqlResult): string | undefined => r.errors?.[0]?.extensions?.code;

describe('query limits', () => {
  it('refuses a ~200-byte query from a read-only caller that fans out through a cycle of list fields, before calling any service', async () => {
    const { gql, calls } = await server();
    // Control → baselines → controls → baselines…: each level multiplies by its page size.
    const query = '{catalogs(first:100){edges{node{groups(first:100){edges{node{controls(first:100){edges{node{baselines(first:100){edges{node{controls(first:100){edges{node{controlId}}}}}}}}}}}}}}}}';
    expect(query.length).toBeLessThan(220);
    const r = await gql(query);
    expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
    expect(r.errors?.[0]?.message).toMatch(/estimated cost \d+ is above the limit of 50000/);
    expect(r.data).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('refuses 1,000 aliases of an expensive field', async () => {
    const { gql, calls } = await server();
    const query = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: assessments(first: 100) { totalCount }`).join(' ')} }`;
    const r = await gql(query);
    expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
    expect(r.errors?.some((e) => /aliases/i.test(e.message))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('refuses a query nested deeper than the depth limit, even under an alias named __schema', async () => {
    const { gql, calls } = await server();
    const parts = (n: number): string => (n === 0 ? 'name' : `parts { ${parts(n - 1)} }`);
    const deep = await gql(`{ control(catalogDocumentId: "${CATALOG_ID}", controlId: "ac-1") { ${parts(DEFAULT_QUERY_LIMITS.maxDepth)} } }`);
    expect(codeOf(deep)).toBe('QUERY_TOO_COMPLEX');
    expect(deep.errors?.[0]?.message).toMatch(/depth limit of 20/i);
    const disguised = await gql(`{ __schema: control(catalogDocumentId: "${CATALOG_ID}", controlId: "ac-1") { ${parts(DEFAULT_QUERY_LIMITS.maxDepth)} } }`);
    expect(codeOf(disguised)).toBe('QUERY_TOO_COMPLEX');
    expect(calls).toEqual([]);
    const ok = await gql(`{ control(catalogDocumentId: "${CATALOG_ID}", controlId: "ac-1") { ${parts(5)} } }`);
    expect(ok.errors).toBeUndefined();
  });

  it('refuses too many directives', async () => {
    const { gql, calls } = await server();
    const directives = Array.from({ length: DEFAULT_QUERY_LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    const r = await gql(`{ me ${directives} { name } }`);
    expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
    expect(calls).toEqual([]);
  });

  it('multiplies list fields by their page size: large pages of nested lists are refused, small ones pass', async () => {
    const { gql, calls } = await server();
    const nested = (n: number): string => `{ assessments(first: ${n}) { edges { node { results(first: ${n}) { edges { node { observations(first: ${n}) { edges { node { field value } } } } } } } } } }`;
    expect(codeOf(await gql(nested(100)))).toBe('QUERY_TOO_COMPLEX');
    expect(calls).toEqual([]);
    expect((await gql(nested(10))).errors).toBeUndefined();
  });

  it('refuses a query with more tokens than the parser reads', async () => {
    const { gql, calls } = await server({ maxTokens: 50 });
    const r = await gql(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: me { name }`).join(' ')} }`);
    expect(codeOf(r)).toBe('GRAPHQL_PARSE_FAILED');
    expect(calls).toEqual([]);
  });

  it('lets the standard introspection query through every limit', async () => {
    const { gql } = await server();
    const r = await gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }));
    expect(r.errors).toBeUndefined();
    expect((r.data?.__schema.types as { name: string }[]).map((t) => t.name)).toEqual(expect.arrayContaining(['Node', 'AssessmentConnection', 'ErrorCode']));
  });

  it('stops a query that runs past the time limit with QUERY_TIMEOUT', async () => {
    const { gql } = await server({ timeoutMs: 20 }, 60);
    const r = await gql('{ assessments { totalCount edges { node { assessmentId } } } }');
    expect(codeOf(r)).toBe('QUERY_TIMEOUT');
    expect(r.errors?.[0]?.message).toContain('20 ms');
  });
});
