/**
 * Writes the OSCAL documents of an assessment: the assessment plan and the assessment results that import it.
 * Every document is validated against NIST's official JSON Schema before it is returned or written: an invalid
 * one is a bug, reported as SCHEMA_INVALID, and never reaches a file. Files are written through a temporary
 * sibling and renamed, so a reader never sees half a document.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createOscalValidator, type OscalValidator } from '../formats/oscal/schema-validator.js';
import { buildAssessmentPlan } from './oscal-ap-builder.js';
import { type AssessmentReportInput, buildAssessmentResults } from './oscal-ar-builder.js';
import { type AssessmentPlanDocument, type AssessmentResultsDocument, oscalJsonText } from './oscal-values.js';

/** The file names written into an output directory; the results' import-ap links the plan by this name. */
export const ASSESSMENT_RESULTS_FILE = 'assessment-results.json';
export const ASSESSMENT_PLAN_FILE = 'assessment-plan.json';

/** The plan and results of one assessment. */
export interface AssessmentDocuments {
  plan: AssessmentPlanDocument;
  results: AssessmentResultsDocument;
}

/** sha256 (hex) of a document's text as written. */
export function documentSha256(doc: unknown): string {
  return createHash('sha256').update(oscalJsonText(doc), 'utf8').digest('hex');
}

/** Builds, validates and writes OSCAL 1.1.2 assessment plans and results. */
export class AssessmentResultsWriter {
  constructor(private readonly validator: OscalValidator) {}

  /** A writer validating against the schema file at `schemaPath` (oscal_complete_schema-1.1.2.json). */
  static fromSchema(schemaPath: string): AssessmentResultsWriter {
    return new AssessmentResultsWriter(createOscalValidator(schemaPath));
  }

  /** Builds the plan, then the results importing it (by uuid, file name and sha256); throws SCHEMA_INVALID when either does not validate. */
  render(input: AssessmentReportInput): AssessmentDocuments {
    const plan = buildAssessmentPlan(input);
    this.validator.assertValid(plan, `assessment-plan of assessment ${input.assessment.id}`);
    const results = buildAssessmentResults(input, {
      uuid: plan['assessment-plan'].uuid,
      href: ASSESSMENT_PLAN_FILE,
      sha256: documentSha256(plan),
      title: String(plan['assessment-plan'].metadata.title),
    });
    this.validator.assertValid(results, `assessment-results of assessment ${input.assessment.id}`);
    return { plan, results };
  }

  /** Validates both again and writes `dir/assessment-plan.json` and `dir/assessment-results.json` (creating `dir`); returns the paths. */
  async writeToDirectory(docs: AssessmentDocuments, dir: string): Promise<{ plan: string; results: string }> {
    const planFile = path.resolve(dir, ASSESSMENT_PLAN_FILE);
    const resultsFile = path.resolve(dir, ASSESSMENT_RESULTS_FILE);
    this.validator.assertValid(docs.plan, planFile);
    this.validator.assertValid(docs.results, resultsFile);
    await fs.mkdir(path.resolve(dir), { recursive: true });
    // The plan first: the results name it, so a reader that finds the results finds the plan too.
    await writeAtomically(planFile, oscalJsonText(docs.plan));
    await writeAtomically(resultsFile, oscalJsonText(docs.results));
    return { plan: planFile, results: resultsFile };
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
