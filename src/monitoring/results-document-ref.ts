/**
 * Which stored assessment an OSCAL assessment-results document is (pure): Plimsoll writes the assessment id as
 * the result's `assessment-id` prop and derives the document's uuid from it. A document is accepted only when it
 * is, word for word in the OSCAL model, the one stored with that assessment: an edited or foreign document is
 * refused rather than compared under a stored run's name.
 */
import { canonicalJson } from '../domain/canonical-json.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { readOscalDocument } from '../formats/oscal/document.js';
import { oscalUuids } from '../reporting/oscal-uuids.js';
import { PLIMSOLL_NS } from '../reporting/oscal-values.js';

function refuse(file: string, pointer: string, message: string, code: ErrorCode = ErrorCode.BAD_INPUT): PlimsollError {
  return new PlimsollError(code, `${file}: ${message}`, [{ file, pointer, message }]);
}

/** The assessment id a results document names, after checking its shape (JSON, XML or YAML). */
export function assessmentIdOf(file: string, bytes: Uint8Array): { assessmentId: string; document: unknown } {
  const doc = readOscalDocument(file, bytes);
  if (doc.model !== 'assessment-results') throw refuse(file, '/', `an OSCAL ${doc.model} document, not assessment results`, ErrorCode.CONTENT_UNKNOWN_KIND);
  const ar = (doc.json as Record<string, any>)['assessment-results'];
  const props: unknown = ar?.results?.[0]?.props;
  const prop = Array.isArray(props) ? props.find((p: any) => p?.name === 'assessment-id' && p?.ns === PLIMSOLL_NS) : undefined;
  if (typeof prop?.value !== 'string' || prop.value === '') {
    throw refuse(file, '/assessment-results/results/0/props', 'no assessment-id prop: these assessment results were not written by Plimsoll');
  }
  if (ar.uuid !== oscalUuids.assessmentResults(prop.value)) {
    throw refuse(file, '/assessment-results/uuid', `the document uuid is not the one Plimsoll gives assessment ${prop.value}: not a document it wrote`);
  }
  return { assessmentId: prop.value, document: doc.json };
}

/** Refuses a document that differs from the one stored with its assessment (CONFLICT). */
export function requireStoredDocument(file: string, assessmentId: string, document: unknown, stored: unknown): void {
  if (stored === undefined) throw refuse(file, '/', `assessment ${assessmentId} has no stored results document to compare the file with`, ErrorCode.CONFLICT);
  if (canonicalJson(document) !== canonicalJson(stored)) {
    throw refuse(file, '/assessment-results', `the document differs from the results stored for assessment ${assessmentId}: it was edited, or another database wrote it`, ErrorCode.CONFLICT);
  }
}
