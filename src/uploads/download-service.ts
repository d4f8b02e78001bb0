/** Serves stored results as downloads: any authenticated person may read them, as GraphQL lets them query them. */
import type { Principal } from '../domain/auth.js';
import { type Download, parseDownloadPath } from '../domain/download.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import type { AssessmentService, BaselineService, DownloadService } from '../domain/services.js';
import { oscalJsonText } from '../reporting/oscal-values.js';

export interface DownloadServiceDeps {
  assessments: Pick<AssessmentService, 'resultsDocument' | 'planDocument'>;
  baselines: Pick<BaselineService, 'catalogJson'>;
}

export class StoredResultsDownloadService implements DownloadService {
  constructor(private readonly deps: DownloadServiceDeps) {}

  async open(path: string, _actor: Principal): Promise<Download> {
    const target = parseDownloadPath(path);
    if (target === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, 'no such download');
    switch (target.kind) {
      case 'assessment-results': {
        const doc = await this.deps.assessments.resultsDocument(target.id);
        if (doc === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `assessment ${target.id} has no results document (unknown, or not completed)`);
        return jsonDownload(`assessment-results-${target.id}.json`, oscalJsonText(doc));
      }
      case 'assessment-plan': {
        const doc = await this.deps.assessments.planDocument(target.id);
        if (doc === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `assessment ${target.id} has no assessment plan (unknown, not completed, or run before plans were stored)`);
        // The exact text whose sha256 the results' import-ap records.
        return jsonDownload(`assessment-plan-${target.id}.json`, oscalJsonText(doc));
      }
      case 'resolved-catalog': {
        const json = await this.deps.baselines.catalogJson(target.id);
        if (json === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no baseline ${target.id}`);
        return jsonDownload(`resolved-catalog-${target.id}.json`, `${json}\n`);
      }
      default:
        throw new UnreachableCaseError(target.kind);
    }
  }
}

function jsonDownload(fileName: string, text: string): Download {
  return { fileName, contentType: 'application/json; charset=utf-8', body: Buffer.from(text, 'utf8') };
}
