/**
 * The streamed assessment results against the built document (golden equality): the same bytes as
 * `oscalJsonText(buildAssessmentResults(...))` for runs with failures, without failures, without observations,
 * at every batch and chunk size; and validation part by part that accepts exactly what validating the whole
 * document accepts.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import type { Observation, RuleResult, RuleStatus } from '../../../src/domain/results.js';
import { createOscalValidator } from '../../../src/formats/oscal/schema-validator.js';
import { type ArNode, type AssessmentReportInput, buildAssessmentResults, type PlanReference } from '../../../src/reporting/oscal-ar-builder.js';
import { assessmentResultsChunks } from '../../../src/reporting/oscal-ar-stream.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { oscalJsonText } from '../../../src/reporting/oscal-values.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { reportInput } from './report-input.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const AT = '2024-07-24T12:00:01.000Z';
const PLAN: PlanReference = { uuid: '11111111-2222-4333-8444-555555555555', href: 'assessment-plan.json', sha256: 'a'.repeat(64), title: 'Plan' };
const NODES: ArNode[] = [
  { id: 'node-a', name: 'alpha', endpoint: 'unix:///var/run/docker.sock', collectedAt: AT, factsSha256: 'a'.repeat(64) },
  { id: 'node-b', name: 'beta', endpoint: 'tcp://10.0.0.5:2376', collectedAt: AT, factsSha256: 'b'.repeat(64) },
];

/** A rule result over `containers` containers, every `failEvery`th failing (0: none), with awkward text (newlines, quotes, unicode). */
function result(nodeId: string, n: number, status: RuleStatus, containers: number, failEvery: number, collectedAt = AT): RuleResult {
  const decided = status === 'pass' || status === 'fail';
  const observations: Observation[] = decided
    ? Array.from({ length: containers }, (_, i) => {
        const fails = status === 'fail' && failEvery > 0 && i % failEvery === 0;
        const name = i % 7 === 0 ? `c"${i}\n\u2028é` : `c${i}`;
        return { target: { kind: 'container' as const, id: `${nodeId}-${i}`, name }, field: 'HostConfig.Privileged', value: fails ? { nested: [1, 'two', null] } : false, expected: 'false', verdict: fails ? ('fail' as const) : ('pass' as const), message: fails ? `${name} runs privileged` : '', collectedAt };
      })
    : [];
  return {
    nodeId, stigId: `DKER-EE-00${1000 + n}`, ruleId: `SV-${235000 + n}r1_rule`, groupId: `V-${235000 + n}`, checkContentHash: '0'.repeat(64), title: `Rule ${n}\twith "quotes"`,
    severity: n % 2 === 0 ? 'high' : 'medium', status, message: `${status} on ${nodeId}`, observations, controlIds: n % 3 === 0 ? [] : ['cm-7_smt.a'], ccis: ['CCI-000381'], fixText: `Fix ${n}:\n  run it`,
  };
}

