import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { ASSESSMENT_PLAN_FILE, assessmentPlanDownloadPath, assessmentResultsDownloadPath, parseDownloadPath } from '../../../src/domain/download.js';
import { StoredResultsDownloadService } from '../../../src/uploads/download-service.js';

const AUDITOR: Principal = { userId: 'u-erin', name: 'erin', role: 'auditor', kind: 'person', via: 'token', tokenId: 'tok-erin' };
const plan = { 'assessment-plan': { uuid: '7a9f2c1e-0000-5000-8000-000000000001', metadata: { title: 'Plan with "quotes" and ünïcode' } } };
const results = { 'assessment-results': { uuid: '7a9f2c1e-0000-5000-8000-000000000002' } };

function service(stored: { plan?: unknown; results?: unknown } = { plan, results }): StoredResultsDownloadService {
  return new StoredResultsDownloadService({
    assessments: {
      resultsDocument: async (id) => (id === 'a-1' ? stored.results : undefined),
      planDocument: async (id) => (id === 'a-1' ? stored.plan : undefined),
    },
    baselines: { catalogJson: async () => undefined },
  });
}

describe('downloads of an assessment', () => {
  it('serves the plan beside the results, where their relative import-ap link resolves', async () => {
    const resultsPath = assessmentResultsDownloadPath('a-1');
    const linked = new URL(ASSESSMENT_PLAN_FILE, `http://plimsoll.invalid${resultsPath}`).pathname;
    expect(linked).toBe(assessmentPlanDownloadPath('a-1'));
    expect(parseDownloadPath(linked)).toEqual({ kind: 'assessment-plan', id: 'a-1' });

    const download = await service().open(linked, AUDITOR);
    expect(download.fileName).toBe('assessment-plan-a-1.json');
    expect(download.contentType).toBe('application/json; charset=utf-8');
    // The exact text the writer hashed for the results' import-ap: two-space JSON with a final newline, UTF-8.
    const text = `${JSON.stringify(plan, null, 2)}\n`;
    expect(download.body.toString('utf8')).toBe(text);
    expect(createHash('sha256').update(download.body).digest('hex')).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('answers NOT_FOUND for an unknown assessment or one stored without a plan, and for other file names', async () => {
    await expect(service().open(assessmentPlanDownloadPath('nope'), AUDITOR)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service({ results }).open(assessmentPlanDownloadPath('a-1'), AUDITOR)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no assessment plan') });
    await expect(service().open('/downloads/assessments/a-1/plan.json', AUDITOR)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no such download' });
    expect((await service().open(assessmentResultsDownloadPath('a-1'), AUDITOR)).body.toString('utf8')).toBe(`${JSON.stringify(results, null, 2)}\n`);
  });
});
