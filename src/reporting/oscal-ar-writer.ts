/**
 * Builds the OSCAL documents of an assessment: the assessment plan and the assessment results that import it.
 * Every document is validated against NIST's official JSON Schema before it is returned: an invalid one is a
 * bug, reported as SCHEMA_INVALID, and is never stored. Nothing is written here: the documents are stored with
 * the assessment and leave as downloads, or as the CLI's --out files (both as `oscalJsonText` gives them, so
 * the plan's sha256 in the results' import-ap matches the file a reader gets).
 */
import { createHash } from 'node:crypto';
import { createOscalValidator, type OscalValidator } from '../formats/oscal/schema-validator.js';
import { buildAssessmentPlan } from './oscal-ap-builder.js';
import { assessmentResultsChunks } from './oscal-ar-stream.js';
import { ASSESSMENT_PLAN_FILE } from '../domain/download.js';
import { type AssessmentReportInput, buildAssessmentResults, type PlanReference } from './oscal-ar-builder.js';
import { type AssessmentPlanDocument, type AssessmentResultsDocument, oscalJsonText } from './oscal-values.js';

/** The plan and results of one assessment. */
export interface AssessmentDocuments {
  plan: AssessmentPlanDocument;
  results: AssessmentResultsDocument;
}

/** sha256 (hex) of a document's text as written. */
export function documentSha256(doc: unknown): string {
  return createHash('sha256').update(oscalJsonText(doc), 'utf8').digest('hex');
}

/** The plan (built and validated), and the results as text chunks, validated part by part as they are produced. */
export interface StreamedAssessmentDocuments {
  plan: AssessmentPlanDocument;
  /** The text of the results document; iterate once. A part that does not validate throws SCHEMA_INVALID mid-stream. */
  results: Iterable<string>;
}

/** Builds and validates OSCAL 1.1.2 assessment plans and results. */
export class AssessmentResultsWriter {
  constructor(private readonly validator: OscalValidator) {}

  /** A writer validating against the schema file at `schemaPath` (oscal_complete_schema-1.1.2.json). */
  static fromSchema(schemaPath: string): AssessmentResultsWriter {
    return new AssessmentResultsWriter(createOscalValidator(schemaPath));
  }

  /** Builds the plan, then the results importing it (by uuid, file name and sha256); throws SCHEMA_INVALID when either does not validate. */
  render(input: AssessmentReportInput): AssessmentDocuments {
    const plan = this.plan(input);
    const results = buildAssessmentResults(input, planReferenceOf(plan));
    this.validator.assertValid(results, `assessment-results of assessment ${input.assessment.id}`);
    return { plan, results };
  }

  /**
   * The same documents, the results as the text `oscalJsonText(render(input).results)` gives, produced and
   * validated observation batch by observation batch (oscal-ar-stream.ts) so that no large run is ever held whole.
   */
  renderStreamed(input: AssessmentReportInput): StreamedAssessmentDocuments {
    const plan = this.plan(input);
    const reference = planReferenceOf(plan);
    const validate = (doc: unknown, what: string): void => this.validator.assertValid(doc, what);
    return { plan, results: { [Symbol.iterator]: () => assessmentResultsChunks(input, reference, { validate }) } };
  }

  private plan(input: AssessmentReportInput): AssessmentPlanDocument {
    const plan = buildAssessmentPlan(input);
    this.validator.assertValid(plan, `assessment-plan of assessment ${input.assessment.id}`);
    return plan;
  }
}

/** How the results import the plan: its uuid, its file beside them, the sha256 of its text and its title. */
function planReferenceOf(plan: AssessmentPlanDocument): PlanReference {
  return { uuid: plan['assessment-plan'].uuid, href: ASSESSMENT_PLAN_FILE, sha256: documentSha256(plan), title: String(plan['assessment-plan'].metadata.title) };
}