function inputOf(results: RuleResult[]): AssessmentReportInput {
  return reportInput({
    assessment: {
      id: 'asm-stream', status: 'completed', benchmarkDocumentId: 'doc-1', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', benchmarkTitle: 'Docker STIG', benchmarkVersion: '2', benchmarkRelease: '2',
      nodeIds: NODES.map((n) => n.id), startedAt: '2024-07-24T12:00:00.000Z', finishedAt: '2024-07-24T12:00:05.000Z', startedBy: 'alice', summary: summarize(results),
    },
    results,
    benchmark: { documentId: 'doc-1', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker STIG', version: '2', release: '2' },
    nodes: NODES,
  });
}

const STATUSES: RuleStatus[] = ['pass', 'fail', 'not-checked', 'error', 'not-applicable', 'fail'];
const mixed = (containers: number): AssessmentReportInput =>
  inputOf(NODES.flatMap((node) => STATUSES.map((s, n) => result(node.id, n, s, containers, 3))));
const streamed = (input: AssessmentReportInput, options: Parameters<typeof assessmentResultsChunks>[2] = {}): string => [...assessmentResultsChunks(input, PLAN, options)].join('');
const built = (input: AssessmentReportInput): string => oscalJsonText(buildAssessmentResults(input, PLAN));

describe('streamed assessment results', () => {
  it('are byte for byte the built document, whatever the batch and chunk sizes', () => {
    const input = mixed(25);
    const golden = built(input);
    for (const options of [{}, { batchSize: 1, chunkChars: 1 }, { batchSize: 7, chunkChars: 3000 }, { batchSize: 10_000 }]) expect(streamed(input, options)).toBe(golden);
  });

  it('are the built document without failures (no risks), without observations, and without results', () => {
    const passing = inputOf(NODES.map((node) => result(node.id, 1, 'pass', 5, 0)));
    expect(built(passing)).not.toContain('"risks"');
    expect(streamed(passing)).toBe(built(passing));
    const manual = inputOf([result('node-a', 2, 'not-checked', 0, 0)]);
    expect(streamed(manual)).toBe(built(manual));
    const none = inputOf([]);
    expect(built(none)).not.toContain('"observations"');
    expect(streamed(none)).toBe(built(none));
  });

  it('yield the document in bounded chunks', () => {
    const chunks = [...assessmentResultsChunks(mixed(200), PLAN, { chunkChars: 4096 })];
    expect(chunks.length).toBeGreaterThan(10);
    // A chunk is cut after the observation that passes the size: one observation at most beyond it (the head and tail aside).
    for (const c of chunks.slice(1, -1)) expect(c.length).toBeLessThan(4096 + 4096);
  });

  it('validate every observation once: the first batch in the whole document, the others in a lean one', () => {
    const input = mixed(10);
    const whole = JSON.parse(built(input)) as { 'assessment-results': { results: { observations: unknown[] }[] } };
    const seen: unknown[] = [];
    const docs: { doc: { 'assessment-results': { results: Record<string, unknown>[] } }; what: string }[] = [];
    streamed(input, {
      batchSize: 16,
      validate: (doc, what) => {
        const d = doc as (typeof docs)[number]['doc'];
        docs.push({ doc: d, what });
        seen.push(...(d['assessment-results'].results[0]!.observations as unknown[]));
      },
    });
    expect(seen).toEqual(whole['assessment-results'].results[0]!.observations);
    expect(docs[0]!.doc).toEqual({ 'assessment-results': { ...whole['assessment-results'], results: [{ ...whole['assessment-results'].results[0], observations: seen.slice(0, 16) }] } });
    expect(docs[0]!.what).toBe('assessment-results of assessment asm-stream');
    for (const { doc, what } of docs.slice(1)) {
      expect(Object.keys(doc['assessment-results'].results[0]!)).not.toContain('findings');
      expect(what).toMatch(/\(observations \d+ to \d+\)$/);
    }
  });

  it('accept and reject what validating the whole document accepts and rejects (NIST schema)', () => {
    const writer = AssessmentResultsWriter.fromSchema(schemaPath);
    const validator = createOscalValidator(schemaPath);
    const validate = (doc: unknown, what: string): void => validator.assertValid(doc, what);
    const good = mixed(30);
    expect(validator.validate(JSON.parse(built(good)), 'ar.json')).toEqual([]);
    expect(streamed(good, { batchSize: 50, validate })).toBe(built(good));
    const rendered = writer.render(good);
    const streamedDocs = writer.renderStreamed(good);
    expect(streamedDocs.plan).toEqual(rendered.plan);
    expect([...streamedDocs.results].join('')).toBe(oscalJsonText(rendered.results));
    // One observation with a collection time that is no date-time, deep in the stream (the second node's last rule).
    const results = NODES.flatMap((node) => STATUSES.map((s, n) => result(node.id, n, s, 30, 3, node.id === 'node-b' && n === 5 ? 'yesterday' : AT)));
    const bad = inputOf(results);
    expect(validator.validate(JSON.parse(built(bad)), 'ar.json')).not.toEqual([]);
    expect(() => streamed(bad, { batchSize: 50, validate })).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID', message: expect.stringMatching(/observations \d+ to \d+\) does not validate/) }));
    expect(() => writer.render(bad)).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
    expect(() => [...writer.renderStreamed(bad).results]).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
  });
});
