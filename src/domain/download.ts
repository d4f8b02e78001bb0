/**
 * Downloads of stored results: the paths `GET /downloads/...` serves and GraphQL download fields give. The
 * server does not know its public URL, so fields carry the path; clients prefix their server's origin.
 */

/** A stored artifact ready to send. */
export interface Download {
  fileName: string;
  contentType: string;
  body: Buffer;
}

export const DOWNLOADS_PREFIX = '/downloads/';
/**
 * File names of an assessment's OSCAL documents, the same in every copy: the CLI's --out directory and the
 * download routes. The results' import-ap links the plan by the relative name, so it resolves beside the
 * results in both (…/assessments/ID/assessment-results.json → …/assessments/ID/assessment-plan.json).
 */
export const ASSESSMENT_RESULTS_FILE = 'assessment-results.json';
export const ASSESSMENT_PLAN_FILE = 'assessment-plan.json';
export const RESOLVED_CATALOG_FILE = 'resolved-catalog.json';

/** Where the OSCAL assessment results of an assessment are downloaded. */
export function assessmentResultsDownloadPath(assessmentId: string): string {
  return `${DOWNLOADS_PREFIX}assessments/${encodeURIComponent(assessmentId)}/${ASSESSMENT_RESULTS_FILE}`;
}

/** Where the OSCAL assessment plan of an assessment is downloaded: beside its results, where their import-ap points. */
export function assessmentPlanDownloadPath(assessmentId: string): string {
  return `${DOWNLOADS_PREFIX}assessments/${encodeURIComponent(assessmentId)}/${ASSESSMENT_PLAN_FILE}`;
}

/** Where the resolved catalog of a baseline is downloaded. */
export function resolvedCatalogDownloadPath(baselineDocumentId: string): string {
  return `${DOWNLOADS_PREFIX}baselines/${encodeURIComponent(baselineDocumentId)}/${RESOLVED_CATALOG_FILE}`;
}

/** A download path taken apart; undefined when it is not one of ours. */
export function parseDownloadPath(pathname: string): { kind: 'assessment-results' | 'assessment-plan' | 'resolved-catalog'; id: string } | undefined {
  const m = /^\/downloads\/(assessments|baselines)\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (!m) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
  if (m[1] === 'assessments' && m[3] === ASSESSMENT_RESULTS_FILE) return { kind: 'assessment-results', id };
  if (m[1] === 'assessments' && m[3] === ASSESSMENT_PLAN_FILE) return { kind: 'assessment-plan', id };
  if (m[1] === 'baselines' && m[3] === RESOLVED_CATALOG_FILE) return { kind: 'resolved-catalog', id };
  return undefined;
}
