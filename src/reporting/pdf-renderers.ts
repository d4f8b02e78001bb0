/**
 * The two PDF formats as report renderers: `pdf` (the attestation) and `remediation-pdf` (the remediation
 * plan). Their shape is the report renderer contract (format, description, content type, scope, file name,
 * render(input, context)); the attestation asks the render context for the OSCAL results (`oscal-ar`) to print
 * their sha256, never renders them itself. What other packages know about the assessment (reviews, accepted
 * risks, drift, signers, owners, first observations) arrives through `parts`, a loader given by whoever wires
 * the renderers; without it those sections say that nothing was recorded. Layouts come from the
 * ReportLayoutRepository (reports/ folder); the milestone policy from the configuration.
 */
import type { MilestonePolicy } from '../domain/milestones.js';
import type { ReportLayoutRepository } from '../repositories/report-layout-repository.js';
import { renderAttestationPdf } from './attestation-pdf.js';
import type { ArNode, AssessmentReportInput } from './oscal-inventory.js';
import type { PdfReportInput } from './pdf-report-input.js';
import { renderRemediationPdf } from './remediation-pdf.js';
import { fileNamePart, type ReportScope } from './renderer.js';

/** What a PDF renderer renders: one stored assessment's reporting input, limited to `node` when set. */
export type PdfRenderInput = AssessmentReportInput & { node?: ArNode };

/** What the PDF renderers ask of the report service while they render. */
export interface PdfRenderContext {
  offers(format: 'oscal-ar'): boolean;
  render(format: 'oscal-ar'): Promise<{ sha256: string }>;
}

/** The optional parts of a PDF's input, loaded for one assessment by other packages. */
export type PdfPartsLoader = (input: PdfRenderInput) => Promise<Omit<PdfReportInput, 'report' | 'oscalResultsSha256' | 'milestonePolicy'>>;

export interface PdfRenderer {
  readonly format: 'pdf' | 'remediation-pdf';
  readonly description: string;
  readonly contentType: string;
  readonly scope: 'assessment';
  fileName(scope: ReportScope): string;
  render(input: PdfRenderInput, context: PdfRenderContext): Promise<Uint8Array>;
}

export interface PdfRendererOptions {
  layouts: ReportLayoutRepository;
  milestonePolicy: MilestonePolicy;
  parts?: PdfPartsLoader;
}

/** The node's part of a file name, when the report is limited to one. */
function suffix(scope: ReportScope): string {
  return scope.node !== undefined ? `-${fileNamePart(scope.node.name)}` : '';
}

async function pdfInput(input: PdfRenderInput, opts: PdfRendererOptions, oscalResultsSha256?: string): Promise<PdfReportInput> {
  const parts = opts.parts !== undefined ? await opts.parts(input) : {};
  return { ...parts, report: input, milestonePolicy: opts.milestonePolicy, ...(oscalResultsSha256 !== undefined ? { oscalResultsSha256 } : {}) };
}

/** The attestation (`pdf`) and remediation plan (`remediation-pdf`) renderers. */
export function pdfRenderers(opts: PdfRendererOptions): PdfRenderer[] {
  return [
    {
      format: 'pdf',
      description: 'PDF attestation: scope, summary charts, results by rule with failed targets, reviews, exemptions, drift, OSCAL digest, signatures',
      contentType: 'application/pdf',
      scope: 'assessment',
      fileName: (scope) => `attestation-${scope.assessmentId}${suffix(scope)}.pdf`,
      async render(input, context) {
        const sha = context.offers('oscal-ar') ? (await context.render('oscal-ar')).sha256 : undefined;
        return renderAttestationPdf(await pdfInput(input, opts, sha), await opts.layouts.load());
      },
    },
    {
      format: 'remediation-pdf',
      description: 'PDF remediation plan: open findings by severity and due date, with concrete steps per target',
      contentType: 'application/pdf',
      scope: 'assessment',
      fileName: (scope) => `remediation-plan-${scope.assessmentId}${suffix(scope)}.pdf`,
      async render(input) {
        return renderRemediationPdf(await pdfInput(input, opts), await opts.layouts.load());
      },
    },
  ];
}
