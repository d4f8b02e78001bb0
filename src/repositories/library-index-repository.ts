/**
 * Queries over the library's indexes: SQLite FTS5 full-text search of controls and rules (tables and
 * triggers of migration 0003) with keyset pagination, and rules by CCI (the reverse of a rule's CCI list).
 * Keys order results: relevance first when there is a query, then import order, document, position.
 */
import { type Kysely, type RawBuilder, sql } from './database/kysely.js';
import type { StoredControl, StoredRule } from '../domain/services.js';
import { toStoredControl, toStoredRule } from './content-repository.js';
import type { BenchmarkRuleTable, CatalogControlTable, Database } from './database/tables.js';

/** The sort key of a hit: [rank (0 without a query), document imported_at, document id, position]. */
export type SortKey = [number, string, string, number];

export interface IndexSearch {
  /** An FTS5 MATCH expression, already built from user words; undefined lists everything. */
  match?: string;
  /** The query as typed, lower-cased: a hit whose id or title equals it ranks first. */
  exact?: string;
  /** Only these documents (catalogs, baselines or benchmarks). */
  documentIds: readonly string[];
  after?: SortKey;
  limit: number;
}

export interface ControlFilter extends IndexSearch {
  family?: string;
}

export interface RuleFilter extends IndexSearch {
  severity?: string;
}

export interface Hits<T> {
  items: { key: SortKey; node: T }[];
  total: number;
}

type KeyColumns = { hit_rank: number; d_imported_at: string };

const keyOf = (r: KeyColumns & { document_id: string; sort_order: number }): SortKey => [Number(r.hit_rank), r.d_imported_at, r.document_id, Number(r.sort_order)];

function inList(ids: readonly string[]): RawBuilder<unknown> {
  return sql.join(ids.map((id) => sql`${id}`));
}

/** 1000 (far beyond any bm25 score) when the hit's id or title is the query itself. */
function exactBoost(exact: string | undefined, condition: RawBuilder<unknown>): RawBuilder<unknown> {
  return exact === undefined ? sql`0` : sql`(CASE WHEN ${condition} THEN 1000 ELSE 0 END)`;
}

function keyset(after: SortKey | undefined): RawBuilder<unknown> {
  if (after === undefined) return sql`1 = 1`;
  return sql`(hit_rank, d_imported_at, document_id, sort_order) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})`;
}

