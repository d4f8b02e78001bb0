/**
 * Writes OSCAL assessment results. Every document is validated against NIST's official JSON Schema
 * before it is returned: an invalid one is a bug, reported as SCHEMA_INVALID, and is never stored.
 */
import { randomUUID } from 'node:crypto';
import { createOscalValidator, type OscalValidator } from '../formats/oscal/schema-validator.js';
import { type AssessmentResultsInput, buildAssessmentResults } from './oscal-ar-builder.js';
import type { AssessmentResultsDocument } from './oscal-values.js';

export interface AssessmentResultsWriterOptions {
  /** UUID generator of the document's identifiers (default crypto.randomUUID). */
  newUuid?: () => string;
}

/** Builds and validates OSCAL 1.1.2 assessment-results documents. */
export class AssessmentResultsWriter {
  private readonly newUuid: () => string;

  constructor(
    private readonly validator: OscalValidator,
    options: AssessmentResultsWriterOptions = {},
  ) {
    this.newUuid = options.newUuid ?? randomUUID;
  }

  /** A writer validating against the schema file at `schemaPath` (oscal_complete_schema-1.1.2.json). */
  static fromSchema(schemaPath: string, options: AssessmentResultsWriterOptions = {}): AssessmentResultsWriter {
    return new AssessmentResultsWriter(createOscalValidator(schemaPath), options);
  }

  /** Builds the document and validates it; throws SCHEMA_INVALID when it does not validate. */
  render(input: AssessmentResultsInput): AssessmentResultsDocument {
    const doc = buildAssessmentResults(input, { newUuid: this.newUuid });
    this.validator.assertValid(doc, `assessment-results of assessment ${input.assessment.id}`);
    return doc;
  }
}
