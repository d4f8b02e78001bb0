import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../src/domain/paging.js';
import type { StoredTargetResult } from '../../../src/domain/target-results.js';
import type { NewTargetResult } from '../../../src/repositories/assessment/target-result-rows.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

let dir: string;
let db: Db;
let runs: KyselyAssessmentRepository;
let repo: KyselyTargetResultRepository;

/** One row per container per rule: `web` fails the first rule in run `a1`, passes it (recreated, new id) in `a2`. */
function rows(run: string, containers: { id: string; key: string; name: string }[]): NewTargetResult[] {
  return ['DKER-EE-001960', 'DKER-EE-002000'].flatMap((stigId, r) =>
    containers.map((c) => ({
      nodeId: 'n1',
      ruleId: `SV-${r}_rule`,
      stigId,
      checkContentHash: 'h',
      severity: 'medium' as const,
      target: { kind: 'container' as const, key: c.key, id: c.id, name: c.name, image: 'busybox' },
      status: run === 'a1' && r === 0 && c.name === 'web' ? ('fail' as const) : ('pass' as const),
      message: `${c.name} ${stigId}`,
      observations: [],
      collectedAt: `2024-07-2${run.slice(1)}T00:00:00.000Z`,
    })),
  );
}

async function completed(id: string, targets: NewTargetResult[]): Promise<void> {
  await runs.createRunning({ id, benchmarkDocumentId: 'doc-1', nodes: [{ id: 'n1', name: 'web', endpoint: 'unix:///x' }], startedAt: `2024-07-2${id.slice(1)}T00:00:00.000Z`, startedBy: 'alice', runner: 'h:1' });
  await runs.complete(id, { finishedAt: 'x', summary: summarize([]), results: [], targets, resultsDocument: {}, planDocument: {} });
}

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  await seedDocument(db, benchmark('doc-1'));
  runs = new KyselyAssessmentRepository(db);
  repo = new KyselyTargetResultRepository(db);
  await completed('a1', rows('a1', [{ id: 'c1', key: 'compose/shop/web/1', name: 'web' }, { id: 'c2', key: 'name/db', name: 'db' }, { id: 'c3', key: 'name/cache', name: 'cache' }]));
  await completed('a2', rows('a2', [{ id: 'c9', key: 'compose/shop/web/1', name: 'web' }, { id: 'c2', key: 'name/db', name: 'db' }]));
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = (c: { edges: { node: StoredTargetResult }[] }): string[] => c.edges.map((e) => e.node.target.name);

describe('per-target results in the database', () => {
  it('pages one assessment in storage order with cursors, counting every match, both ways', async () => {
    const first = await repo.page('a1', {}, { first: 4 });
    expect(first.totalCount).toBe(6);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges.map((e) => `${e.node.stigId}:${e.node.target.name}`)).toEqual(['DKER-EE-001960:web', 'DKER-EE-001960:db', 'DKER-EE-001960:cache', 'DKER-EE-002000:web']);
    const second = await repo.page('a1', {}, { first: 4, after: first.pageInfo.endCursor! });
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(names(second)).toEqual(['db', 'cache']);
    expect(second.edges[0]!.node).toMatchObject({ assessmentId: 'a1', nodeId: 'n1', target: { kind: 'container', key: 'name/db', id: 'c2', name: 'db', image: 'busybox' }, collectedAt: '2024-07-21T00:00:00.000Z' });
    const back = await repo.page('a1', {}, { last: 2, before: second.pageInfo.startCursor! });
    expect(back.edges.map((e) => `${e.node.stigId}:${e.node.target.name}`)).toEqual(['DKER-EE-001960:cache', 'DKER-EE-002000:web']);
  });

  it('filters by status, rule (STIG or rule id), kind and key', async () => {
    expect(names(await repo.page('a1', { status: 'fail' }, { first: 10 }))).toEqual(['web']);
    expect((await repo.page('a1', { rule: 'SV-1_rule' }, { first: 10 })).totalCount).toBe(3);
    expect((await repo.page('a1', { rule: 'DKER-EE-002000', key: 'name/db', kind: 'container' }, { first: 10 })).edges.map((e) => e.node.target.id)).toEqual(['c2']);
    expect((await repo.page('a1', { kind: 'image' }, { first: 10 })).totalCount).toBe(0);
    expect((await repo.page('a2', { nodeId: 'other' }, { first: 10 })).totalCount).toBe(0);
  });

  it('follows one target across assessments by its stable key, newest first, though its container id changed', async () => {
    const history = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1', rule: 'DKER-EE-001960' }, { first: 10 });
    expect(history.edges.map((e) => [e.node.assessmentId, e.node.target.id, e.node.status])).toEqual([
      ['a2', 'c9', 'pass'],
      ['a1', 'c1', 'fail'],
    ]);
    const paged = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1' }, { first: 1 });
    expect(paged).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const next = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1' }, { first: 10, after: paged.pageInfo.endCursor! });
    expect(next.edges.map((e) => e.node.assessmentId)).toEqual(['a2', 'a1', 'a1']);
  });

  it('finds one result by its id (refetch), and deletes an assessment\'s rows with it', async () => {
    const [edge] = (await repo.page('a1', { status: 'fail' }, { first: 1 })).edges;
    expect(await repo.find(edge!.node.id)).toEqual(edge!.node);
    await db.deleteFrom('assessment').where('id', '=', 'a1').execute();
    expect((await repo.page('a1', {}, { first: 10 })).totalCount).toBe(0);
    expect(await repo.find(edge!.node.id)).toBeUndefined();
  });
});

describe('page sizes and cursors', () => {
  it("takes main's cap (100, default 25) and refuses larger pages and foreign cursors with BAD_INPUT", async () => {
    expect((await rejection(repo.page('a1', {}, { first: MAX_PAGE_SIZE + 1 }))).code).toBe('BAD_INPUT');
    expect((await rejection(repo.history({ nodeId: 'n1', kind: 'container', key: 'name/db' }, { last: MAX_PAGE_SIZE + 1 }))).code).toBe('BAD_INPUT');
    expect((await rejection(repo.page('a1', {}, { after: 'bm9wZQ' }))).code).toBe('BAD_INPUT');
    expect((await repo.page('a1', {}, { first: MAX_PAGE_SIZE })).edges).toHaveLength(6);
    expect(DEFAULT_PAGE_SIZE).toBe(25);
  });
});
