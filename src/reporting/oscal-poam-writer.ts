/**
 * Renders the POA&M of an assessment as Plimsoll writes and serves it: built (oscal-poam-builder.ts), then
 * validated against NIST's OSCAL 1.1.2 JSON Schema before anything sees it. An invalid document is a bug,
 * reported as SCHEMA_INVALID, and never reaches a file or a download.
 */
import { createOscalValidator, type OscalValidator } from '../formats/oscal/schema-validator.js';
import type { AssessmentReportInput } from './oscal-inventory.js';
import { buildPoam, type PoamDocument, type PoamOptions } from './oscal-poam-builder.js';
import { oscalJsonText } from './oscal-values.js';

/** The file name of a POA&M beside the assessment's plan and results. */
export const POAM_FILE = 'poam.json';

/** Builds and validates POA&Ms. */
export class PoamWriter {
  constructor(private readonly validator: OscalValidator) {}

  /** A writer validating against the schema file at `schemaPath` (oscal_complete_schema-1.1.2.json). */
  static fromSchema(schemaPath: string): PoamWriter {
    return new PoamWriter(createOscalValidator(schemaPath));
  }

  /** The validated document; throws SCHEMA_INVALID when it does not validate. */
  render(input: AssessmentReportInput, options: PoamOptions = {}): PoamDocument {
    const doc = buildPoam(input, options);
    this.validator.assertValid(doc, `plan-of-action-and-milestones of assessment ${input.assessment.id}`);
    return doc;
  }

  /** The validated document's bytes (UTF-8 JSON as every OSCAL document is written): what a renderer returns. */
  renderBytes(input: AssessmentReportInput, options: PoamOptions = {}): Uint8Array {
    return new TextEncoder().encode(oscalJsonText(this.render(input, options)));
  }
}
