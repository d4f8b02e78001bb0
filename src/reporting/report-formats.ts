/**
 * THE table of report formats this server offers: one line per renderer module. A format not listed here is
 * not offered (the service refuses it naming the ones that are). Add a format by adding its renderer's line
 * (and, if it needs something from the wiring, a field of ReportRendererDeps).
 */
import { bundleRenderer, type SigningKeySource } from './bundle-renderer.js';
import type { AssessmentResultsWriter } from './oscal-ar-writer.js';
import { oscalPlanRenderer, oscalResultsRenderer } from './oscal-renderers.js';
import { ReportRendererTable, type ReportRenderer } from './renderer.js';

/** What the renderers need from the wiring (main.ts). */
export interface ReportRendererDeps {
  /** Builds and validates the OSCAL plan and results. */
  writer: AssessmentResultsWriter;
  /** The signing key; absent: no bundle is offered. */
  signingKeys?: SigningKeySource;
}

/** The registered renderers, in REPORT_FORMATS order. */
export function reportRenderers(deps: ReportRendererDeps): ReportRenderer[] {
  return [oscalPlanRenderer(deps.writer), oscalResultsRenderer(deps.writer), ...(deps.signingKeys !== undefined ? [bundleRenderer(deps.signingKeys)] : [])];
}

/** The table of the registered renderers. */
export function reportRendererTable(deps: ReportRendererDeps): ReportRendererTable {
  return new ReportRendererTable(reportRenderers(deps));
}
