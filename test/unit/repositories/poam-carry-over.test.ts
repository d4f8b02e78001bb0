import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import type { TargetStatus } from '../../../src/domain/target-results.js';
import type { NewTargetResult } from '../../../src/repositories/assessment/target-result-rows.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';

let dir: string;
let db: Db;
let runs: KyselyAssessmentRepository;
let repo: KyselyTargetResultRepository;

const day = (n: number): string => `2024-08-${String(n).padStart(2, '0')}T00:00:00.000Z`;

/** Rows of one run: container key → status of DKER-EE-002010 on node `node`. */
function rows(at: string, statuses: Record<string, TargetStatus>, node = 'n1'): NewTargetResult[] {
  return Object.entries(statuses).map(([name, status]) => ({
    nodeId: node,
    // The rule id changes with a benchmark revision; carry-over follows the STIG id.
    ruleId: at < day(10) ? 'SV-1r1_rule' : 'SV-1r2_rule',
    stigId: 'DKER-EE-002010',
    checkContentHash: 'h',
    severity: 'medium' as const,
    target: { kind: 'container' as const, key: `name/${name}`, id: `${name}-${at}`, name },
    status,
    message: `${name} ${status}`,
    observations: [],
    collectedAt: at,
  }));
}

async function run(id: string, at: string, statuses: Record<string, TargetStatus>, opts: { state?: 'completed' | 'failed'; node?: string } = {}): Promise<void> {
  const node = opts.node ?? 'n1';
  await runs.createRunning({ id, benchmarkDocumentId: 'doc-1', nodes: [{ id: node, name: node, endpoint: 'unix:///x' }], startedAt: at, startedBy: 'alice', runner: 'h:1' });
  if (opts.state === 'failed') await runs.fail(id, 'boom', at);
  else await runs.complete(id, { finishedAt: at, summary: summarize([]), results: [], targets: rows(at, statuses, node), resultsDocument: {}, planDocument: {} });
}

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  await seedDocument(db, benchmark('doc-1'));
  runs = new KyselyAssessmentRepository(db);
  repo = new KyselyTargetResultRepository(db);
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('earlier open findings (POA&M carry-over)', () => {
  it('gives the first observation of the unbroken run of failures, across a new rule revision', async () => {
    await run('a1', day(1), { web: 'fail', db: 'pass', api: 'fail' });
    await run('a2', day(5), { web: 'fail', db: 'fail', api: 'error' });
    await run('a3', day(12), { web: 'fail', db: 'fail', api: 'fail', cache: 'fail' });
    const found = await repo.earlierFindings('a3');
    expect(found.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      // An error decides nothing: api stays open since day 1.
      { nodeId: 'n1', stigId: 'DKER-EE-002010', kind: 'container', key: 'name/api', firstObservedAt: day(1) },
      { nodeId: 'n1', stigId: 'DKER-EE-002010', kind: 'container', key: 'name/db', firstObservedAt: day(5) },
      { nodeId: 'n1', stigId: 'DKER-EE-002010', kind: 'container', key: 'name/web', firstObservedAt: day(1) },
    ]);
    // A first assessment carries nothing over.
    expect(await repo.earlierFindings('a1')).toEqual([]);
  });

  it('drops a finding closed in between, ignores failed runs, later runs and other nodes', async () => {
    await run('a1', day(1), { web: 'fail', db: 'fail' });
    await run('a2', day(3), { web: 'pass', db: 'fail' });
    await run('x', day(4), { web: 'fail' }, { state: 'failed' });
    await run('other', day(4), { web: 'fail', db: 'fail' }, { node: 'n2' });
    await run('a3', day(6), { web: 'fail', db: 'fail' });
    await run('a4', day(9), { web: 'fail', db: 'pass' });
    const found = await repo.earlierFindings('a3');
    expect(found).toEqual([{ nodeId: 'n1', stigId: 'DKER-EE-002010', kind: 'container', key: 'name/db', firstObservedAt: day(1) }]);
    expect(await repo.earlierFindings('a3', 'n2')).toEqual([]);
    // web reopened in a3 (first observed day 6), still failing in a4; db passes in a4 (nothing to carry).
    expect(await repo.earlierFindings('a4')).toEqual([{ nodeId: 'n1', stigId: 'DKER-EE-002010', kind: 'container', key: 'name/web', firstObservedAt: day(6) }]);
  });
});
