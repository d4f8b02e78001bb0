/**
 * Every format the wired table registers, rendered from one stored assessment through the report service: the
 * POA&M, both PDFs and both checklists beside the OSCAL documents, and the signed bundle covering the AR, the
 * POA&M and the PDF. Guards the wiring (main.ts builds the table the same way), not each format's content.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../../src/domain/report.js';
import { PoamWriter } from '../../../src/reporting/oscal-poam-writer.js';
import { reportRendererTable } from '../../../src/reporting/report-formats.js';
import { DefaultReportService } from '../../../src/reporting/report-service.js';
import { verifyBundle } from '../../../src/reporting/signing/bundle-verify.js';
import { SigningKey } from '../../../src/reporting/signing/signing-key.js';
import { ReportLayoutRepository } from '../../../src/repositories/report-layout-repository.js';
import { repoRoot } from '../../harness/content.js';
import { readPdf } from './pdf-tools.js';
import { SCHEMA_PATH, storedAssessment, type StoredAssessmentFixture } from './stored-assessment.js';

let f: StoredAssessmentFixture;
let service: DefaultReportService;

beforeAll(async () => {
  f = await storedAssessment();
  const keys = { key: async () => key };
  const key = await SigningKey.generate();
  const renderers = reportRendererTable({
    writer: f.writer,
    signingKeys: keys,
    documents: {
      poamWriter: PoamWriter.fromSchema(SCHEMA_PATH),
      layouts: new ReportLayoutRepository(path.join(repoRoot, 'reports')),
      milestonePolicy: { dueDays: { high: 30, medium: 90, low: 180, unknown: 90 } },
      parts: { runDrift: async () => [], earlierFindings: (id, node) => f.targets.earlierFindings(id, node), listRules: (doc) => f.library.listRules(doc) },
    },
  });
  service = new DefaultReportService({ loader: f.loader, renderers, signingKeys: keys });
}, 60_000);

afterAll(async () => {
  await f?.close();
});

describe('the wired report formats', () => {
  it("offers every format Plimsoll knows", async () => {
    expect((await service.formats()).map((x) => x.format).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  it('renders each for a node of a stored assessment, each as its kind of document', async () => {
    const id = f.assessment.id;
    const poam = JSON.parse(new TextDecoder().decode((await service.render(id, 'poam', { node: 'local' })).bytes)) as Record<string, unknown>;
    expect(Object.keys(poam)).toEqual(['plan-of-action-and-milestones']);
    const pdf = readPdf((await service.render(id, 'pdf', { node: 'local' })).bytes);
    expect(pdf.pageCount).toBeGreaterThan(1);
    expect(pdf.text).toContain('local');
    const plan = readPdf((await service.render(id, 'remediation-pdf', { node: 'local' })).bytes);
    expect(plan.pageCount).toBeGreaterThan(0);
    const ckl = new TextDecoder().decode((await service.render(id, 'ckl', { node: 'local' })).bytes);
    expect(ckl).toContain('<CHECKLIST>');
    const cklb = JSON.parse(new TextDecoder().decode((await service.render(id, 'cklb', { node: 'local' })).bytes)) as { stigs: unknown[] };
    expect(cklb.stigs).toHaveLength(1);
  }, 60_000);

  it('signs a bundle whose subjects include the AR, the POA&M and the PDF, and which verifies', async () => {
    const bundle = await service.render(f.assessment.id, 'bundle', { node: 'local' });
    const verified = await verifyBundle(bundle.bytes);
    expect(verified.problems).toEqual([]);
    expect(verified.verified).toBe(true);
    const names = verified.subjects.map((s) => s.name).join(' ');
    expect(names).toMatch(/poam/);
    expect(names).toMatch(/\.pdf/);
    expect(names).toMatch(/assessment-results/);
  }, 60_000);
});
