import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeTargetCursor, encodeTargetCursor, targetConnection, targetPage } from '../../../src/assessment/target-pages.js';
import { summarize } from '../../../src/domain/assessment.js';
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

describe('per-target results in the database', () => {
  it('pages one assessment in storage order with cursors, counting every match', async () => {
    const first = await repo.page('a1', {}, undefined, 4);
    expect(first.total).toBe(6);
    expect(first.hasMore).toBe(true);
    expect(first.items.map((t) => `${t.stigId}:${t.target.name}`)).toEqual(['DKER-EE-001960:web', 'DKER-EE-001960:db', 'DKER-EE-001960:cache', 'DKER-EE-002000:web']);
    const second = await repo.page('a1', {}, first.items.at(-1)!.id, 4);
    expect(second.hasMore).toBe(false);
    expect(second.items.map((t) => t.target.name)).toEqual(['db', 'cache']);
    expect(second.items[0]).toMatchObject({ assessmentId: 'a1', nodeId: 'n1', target: { kind: 'container', key: 'name/db', id: 'c2', name: 'db', image: 'busybox' }, collectedAt: '2024-07-21T00:00:00.000Z' });
  });

  it('filters by status, rule (STIG or rule id), kind and key', async () => {
    expect((await repo.page('a1', { status: 'fail' }, undefined, 10)).items.map((t) => t.target.name)).toEqual(['web']);
    expect((await repo.page('a1', { rule: 'SV-1_rule' }, undefined, 10)).total).toBe(3);
    expect((await repo.page('a1', { rule: 'DKER-EE-002000', key: 'name/db', kind: 'container' }, undefined, 10)).items.map((t) => t.target.id)).toEqual(['c2']);
    expect((await repo.page('a1', { kind: 'image' }, undefined, 10)).total).toBe(0);
    expect((await repo.page('a2', { nodeId: 'other' }, undefined, 10)).total).toBe(0);
  });

  it('follows one target across assessments by its stable key, newest first, though its container id changed', async () => {
    const history = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1', rule: 'DKER-EE-001960' }, undefined, 10);
    expect(history.items.map((t) => [t.assessmentId, t.target.id, t.status])).toEqual([
      ['a2', 'c9', 'pass'],
      ['a1', 'c1', 'fail'],
    ]);
    const paged = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1' }, undefined, 1);
    expect(paged).toMatchObject({ total: 4, hasMore: true });
    const next = await repo.history({ nodeId: 'n1', kind: 'container', key: 'compose/shop/web/1' }, paged.items[0]!.id, 10);
    expect(next.items.map((t) => t.assessmentId)).toEqual(['a2', 'a1', 'a1']);
  });

  it('deletes an assessment\'s rows with it', async () => {
    await db.deleteFrom('assessment').where('id', '=', 'a1').execute();
    expect((await repo.page('a1', {}, undefined, 10)).total).toBe(0);
  });
});

describe('cursors and page sizes', () => {
  it('round-trips cursors and refuses foreign ones and sizes beyond the cap', async () => {
    expect(decodeTargetCursor(encodeTargetCursor(42))).toBe(42);
    expect(targetPage(undefined)).toEqual({ size: 100, cursor: undefined });
    expect((await rejection(Promise.resolve().then(() => targetPage({ after: 'bm9wZQ' })))).code).toBe('BAD_INPUT');
    expect((await rejection(Promise.resolve().then(() => targetPage({ first: 501 })))).code).toBe('BAD_INPUT');
    const page = await repo.page('a2', {}, undefined, 2);
    const connection = targetConnection(page);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeTargetCursor(page.items[1]!.id) });
    expect(connection.totalCount).toBe(4);
  });
});
