/**
 * Writes OSCAL assessment results. Every document is validated against NIST's official JSON Schema
 * before it is returned or written: an invalid one is a bug, reported as SCHEMA_INVALID, and never
 * reaches a file. Files are written through a temporary sibling and renamed, so a reader never sees
 * half a document.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createOscalValidator, type OscalValidator } from '../formats/oscal/schema-validator.js';
import { type AssessmentResultsInput, buildAssessmentResults } from './oscal-ar-builder.js';
import type { AssessmentResultsDocument } from './oscal-values.js';

/** The file name written into an output directory. */
export const ASSESSMENT_RESULTS_FILE = 'assessment-results.json';

export interface AssessmentResultsWriterOptions {
  /** UUID generator of the document's identifiers (default crypto.randomUUID). */
  newUuid?: () => string;
}

/** Builds, validates and writes OSCAL 1.1.2 assessment-results documents. */
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

  /** Validates `doc` again and writes it to `dir/assessment-results.json` (creating `dir`); returns the path. */
  async writeToDirectory(doc: AssessmentResultsDocument, dir: string): Promise<string> {
    const file = path.resolve(dir, ASSESSMENT_RESULTS_FILE);
    this.validator.assertValid(doc, file);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${this.newUuid()}.tmp`;
    try {
      await fs.writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return file;
  }
}
