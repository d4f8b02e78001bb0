import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import type { StoredDocument, StoredRule } from '../../../src/domain/services.js';
import { writeCklb } from '../../../src/formats/ckl/cklb.js';
import { buildChecklist, type ChecklistAttestation } from '../../../src/reporting/checklist-builder.js';
import { cklRenderer } from '../../../src/reporting/checklist-renderers.js';
import { ChecklistImportService, type ChecklistReviewInput, DEFAULT_IMPORT_EXPIRY } from '../../../src/reviews/checklist-import-service.js';
import { rejection } from '../../harness/errors.js';
import { benchmark, checklistInput, NODE } from '../reporting/checklist-input.js';

const ACTOR = { name: 'carol', role: 'assessor' } as unknown as Principal;

function doc(documentId: string, release: string): StoredDocument {
  return {
    documentId, kind: 'benchmark', id: benchmark.benchmarkId, title: benchmark.title, version: '2', release, sourceFile: 'x.xml', sha256: 'a'.repeat(64),
    counts: {}, importedAt: '2026-11-01T00:00:00Z', importedBy: 'admin',
  };
}

/** The library holding V2R2 (and V2R1 without DKER-EE-999999), and a review importer that records what it is given. */
function setup(): { service: ChecklistImportService; calls: ChecklistReviewInput[][] } {
  const calls: ChecklistReviewInput[][] = [];
  const rules = new Map(benchmark.rules.map((r) => [r.ruleId, { ...r, documentId: 'doc-v2r2' } as StoredRule]));
  const service = new ChecklistImportService({
    library: {
      listDocuments: () => Promise.resolve([doc('doc-v2r1', '1'), doc('doc-v2r2', '2')]),
      getRule: (documentId, ref) => Promise.resolve(documentId === 'doc-v2r2' ? rules.get(ref) : undefined),
    },
    reviews: {
      importReviews: (reviews) => {
        calls.push([...reviews]);
        return Promise.resolve(reviews.map((_, i) => ({ id: `rev-${i + 1}` })));
      },
    },
    // The CLI's path: bytes it read itself (upload ids are resolved by the real upload service elsewhere).
    uploads: {
      resolve: (inputs) => Promise.resolve(inputs.map((i) => { if ('uploadId' in i) throw new Error('no uploads here'); return i; })),
    },
  });
  return { service, calls };
}

const manual = benchmark.rules[2]!;
const ATTESTATION: ChecklistAttestation = {
  nodeId: NODE.id, ruleId: manual.ruleId, reviewId: 'rev-0', result: 'pass', statement: 'UCP admin accounts reviewed on 2026-11-20; MFA enforced.',
  submittedBy: 'erin', submittedAt: '2026-11-20T09:00:00Z', acceptedBy: 'dave', acceptedAt: '2026-11-21T09:00:00Z', expiresAt: '2027-11-21',
};

describe('ChecklistImportService', () => {
  it('imports the answered rules of a checklist as reviews of its node, matched to the release it was written for', async () => {
    const { service, calls } = setup();
    const ckl = await cklRenderer.render(checklistInput({ attestations: [ATTESTATION] }));
    const out = await service.importChecklist({ file: { name: 'alpha.ckl', bytes: Buffer.from(ckl) } }, ACTOR);
    expect(out).toMatchObject({ format: 'ckl', node: 'alpha-host', benchmarks: [{ documentId: 'doc-v2r2', release: 'V2R2' }], reviewIds: ['rev-1'] });
    expect(out.skipped.length).toBe(benchmark.rules.length - 1);
    expect(calls).toEqual([
      [
        {
          benchmark: 'doc-v2r2', stigId: manual.stigId, scope: { kind: 'node', node: 'alpha-host' }, result: 'pass', statement: ATTESTATION.statement,
          evidence: [{ kind: 'text', text: 'Not decided by a check: Manual review: the check text asks a person.' }], expiry: DEFAULT_IMPORT_EXPIRY,
        },
      ],
    ]);
  });

  it('takes the node and expiry the importer gives', async () => {
    const { service, calls } = setup();
    const cklb = new TextEncoder().encode(writeCklb(buildChecklist(checklistInput({ attestations: [ATTESTATION] }))));
    await service.importChecklist({ file: { name: 'alpha.cklb', bytes: Buffer.from(cklb) }, node: 'alpha', expiry: { kind: 'date', date: '2027-03-31' } }, ACTOR);
    expect(calls[0]![0]).toMatchObject({ scope: { kind: 'node', node: 'alpha' }, expiry: { kind: 'date', date: '2027-03-31' } });
  });

  it('refuses a release the library lacks, or a rule that release does not have, naming the place; nothing is imported', async () => {
    const { service, calls } = setup();
    const c = buildChecklist(checklistInput({ attestations: [ATTESTATION] }));
    c.stigs[0]!.info.releaseInfo = 'Release: 3 Benchmark Date: 01 Jan 2026';
    const e1 = await rejection(service.importChecklist({ file: { name: 'old.cklb', bytes: Buffer.from(new TextEncoder().encode(writeCklb(c))) } }, ACTOR));
    expect(e1.code).toBe('NOT_FOUND');
    expect(e1.message).toBe('old.cklb (/stigs/0/rules/2): benchmark Docker_Enterprise_2-x_Linux-UNIX_STIG V2R3 is not in the library; import that release first');
    c.stigs[0]!.info.releaseInfo = 'Release: 2 Benchmark Date: 24 Jul 2024';
    c.stigs[0]!.rules[2]!.ruleId = 'SV-999999r1_rule';
    const e2 = await rejection(service.importChecklist({ file: { name: 'odd.cklb', bytes: Buffer.from(new TextEncoder().encode(writeCklb(c))) } }, ACTOR));
    expect(e2.code).toBe('BAD_INPUT');
    expect(e2.message).toBe(`odd.cklb (/stigs/0/rules/2): rule SV-999999r1_rule (${manual.stigId}) is not a rule of Docker_Enterprise_2-x_Linux-UNIX_STIG V2R2`);
    expect(calls).toEqual([]);
  });

  it('imports nothing from a checklist with no reviewer\'s answer, and refuses a bad file with its place', async () => {
    const { service, calls } = setup();
    const out = await service.importChecklist({ file: { name: 'alpha.ckl', bytes: Buffer.from(await cklRenderer.render(checklistInput())) } }, ACTOR);
    expect(out.reviewIds).toEqual([]);
    expect(calls).toEqual([]);
    const e = await rejection(service.importChecklist({ file: { name: 'bad.ckl', bytes: Buffer.from(new TextEncoder().encode('<CHECKLIST><ASSET>')) } }, ACTOR));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toMatch(/^bad\.ckl:1:\d+: /);
  });
});
