/** The PDF formats as report renderers: file names, the AR digest asked of the render context, parts loaded. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetPdfInput } from '../../../bench/pdf-fleet.js';
import { DEFAULT_MILESTONE_POLICY } from '../../../src/domain/milestones.js';
import { ReportLayoutRepository } from '../../../src/repositories/report-layout-repository.js';
import { pdfRenderers, type PdfRenderContext } from '../../../src/reporting/pdf-renderers.js';
import { repoRoot } from '../../harness/content.js';
import { flat, readPdf } from './pdf-tools.js';

const layouts = new ReportLayoutRepository(path.join(repoRoot, 'reports'));
const { report, reviews } = fleetPdfInput({ nodes: 1, containersPerNode: 2, extras: true });

/** A render context whose only other format is the AR, with a known digest. */
function contextWith(sha256: string | undefined): PdfRenderContext & { asked: number } {
  return {
    asked: 0,
    offers: () => sha256 !== undefined,
    async render() {
      this.asked += 1;
      return { sha256: sha256! };
    },
  };
}

describe('PDF report renderers', () => {
  const [attestation, remediation] = pdfRenderers({ layouts, milestonePolicy: DEFAULT_MILESTONE_POLICY, parts: async () => ({ reviews: reviews! }) });

  it('registers pdf and remediation-pdf with file names from the assessment and node', () => {
    expect([attestation!.format, remediation!.format]).toEqual(['pdf', 'remediation-pdf']);
    expect(attestation!.contentType).toBe('application/pdf');
    expect(attestation!.fileName({ assessmentId: report.assessment.id })).toBe('attestation-asm-fleet.pdf');
    expect(remediation!.fileName({ assessmentId: report.assessment.id, node: report.nodes[0]! })).toBe('remediation-plan-asm-fleet-alpha.pdf');
  });

  it('prints the sha256 of the OSCAL results the context rendered, and the parts the loader gave', async () => {
    const context = contextWith('9f'.repeat(32));
    const text = flat(readPdf(await attestation!.render(report, context)).text);
    expect(context.asked).toBe(1);
    expect(text).toContain(`OSCAL assessment results sha256 ${'9f'.repeat(32)}`);
    expect(text).toContain('DKER-EE-001030');
  });

  it('says the digest is not recorded when the server offers no OSCAL results', async () => {
    const context = contextWith(undefined);
    const text = flat(readPdf(await attestation!.render(report, context)).text);
    expect(context.asked).toBe(0);
    expect(text).toContain('OSCAL results sha256 Not recorded');
  });
});
