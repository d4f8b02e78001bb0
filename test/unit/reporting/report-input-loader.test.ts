import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/domain/errors.js';
import { oscalJsonText } from '../../../src/reporting/oscal-values.js';
import { contextFromDocuments } from '../../../src/repositories/database/migration-0017-reports.js';
import { rejection } from '../../harness/errors.js';
import { type StoredAssessmentFixture, storedAssessment } from './stored-assessment.js';

let f: StoredAssessmentFixture;

beforeAll(async () => {
  f = await storedAssessment();
}, 60_000);

afterAll(async () => {
  await f.close();
});

describe('ReportInputLoader', () => {
  it('rebuilds the input of a stored assessment: its plan and results render to the documents stored at run time, byte for byte', async () => {
    const input = await f.loader.load(f.assessment.id);
    const docs = f.writer.render(input);
    expect(oscalJsonText(docs.results)).toBe(oscalJsonText(await f.repo.resultsDocument(f.assessment.id)));
    expect(oscalJsonText(docs.plan)).toBe(oscalJsonText(await f.repo.planDocument(f.assessment.id)));
    // The run streamed its results into storage part by part: those are the bytes too.
    const parts = await f.repo.resultsDocumentParts(f.assessment.id);
    let stored = '';
    for await (const part of parts!) stored += part;
    expect(stored).toBe(oscalJsonText(docs.results));
    expect(input.node).toBeUndefined();
    expect(input.nodes.map((n) => n.name)).toEqual(['local', 'remote']);
    expect(input.rules.filter((r) => r.automated).map((r) => r.stigId)).toEqual(['DKER-EE-001960', 'DKER-EE-002000', 'DKER-EE-999999']);
    expect(input.nodes[0]!.engineVersion).toBe('26.1.5');
  });

  it('rebuilds the same input under a profile', async () => {
    const a = await f.run({ nodes: ['local'], profileId: 'MAC-1_Classified' });
    const input = await f.loader.load(a.id);
    expect(input.profile).toEqual({ id: 'MAC-1_Classified', title: 'Mission critical' });
    expect(input.rules).toHaveLength(2);
    expect(oscalJsonText(f.writer.render(input).results)).toBe(oscalJsonText(await f.repo.resultsDocument(a.id)));
  });

  it('limits the input to one node, by name or id, with that node summary', async () => {
    const input = await f.loader.load(f.assessment.id, { node: 'local' });
    const nodeId = f.assessment.nodes[0]!.nodeId;
    expect(input.node?.id).toBe(nodeId);
    expect(input.nodes.map((n) => n.id)).toEqual([nodeId]);
    expect(new Set(input.results.map((r) => r.nodeId))).toEqual(new Set([nodeId]));
    expect(input.results).toHaveLength(4);
    expect(input.targets.length).toBeGreaterThan(0);
    expect(input.targets.every((t) => t.nodeId === nodeId)).toBe(true);
    expect(input.assessment.summary!.counts.error).toBe(1);
    expect(f.assessment.summary!.counts.error).toBe(5);
    const byId = await f.loader.load(f.assessment.id, { node: nodeId });
    expect(oscalJsonText(f.writer.render(byId).results)).toBe(oscalJsonText(f.writer.render(input).results));
  });

  it('refuses an unknown assessment, an unknown node and an assessment that did not complete', async () => {
    expect(await rejection(f.loader.load('nope'))).toMatchObject({ code: ErrorCode.NOT_FOUND, message: expect.stringMatching(/no assessment nope/) });
    expect(await rejection(f.loader.load(f.assessment.id, { node: 'elsewhere' }))).toMatchObject({ code: ErrorCode.NOT_FOUND, message: expect.stringMatching(/its nodes: local, remote/) });
    await f.db.insertInto('assessment').values({ id: 'running-1', status: 'running', benchmark_document_id: 'doc-r2', profile_id: null, node_ids_json: '[]', started_at: '2024-07-24T00:00:00Z', finished_at: null, started_by: 'alice', error: null, summary_json: null, results_document_json: null, runner: null, plan_document_json: null, report_context_json: null }).execute();
    expect(await rejection(f.loader.load('running-1'))).toMatchObject({ code: ErrorCode.CONFLICT, message: expect.stringMatching(/is running: only a completed assessment has reports/) });
  });

  it('migration 0017 recovers the stored context from the documents of an assessment stored before it', async () => {
    const stored = await f.repo.reportContext(f.assessment.id);
    expect(stored).toBeDefined();
    const recovered = contextFromDocuments(f.assessment.startedBy, await f.repo.resultsDocument(f.assessment.id), await f.repo.planDocument(f.assessment.id));
    expect(recovered).toEqual(stored);
  });
});
