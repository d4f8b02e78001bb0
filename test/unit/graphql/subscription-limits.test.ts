/** Subscription documents meet the HTTP query limits before anything runs, and only subscriptions are served over the socket. */
import { Kind, type GraphQLError, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/graphql/limits.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { checkSubscriptionDocument } from '../../../src/http/subscriptions.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildPlimsollSchema();
});

const check = (query: string, limits = DEFAULT_QUERY_LIMITS) => checkSubscriptionDocument(schema, query, {}, undefined, limits);
const errorsOf = (r: ReturnType<typeof check>): readonly GraphQLError[] => {
  if ('kind' in r) throw new Error('expected a refusal');
  return r;
};

describe('subscription documents', () => {
  it('accepts a subscription to events with a filter', () => {
    const r = check('subscription { events(filter: { types: [ASSESSMENT_COMPLETED], minSeverity: HIGH }) { type eventId ... on AssessmentCompletedEvent { status counts { fail } } } }');
    expect('kind' in r && r.kind).toBe(Kind.DOCUMENT);
  });

  it('refuses queries and mutations over the socket, naming where they go', () => {
    expect(errorsOf(check('{ me { name } }'))[0]!.message).toContain('send queries as POST /graphql');
    expect(errorsOf(check('mutation { removeSchedule(input: { id: "x" }) { schedule { name } } }'))[0]!.message).toContain('send mutations as POST /graphql');
  });

  it('applies the token, alias and directive limits of HTTP', () => {
    const many = `subscription { events { ${'__typename '.repeat(DEFAULT_QUERY_LIMITS.maxTokens)} } }`;
    expect(errorsOf(check(many))[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const aliases = `subscription { events { ${Array.from({ length: DEFAULT_QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: type`).join(' ')} } }`;
    expect(errorsOf(check(aliases)).some((e) => /alias/i.test(e.message))).toBe(true);
    const directives = `subscription { events { type ${'@include(if: true) '.repeat(DEFAULT_QUERY_LIMITS.maxDirectives + 1)} } }`;
    expect(errorsOf(check(directives)).some((e) => /directive/i.test(e.message))).toBe(true);
  });

  it('applies the cost limit', () => {
    expect(errorsOf(check('subscription { events { type } }', { ...DEFAULT_QUERY_LIMITS, maxCost: 1 }))[0]!.message).toMatch(/cost \d+ is above the limit of 1/);
  });
});
