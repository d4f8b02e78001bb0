import path from 'node:path';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interruptionReason, parseRunnerId } from '../../../src/assessment/runner.js';
import { summarize } from '../../../src/domain/assessment.js';
import type { RuleResult } from '../../../src/domain/results.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from './fakes.js';

let dir: string;
let db: Db;
let repo: KyselyAssessmentRepository;

beforeEach(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  await seedDocument(db, benchmark('doc-1'));
  repo = new KyselyAssessmentRepository(db);
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

function results(n: number): RuleResult[] {
  return Array.from({ length: n }, (_, i) => ({
    nodeId: `node-${i % 3}`,
    stigId: `DKER-EE-${String(i).padStart(6, '0')}`,
    ruleId: `SV-${i}r1_rule`,
    groupId: `V-${i}`,
    checkContentHash: 'h',
    title: `rule ${i}`,
    severity: i % 2 === 0 ? 'high' : 'low',
    status: i % 5 === 0 ? 'fail' : 'pass',
    message: `m${i}`,
    observations: [{ target: { kind: 'container', id: 'c', name: 'c' }, field: 'HostConfig.Privileged', value: i % 5 === 0, expected: 'false', verdict: i % 5 === 0 ? 'fail' : 'pass', message: 'x', collectedAt: '2024-07-24T12:00:00.000Z' }],
    controlIds: ['cm-7_smt.a'],
    ccis: ['CCI-000381'],
    fixText: 'fix',
  }));
}

const start = { benchmarkDocumentId: 'doc-1', nodeIds: ['node-0', 'node-1', 'node-2'], startedAt: '2024-07-24T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' };

describe('KyselyAssessmentRepository', () => {
  it('completes a run with more results than one INSERT holds, in order, and maps them back exactly', async () => {
    await repo.createRunning({ id: 'a1', profileId: 'MAC-1_Classified', ...start });
    const rs = results(1234);
    await repo.complete('a1', { finishedAt: '2024-07-24T12:01:00.000Z', summary: summarize(rs), results: rs, resultsDocument: { 'assessment-results': { uuid: 'u' } } });
    const got = await repo.get('a1');
    expect(got).toMatchObject({ status: 'completed', profileId: 'MAC-1_Classified', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', benchmarkRelease: '2', finishedAt: '2024-07-24T12:01:00.000Z' });
    expect(got!.results).toEqual(rs);
    expect(got!.summary!.counts.fail).toBe(247);
    expect(await repo.resultsDocument('a1')).toEqual({ 'assessment-results': { uuid: 'u' } });
  });

  it('stores nothing when the run is no longer running', async () => {
    await repo.createRunning({ id: 'a2', ...start });
    expect(await repo.fail('a2', 'boom', '2024-07-24T12:00:09.000Z')).toBe(true);
    expect(await repo.fail('a2', 'again', '2024-07-24T12:00:10.000Z')).toBe(false);
    const rs = results(3);
    await expect(repo.complete('a2', { finishedAt: 'x', summary: summarize(rs), results: rs, resultsDocument: {} })).rejects.toMatchObject({ code: 'CONFLICT' });
    const got = await repo.get('a2');
    expect(got).toMatchObject({ status: 'failed', error: 'boom', results: [] });
    expect(got).not.toHaveProperty('summary');
    expect(await repo.resultsDocument('a2')).toBeUndefined();
  });

  it('rolls back the status change when storing a result fails', async () => {
    await repo.createRunning({ id: 'a3', ...start });
    const rs = results(2);
    // An observation JSON.stringify cannot serialise: the error comes after the status update, inside the transaction.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    rs[1]!.observations[0]!.value = circular;
    await expect(repo.complete('a3', { finishedAt: 'x', summary: summarize(rs), results: rs, resultsDocument: {} })).rejects.toThrow();
    expect(await repo.get('a3')).toMatchObject({ status: 'running', results: [] });
  });
});

describe('runner ids', () => {
  const host = { hostname: 'h', pid: 10, isAlive: (pid: number) => pid === 11 };
  it('parses host:pid, hosts with colons included', () => {
    expect(parseRunnerId('fe80::1:123')).toEqual({ hostname: 'fe80::1', pid: 123 });
    expect(parseRunnerId('host')).toBeUndefined();
    expect(parseRunnerId(':12')).toBeUndefined();
    expect(parseRunnerId('h:0')).toBeUndefined();
  });
  it('decides interruption by host and liveness', () => {
    expect(interruptionReason('h:12', host, false)).toMatch(/no longer running/);
    expect(interruptionReason('h:11', host, false)).toBeUndefined();
    expect(interruptionReason('other:12', host, false)).toBeUndefined();
    expect(interruptionReason('h:10', host, true)).toBeUndefined();
    expect(interruptionReason('h:10', host, false)).toMatch(/restarted/);
    expect(interruptionReason(null, host, false)).toMatch(/no readable runner/);
  });
});
