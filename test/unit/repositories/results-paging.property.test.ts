/**
 * Paging of an assessment's rule results and per-target results in the database (keyset cursors, filters in
 * SQL), as a property: for any filter and page size, walking forward with `first`/`after` and backward with
 * `last`/`before` visits exactly the rows the filter selects, in storage order, each once, with the right
 * total and page flags, compared with filtering the stored list in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import type { Connection, PageRequest } from '../../../src/domain/paging.js';
import type { RuleResult, RuleStatus, Severity } from '../../../src/domain/results.js';
import type { RuleResultFilter } from '../../../src/domain/services.js';
import type { TargetResultFilter, TargetStatus } from '../../../src/domain/target-results.js';
import type { NewTargetResult } from '../../../src/repositories/assessment/target-result-rows.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

const STATUSES: RuleStatus[] = ['pass', 'fail', 'not-applicable', 'not-checked', 'error'];
const SEVERITIES: Severity[] = ['high', 'medium', 'low', 'unknown'];
const NODES = ['n1', 'n2', 'n3'];
const STIG_IDS = Array.from({ length: 9 }, (_, i) => `DKER-EE-00${1000 + i}`);

let dir: string;
let db: Db;
let runs: KyselyAssessmentRepository;
let targets: KyselyTargetResultRepository;
let stored: RuleResult[];
let storedTargets: NewTargetResult[];

/** Results of an assessment with statuses, severities and nodes mixed by a fixed pseudo-random sequence. */
function resultsOf(n: number): RuleResult[] {
  let seed = 7;
  const next = (k: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % k;
  return Array.from({ length: n }, (_, i) => ({
    nodeId: NODES[next(NODES.length)]!, stigId: STIG_IDS[i % STIG_IDS.length]!, ruleId: `SV-${i}r1_rule`, groupId: `V-${i}`, checkContentHash: 'h', title: `rule ${i}`,
    severity: SEVERITIES[next(SEVERITIES.length)]!, status: STATUSES[next(STATUSES.length)]!, message: `m${i}`, observations: [], controlIds: [], ccis: [], fixText: '',
  }));
}

function targetsOf(results: readonly RuleResult[]): NewTargetResult[] {
  return results.flatMap((r, i) =>
    Array.from({ length: 1 + (i % 3) }, (_, k) => ({
      nodeId: r.nodeId, ruleId: r.ruleId, stigId: r.stigId, checkContentHash: 'h', severity: r.severity,
      target: { kind: 'container' as const, key: `name/c${k}`, id: `c${k}`, name: `c${k}` },
      status: (k === 1 ? 'excluded' : r.status) as TargetStatus, message: 'x', observations: [], collectedAt: '2024-07-24T12:00:00.000Z',
    })),
  );
}

beforeAll(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  await seedDocument(db, benchmark('doc-1'));
  runs = new KyselyAssessmentRepository(db);
  targets = new KyselyTargetResultRepository(db);
  stored = resultsOf(240);
  storedTargets = targetsOf(stored);
  const nodes = NODES.map((id) => ({ id, name: id, endpoint: `tcp://${id}:2376` }));
  await runs.createRunning({ id: 'a1', benchmarkDocumentId: 'doc-1', nodes, startedAt: '2024-07-24T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' });
  await runs.complete('a1', { finishedAt: 'x', summary: summarize(stored), results: stored, targets: storedTargets, resultsDocument: {}, planDocument: {} });
  // Another run's rows must never leak into a1's pages.
  await runs.createRunning({ id: 'a2', benchmarkDocumentId: 'doc-1', nodes, startedAt: '2024-07-25T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' });
  await runs.complete('a2', { finishedAt: 'x', summary: summarize([]), results: resultsOf(30), targets: targetsOf(resultsOf(30)), resultsDocument: {}, planDocument: {} });
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every page forward, then every page backward; checks flags, totals and sizes on the way. */
async function walk<T>(size: number, expected: readonly T[], page: (request: PageRequest) => Promise<Connection<T>>): Promise<void> {
  const forward: T[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const p = await page({ first: size, ...(after !== undefined ? { after } : {}) });
    expect(p.totalCount).toBe(expected.length);
    expect(p.edges.length).toBeLessThanOrEqual(size);
    forward.push(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasNextPage || size === 0) break;
    expect(p.edges).toHaveLength(size);
    after = p.pageInfo.endCursor ?? undefined;
  }
  expect(forward).toEqual(size === 0 ? [] : expected);
  if (size === 0) return;
  const backward: T[] = [];
  let before: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const p = await page({ last: size, ...(before !== undefined ? { before } : {}) });
    backward.unshift(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasPreviousPage) break;
    before = p.pageInfo.startCursor ?? undefined;
  }
  expect(backward).toEqual(expected);
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

describe('results paged in the database', () => {
  it('rule results: any filter (status, severity, node, rule) and page size visit exactly the filtered rows in order', async () => {
    const filter = fc.record({ status: optional(fc.constantFrom(...STATUSES)), severity: optional(fc.constantFrom(...SEVERITIES)), nodeId: optional(fc.constantFrom(...NODES, 'nx')), stigId: optional(fc.constantFrom(...STIG_IDS.slice(0, 3))) });
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 0, max: 60 }), async (f, size) => {
        const clean = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as RuleResultFilter;
        const expected = stored.filter((r) => (clean.status === undefined || r.status === clean.status) && (clean.severity === undefined || r.severity === clean.severity) && (clean.nodeId === undefined || r.nodeId === clean.nodeId) && (clean.stigId === undefined || r.stigId === clean.stigId));
        await walk(size, expected, (request) => runs.results('a1', clean, request));
      }),
      { numRuns: 60 },
    );
  });

  it('per-target results: any filter (status, node, rule by STIG or rule id, key) and page size visit exactly the filtered rows in order', async () => {
    const all = (await targets.list('a1')).map(({ id: _id, ...rest }) => rest);
    expect(all).toHaveLength(storedTargets.length);
    const rules = [STIG_IDS[0]!, stored[5]!.ruleId];
    const filter = fc.record({ status: optional(fc.constantFrom<TargetStatus>('pass', 'fail', 'excluded', 'error')), nodeId: optional(fc.constantFrom(...NODES)), rule: optional(fc.constantFrom(...rules)), key: optional(fc.constantFrom('name/c0', 'name/c2')) });
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 1, max: 100 }), async (f, size) => {
        const clean = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as TargetResultFilter;
        const expected = all.filter((t) => (clean.status === undefined || t.status === clean.status) && (clean.nodeId === undefined || t.nodeId === clean.nodeId) && (clean.rule === undefined || t.stigId === clean.rule || t.ruleId === clean.rule) && (clean.key === undefined || t.target.key === clean.key));
        await walk(size, expected, async (request) => {
          const page = await targets.page('a1', clean, request);
          return { ...page, edges: page.edges.map((e) => ({ ...e, node: (({ id: _id, ...rest }) => rest)(e.node) })) } as typeof page;
        });
      }),
      { numRuns: 40 },
    );
  });
});
