/**
 * The OSCAL assessment plan and assessment results as report formats: built by the writer that builds them at
 * run time (validated against NIST's schema on every rendering), serialised as the run stored them. The
 * results' `import-ap` links the plan by file name (`assessment-plan.json`) and sha256, so both keep their
 * run-time file names: saved side by side, the link resolves.
 */
import { ASSESSMENT_PLAN_FILE, ASSESSMENT_RESULTS_FILE } from '../domain/download.js';
import type { AssessmentDocuments, AssessmentResultsWriter } from './oscal-ar-writer.js';
import { oscalJsonText } from './oscal-values.js';
import type { ReportInput, ReportRenderer } from './renderer.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const encoder = new TextEncoder();

/**
 * The writer builds and validates the plan and the results together (the results name the plan's sha256): one
 * build per input serves both formats of a request (a bundle renders both from one input object).
 */
const built = new WeakMap<AssessmentResultsWriter, WeakMap<ReportInput, AssessmentDocuments>>();

function documentsOf(writer: AssessmentResultsWriter, input: ReportInput): AssessmentDocuments {
  let byInput = built.get(writer);
  if (byInput === undefined) built.set(writer, (byInput = new WeakMap()));
  let docs = byInput.get(input);
  if (docs === undefined) byInput.set(input, (docs = writer.render(input)));
  return docs;
}

function oscalRenderer(format: 'oscal-ap' | 'oscal-ar', description: string, fileName: string, pick: (docs: AssessmentDocuments) => unknown, writer: AssessmentResultsWriter): ReportRenderer {
  return { format, description, contentType: JSON_TYPE, scope: 'assessment', fileName: () => fileName, render: async (input) => encoder.encode(oscalJsonText(pick(documentsOf(writer, input)))) };
}

/** oscal-ap: the OSCAL 1.1.2 assessment plan. */
export function oscalPlanRenderer(writer: AssessmentResultsWriter): ReportRenderer {
  return oscalRenderer('oscal-ap', 'OSCAL 1.1.2 assessment plan (JSON): the nodes and targets as subjects, the rules as activities', ASSESSMENT_PLAN_FILE, (d) => d.plan, writer);
}

/** oscal-ar: the OSCAL 1.1.2 assessment results, importing the plan. */
export function oscalResultsRenderer(writer: AssessmentResultsWriter): ReportRenderer {
  return oscalRenderer('oscal-ar', 'OSCAL 1.1.2 assessment results (JSON): observations per target, findings and risks per rule and node', ASSESSMENT_RESULTS_FILE, (d) => d.results, writer);
}
