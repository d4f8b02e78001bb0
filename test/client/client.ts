/**
 * A client as a compliance team would write it, on the SDK GraphQL Code Generator makes from the committed
 * schema (codegen.yml). Type-checked with `tsc -p test/client/tsconfig.json`: a schema change that breaks
 * these operations fails to compile here before it fails a client.
 */
import { GraphQLClient } from 'graphql-request';
import { getSdk, type ResultsPageQuery, type RuleResultStatus } from './generated/sdk.js';

export type PlimsollSdk = ReturnType<typeof getSdk>;

/** The SDK over HTTP with a bearer token. */
export function plimsollClient(url: string, token: string): PlimsollSdk {
  return getSdk(new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } }));
}

type ResultNode = NonNullable<ResultsPageQuery['assessment']>['results']['edges'][number]['node'];

/** Every result of a run, page by page, following endCursor. */
export async function allResults(sdk: PlimsollSdk, assessmentId: string, pageSize: number): Promise<{ results: ResultNode[]; pages: number }> {
  const results: ResultNode[] = [];
  let after: string | null | undefined;
  for (let pages = 1; ; pages += 1) {
    const page = await sdk.ResultsPage({ assessmentId, first: pageSize, after });
    const conn = page.assessment?.results;
    if (conn === undefined) throw new Error(`assessment ${assessmentId} not found`);
    results.push(...conn.edges.map((e) => e.node));
    if (!conn.pageInfo.hasNextPage) return { results, pages };
    after = conn.pageInfo.endCursor;
  }
}

/** How many results have each status. */
export function countByStatus(results: readonly { status: RuleResultStatus }[]): Partial<Record<RuleResultStatus, number>> {
  const counts: Partial<Record<RuleResultStatus, number>> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
