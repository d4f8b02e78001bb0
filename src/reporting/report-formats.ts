/**
 * THE table of report formats this server offers: one line per renderer module. A format not listed here is
 * not offered (the service refuses it naming the ones that are). Add a format by adding its renderer's line
 * (and, if it needs something from the wiring, a field of ReportRendererDeps).
 */
import type { MilestonePolicy } from '../domain/milestones.js';
import type { ReportLayoutRepository } from '../repositories/report-layout-repository.js';
import { bundleRenderer, type SigningKeySource } from './bundle-renderer.js';
import { cklbRenderer, cklRenderer, type ChecklistRenderer } from './checklist-renderers.js';
import type { AssessmentResultsWriter } from './oscal-ar-writer.js';
import type { PoamWriter } from './oscal-poam-writer.js';
import { oscalPlanRenderer, oscalResultsRenderer } from './oscal-renderers.js';
import { pdfRenderers } from './pdf-renderers.js';
import { checklistParts, pdfParts, type ReportPartSources } from './report-parts.js';
import { fileNamePart, ReportRendererTable, type ReportRenderer, type ReportScope } from './renderer.js';

/** What the renderers need from the wiring (main.ts). */
export interface ReportRendererDeps {
  /** Builds and validates the OSCAL plan and results. */
  writer: AssessmentResultsWriter;
  /** The signing key; absent: no bundle is offered. */
  signingKeys?: SigningKeySource;
  /** The POA&M, PDF and checklist formats' needs; absent (tests of the OSCAL and bundle formats alone): not offered. */
  documents?: DocumentRendererDeps;
}

/** What the POA&M, the PDFs and the checklists need from the wiring. */
export interface DocumentRendererDeps {
  /** Builds and validates the POA&M. */
  poamWriter: PoamWriter;
  /** The PDF layouts (the top-level reports/ folder). */
  layouts: ReportLayoutRepository;
  /** Due dates of POA&M milestones and remediation items (config `poamDueDays`). */
  milestonePolicy: MilestonePolicy;
  /** Where the optional parts come from: drift, earlier findings, rule texts. */
  parts: ReportPartSources;
}

/** The POA&M: one item per failing target, milestones from the policy, carried over from earlier runs by finding. */
function poamRenderer(deps: DocumentRendererDeps): ReportRenderer {
  return {
    format: 'poam',
    description: 'OSCAL 1.1.2 plan of action and milestones (JSON): an item per open finding and target, with its concrete step and due date',
    contentType: 'application/json',
    scope: 'assessment',
    fileName: (s: ReportScope) => `poam-${s.assessmentId}${s.node !== undefined ? `-${fileNamePart(s.node.name)}` : ''}.json`,
    async render(input, context) {
      const earlier = await deps.parts.earlierFindings(input.assessment.id, input.node?.id);
      const ar = context.offers('oscal-ar') ? await context.render('oscal-ar') : undefined;
      return deps.poamWriter.renderBytes(input, { policy: deps.milestonePolicy, earlier, ...(ar !== undefined ? { assessmentResults: { href: ar.fileName, sha256: ar.sha256 } } : {}) });
    },
  };
}

/** A checklist renderer given the rule texts it carries. */
function withRuleTexts(renderer: ChecklistRenderer, parts: ReportPartSources): ReportRenderer {
  return { ...renderer, render: async (input) => renderer.render({ ...input, ...(await checklistParts(parts, input)) }) };
}

/** The registered renderers, in REPORT_FORMATS order. */
export function reportRenderers(deps: ReportRendererDeps): ReportRenderer[] {
  const docs = deps.documents;
  const pdfs: ReportRenderer[] = docs === undefined ? [] : pdfRenderers({ layouts: docs.layouts, milestonePolicy: docs.milestonePolicy, parts: (input) => pdfParts(docs.parts, input) });
  return [
    oscalPlanRenderer(deps.writer),
    oscalResultsRenderer(deps.writer),
    ...(docs !== undefined ? [poamRenderer(docs)] : []),
    ...pdfs,
    ...(docs !== undefined ? [withRuleTexts(cklRenderer, docs.parts), withRuleTexts(cklbRenderer, docs.parts)] : []),
    ...(deps.signingKeys !== undefined ? [bundleRenderer(deps.signingKeys)] : []),
  ];
}

/** The table of the registered renderers. */
export function reportRendererTable(deps: ReportRendererDeps): ReportRendererTable {
  return new ReportRendererTable(reportRenderers(deps));
}
