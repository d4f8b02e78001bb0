/** Serves stored results as downloads: any authenticated person may read them, as GraphQL lets them query them. */
import type { Principal } from '../domain/auth.js';
import { type Download, parseDownloadPath } from '../domain/download.js';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../domain/errors.js';
import type { AssessmentService, BaselineService, DownloadService } from '../domain/services.js';

export interface DownloadServiceDeps {
  assessments: Pick<AssessmentService, 'resultsDocument'>;
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
        return { fileName: `assessment-results-${target.id}.json`, contentType: 'application/json; charset=utf-8', body: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8') };
      }
      case 'resolved-catalog': {
        const json = await this.deps.baselines.catalogJson(target.id);
        if (json === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no baseline ${target.id}`);
        return { fileName: `resolved-catalog-${target.id}.json`, contentType: 'application/json; charset=utf-8', body: Buffer.from(`${json}\n`, 'utf8') };
      }
      default:
        throw new UnreachableCaseError(target.kind);
    }
  }
}