export class LibraryIndexRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Controls and enhancements of the given documents matching the search, one page after `after`. */
  async searchControls(f: ControlFilter): Promise<Hits<StoredControl>> {
    if (f.documentIds.length === 0) return { items: [], total: 0 };
    const family = f.family === undefined ? sql`1 = 1` : sql`c.group_id = ${f.family}`;
    const hits =
      f.match === undefined
        ? sql`SELECT c.*, 0.0 AS hit_rank, d.imported_at AS d_imported_at FROM catalog_control c JOIN document d ON d.id = c.document_id
            WHERE c.document_id IN (${inList(f.documentIds)}) AND ${family}`
        : sql`SELECT c.*, bm25(control_fts, 0.0, 20.0, 20.0, 1.0) - ${exactBoost(f.exact, sql`lower(c.control_id) = ${f.exact ?? ''} OR lower(c.title) = ${f.exact ?? ''}`)} AS hit_rank, d.imported_at AS d_imported_at
            FROM control_fts JOIN catalog_control c ON c.rowid = control_fts.rowid JOIN document d ON d.id = c.document_id
            WHERE control_fts MATCH ${f.match} AND c.document_id IN (${inList(f.documentIds)}) AND ${family}`;
    const total = await sql<{ n: number }>`WITH hits AS MATERIALIZED (${hits}) SELECT count(*) AS n FROM hits`.execute(this.db);
    const page = await sql<CatalogControlTable & KeyColumns>`WITH hits AS MATERIALIZED (${hits})
      SELECT * FROM hits WHERE ${keyset(f.after)} ORDER BY hit_rank, d_imported_at, document_id, sort_order LIMIT ${f.limit}`.execute(this.db);
    const children = await this.enhancementIds(page.rows);
    return {
      items: page.rows.map((r) => ({ key: keyOf(r), node: toStoredControl(r, children.get(`${r.document_id}\u0000${r.control_id}`) ?? []) })),
      total: Number(total.rows[0]?.n ?? 0),
    };
  }

  /** Rules of the given benchmarks matching the search, one page after `after`. */
  async searchRules(f: RuleFilter): Promise<Hits<StoredRule>> {
    if (f.documentIds.length === 0) return { items: [], total: 0 };
    const severity = f.severity === undefined ? sql`1 = 1` : sql`r.severity = ${f.severity}`;
    const hits =
      f.match === undefined
        ? sql`SELECT r.*, 0.0 AS hit_rank, d.imported_at AS d_imported_at FROM benchmark_rule r JOIN document d ON d.id = r.document_id
            WHERE r.document_id IN (${inList(f.documentIds)}) AND ${severity}`
        : sql`SELECT r.*, bm25(rule_fts, 0.0, 20.0, 10.0, 20.0, 1.0) - ${exactBoost(f.exact, sql`lower(r.stig_id) = ${f.exact ?? ''} OR lower(r.rule_id) = ${f.exact ?? ''} OR lower(r.group_id) = ${f.exact ?? ''} OR lower(r.title) = ${f.exact ?? ''}`)} AS hit_rank, d.imported_at AS d_imported_at
            FROM rule_fts JOIN benchmark_rule r ON r.rowid = rule_fts.rowid JOIN document d ON d.id = r.document_id
            WHERE rule_fts MATCH ${f.match} AND r.document_id IN (${inList(f.documentIds)}) AND ${severity}`;
    const total = await sql<{ n: number }>`WITH hits AS MATERIALIZED (${hits}) SELECT count(*) AS n FROM hits`.execute(this.db);
    const page = await sql<BenchmarkRuleTable & KeyColumns>`WITH hits AS MATERIALIZED (${hits})
      SELECT * FROM hits WHERE ${keyset(f.after)} ORDER BY hit_rank, d_imported_at, document_id, sort_order LIMIT ${f.limit}`.execute(this.db);
    return { items: page.rows.map((r) => ({ key: keyOf(r), node: toStoredRule(r) })), total: Number(total.rows[0]?.n ?? 0) };
  }

  /** Every distinct CCI the rules of these benchmarks (all when undefined) cite. */
  async ruleCcis(benchmarkDocumentIds?: readonly string[]): Promise<string[]> {
    if (benchmarkDocumentIds !== undefined && benchmarkDocumentIds.length === 0) return [];
    const where = benchmarkDocumentIds === undefined ? sql`1 = 1` : sql`r.document_id IN (${inList(benchmarkDocumentIds)})`;
    const rows = await sql<{ cci: string }>`SELECT DISTINCT j.value AS cci FROM benchmark_rule r, json_each(r.ccis_json) j WHERE ${where} ORDER BY cci`.execute(this.db);
    return rows.rows.map((r) => r.cci);
  }

  /** Rules (of these benchmarks, or all) citing any of `ccis`, in import and document order. */
  async rulesCiting(ccis: readonly string[], benchmarkDocumentIds?: readonly string[]): Promise<StoredRule[]> {
    if (ccis.length === 0 || (benchmarkDocumentIds !== undefined && benchmarkDocumentIds.length === 0)) return [];
    const where = benchmarkDocumentIds === undefined ? sql`1 = 1` : sql`r.document_id IN (${inList(benchmarkDocumentIds)})`;
    const rows: (BenchmarkRuleTable & { d_imported_at: string })[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < ccis.length; i += 500) {
      const chunk = await sql<BenchmarkRuleTable & { d_imported_at: string }>`SELECT DISTINCT r.*, d.imported_at AS d_imported_at
        FROM benchmark_rule r JOIN document d ON d.id = r.document_id, json_each(r.ccis_json) j
        WHERE j.value IN (${inList(ccis.slice(i, i + 500))}) AND ${where}`.execute(this.db);
      for (const r of chunk.rows) {
        const key = `${r.document_id}\u0000${r.rule_id}`;
        if (!seen.has(key)) (seen.add(key), rows.push(r));
      }
    }
    rows.sort((a, b) => a.d_imported_at.localeCompare(b.d_imported_at) || a.document_id.localeCompare(b.document_id) || a.sort_order - b.sort_order);
    return rows.map(toStoredRule);
  }

  /** Rules (of these benchmarks, or all) with direct SP 800-53 references (migration 0020), in import and document order. */
  async rulesWithDirectReferences(benchmarkDocumentIds?: readonly string[]): Promise<StoredRule[]> {
    if (benchmarkDocumentIds !== undefined && benchmarkDocumentIds.length === 0) return [];
    let q = this.db
      .selectFrom('benchmark_rule')
      .innerJoin('document', 'document.id', 'benchmark_rule.document_id')
      .selectAll('benchmark_rule')
      .where('benchmark_rule.sp80053_json', 'is not', null);
    if (benchmarkDocumentIds !== undefined) q = q.where('benchmark_rule.document_id', 'in', [...benchmarkDocumentIds]);
    const rows = await q.orderBy('document.imported_at').orderBy('benchmark_rule.document_id').orderBy('benchmark_rule.sort_order').execute();
    return rows.map(toStoredRule);
  }

  private async enhancementIds(rows: readonly CatalogControlTable[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const byDoc = new Map<string, string[]>();
    for (const r of rows) byDoc.set(r.document_id, [...(byDoc.get(r.document_id) ?? []), r.control_id]);
    for (const [documentId, ids] of byDoc) {
      const kids = await this.db
        .selectFrom('catalog_control')
        .select(['control_id', 'parent_control_id'])
        .where('document_id', '=', documentId)
        .where('parent_control_id', 'in', ids)
        .orderBy('sort_order')
        .execute();
      for (const k of kids) {
        const key = `${documentId}\u0000${k.parent_control_id!}`;
        out.set(key, [...(out.get(key) ?? []), k.control_id]);
      }
    }
    return out;
  }
}
