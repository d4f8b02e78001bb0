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

const NODES = ['node-0', 'node-1', 'node-2'].map((id) => ({ id, name: `${id}-name`, endpoint: `tcp://${id}:2376` }));
const start = { benchmarkDocumentId: 'doc-1', nodes: NODES, startedAt: '2024-07-24T12:00:00.000Z', startedBy: 'alice', runner: 'h:1' };
const documents = { resultsDocument: { 'assessment-results': { uuid: 'u' } }, planDocument: { 'assessment-plan': { uuid: 'p' } } };

describe('KyselyAssessmentRepository', () => {
  it('completes a run with more results than one INSERT holds, in order, and maps them back exactly', async () => {
    await repo.createRunning({ id: 'a1', profileId: 'MAC-1_Classified', ...start });
    const rs = results(1234);
    await repo.complete('a1', { finishedAt: '2024-07-24T12:01:00.000Z', summary: summarize(rs), results: rs, targets: [], ...documents });
    const got = await repo.get('a1');
    expect(got).toMatchObject({ status: 'completed', profileId: 'MAC-1_Classified', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', benchmarkRelease: '2', finishedAt: '2024-07-24T12:01:00.000Z' });
    expect(got!.results).toEqual(rs);
    expect(got!.summary!.counts.fail).toBe(247);
    expect(await repo.resultsDocument('a1')).toEqual({ 'assessment-results': { uuid: 'u' } });
    expect(await repo.planDocument('a1')).toEqual({ 'assessment-plan': { uuid: 'p' } });
    expect(got!.nodeIds).toEqual(['node-0', 'node-1', 'node-2']);
  });

  it('stores nothing when the run is no longer running', async () => {
    await repo.createRunning({ id: 'a2', ...start });
    expect(await repo.fail('a2', 'boom', '2024-07-24T12:00:09.000Z')).toBe(true);
    expect(await repo.fail('a2', 'again', '2024-07-24T12:00:10.000Z')).toBe(false);
    const rs = results(3);
    await expect(repo.complete('a2', { finishedAt: 'x', summary: summarize(rs), results: rs, targets: [], ...documents })).rejects.toMatchObject({ code: 'CONFLICT' });
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
    await expect(repo.complete('a3', { finishedAt: 'x', summary: summarize(rs), results: rs, targets: [], ...documents })).rejects.toThrow();
    expect(await repo.get('a3')).toMatchObject({ status: 'running', results: [] });
  });

  it('stores a streamed results document part by part and reads it back as those parts, or whole', async () => {
    await repo.createRunning({ id: 'a5', ...start });
    const rs = results(4);
    const text = `${JSON.stringify({ 'assessment-results': { uuid: 'streamed', list: Array.from({ length: 40 }, (_, i) => `é${i}`) } }, null, 2)}\n`;
    const cut = Array.from({ length: 11 }, (_, i) => text.slice(i * 30, (i + 1) * 30 < text.length && i < 10 ? (i + 1) * 30 : undefined));
    await repo.complete('a5', { finishedAt: 'x', summary: summarize(rs), results: rs, targets: [], resultsText: cut, planDocument: documents.planDocument });
    const parts: string[] = [];
    for await (const p of (await repo.resultsDocumentParts('a5'))!) parts.push(p);
    expect(parts).toEqual(cut);
    expect(await repo.resultsDocument('a5')).toEqual(JSON.parse(text));
    // A document stored whole (before migration 0024, or by a caller with the object) has no parts.
    await repo.createRunning({ id: 'a6', ...start });
    await repo.complete('a6', { finishedAt: 'x', summary: summarize(rs), results: rs, targets: [], ...documents });
    expect(await repo.resultsDocumentParts('a6')).toBeUndefined();
  });

  it('stores nothing of a run whose streamed document fails part way (a part that does not validate)', async () => {
    await repo.createRunning({ id: 'a7', ...start });
    const rs = results(3);
    function* failing(): Generator<string> {
      yield '{"assessment-results": ';
      throw new Error('observations 1001 to 2000 do not validate');
    }
    await expect(repo.complete('a7', { finishedAt: 'x', summary: summarize(rs), results: rs, targets: [], resultsText: failing(), planDocument: {} })).rejects.toThrow('do not validate');
    expect(await repo.get('a7')).toMatchObject({ status: 'running', results: [] });
    expect(await repo.resultsDocumentParts('a7')).toBeUndefined();
    expect(await db.selectFrom('document_part').selectAll().where('assessment_id', '=', 'a7').execute()).toEqual([]);
  });
});

describe('per-node status', () => {
  const snapshot = (nodeId: string) => ({ id: `f-${nodeId}`, assessmentId: 'a4', nodeId, collectedAt: '2024-07-24T12:00:01.000Z', sha256: 'a'.repeat(64), facts: { nodeId } as never });
  const asset = { hostName: { value: 'h0', source: 'engine' as const, detail: 'GET /info Name', recordedAt: '2024-07-24T12:00:01.000Z' } };

  it('starts every node pending, in request order, named as they were', async () => {
    await repo.createRunning({ id: 'a4', ...start });
    expect((await repo.find('a4'))!.nodes).toEqual(NODES.map((n) => ({ nodeId: n.id, name: n.name, endpoint: n.endpoint, status: { state: 'pending' } })));
  });

  it('records collected nodes with their asset facts and failed ones with their reason; a failed run fails the pending rest', async () => {
    await repo.createRunning({ id: 'a4', ...start });
    await repo.storeFacts(snapshot('node-0'), asset);
    await repo.setNodeStatus('a4', 'node-1', { state: 'failed', reason: 'unreachable', message: 'ECONNREFUSED' });
    await repo.fail('a4', 'schema invalid', '2024-07-24T12:00:09.000Z');
    const nodes = (await repo.find('a4'))!.nodes;
    expect(nodes.map((n) => n.status)).toEqual([
      { state: 'collected', collectedAt: '2024-07-24T12:00:01.000Z', factsSha256: 'a'.repeat(64) },
      { state: 'failed', reason: 'unreachable', message: 'ECONNREFUSED' },
      { state: 'failed', reason: 'internal', message: 'the assessment failed before this node was collected: schema invalid' },
    ]);
    expect(nodes[0]!.asset).toEqual(asset);
    expect((await repo.list()).items[0]!.nodes).toHaveLength(3);
  });

  it('marks the pending nodes of an interrupted run interrupted and keeps the collected ones', async () => {
    await repo.createRunning({ id: 'a4', ...start });
    await repo.storeFacts(snapshot('node-2'));
    expect(await repo.markInterrupted([{ id: 'a4', error: 'interrupted: runner h:1 is no longer running' }], '2024-07-24T12:05:00.000Z')).toBe(1);
    expect((await repo.find('a4'))!.nodes.map((n) => n.status.state)).toEqual(['interrupted', 'interrupted', 'collected']);
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
