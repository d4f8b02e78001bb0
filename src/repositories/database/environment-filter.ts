/**
 * Environment scopes in SQL (issue #11 item 3): which node rows a scope hides. A node without an environment
 * belongs to `default`. Written with Kysely's expression builder and explicit NULL handling (SQL's `NOT IN`
 * is unknown, not true, for a NULL environment), so SQLite and PostgreSQL agree.
 */
import type { Expression, ExpressionBuilder, SqlBool } from './kysely.js';
import { DEFAULT_ENVIRONMENT } from '../../domain/environment-scope.js';

/** True for node rows (`nodeTable`.environment) the scope hides. */
export function nodeHiddenBy(eb: ExpressionBuilder<any, any>, column: string, scope: readonly string[]): Expression<SqlBool> {
  const named = scope.filter((e) => e !== DEFAULT_ENVIRONMENT);
  const defaultVisible = scope.includes(DEFAULT_ENVIRONMENT);
  const outsideNamed = named.length > 0 ? eb(column, 'not in', named) : eb.lit(true);
  if (defaultVisible) return eb.and([eb(column, 'is not', null), outsideNamed]);
  return eb.or([eb(column, 'is', null), outsideNamed]);
}

/** True for node rows the scope shows. */
export function nodeVisibleTo(eb: ExpressionBuilder<any, any>, column: string, scope: readonly string[]): Expression<SqlBool> {
  return eb.not(nodeHiddenBy(eb, column, scope));
}

/** True for assessment rows none of whose nodes the scope hides. */
export function assessmentVisibleTo(eb: ExpressionBuilder<any, any>, scope: readonly string[]): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('assessment_node')
        .innerJoin('node', 'node.id', 'assessment_node.node_id')
        .select('assessment_node.node_id')
        .whereRef('assessment_node.assessment_id', '=', 'assessment.id')
        .where((inner) => nodeHiddenBy(inner, 'node.environment', scope)),
    ),
  );
}
