import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/domain/errors.js';
import { benchmarksOfRequest } from '../../../src/graphql/benchmark-selection.js';
import { thrown } from '../../harness/errors.js';

describe('RunAssessmentInput benchmarks', () => {
  it('keeps the deprecated single fields working', () => {
    expect(benchmarksOfRequest({ benchmark: 'STIG', profileId: 'MAC-1_Classified' })).toEqual({ benchmark: 'STIG', profileId: 'MAC-1_Classified' });
    expect(benchmarksOfRequest({ benchmarkUploadId: 'u-1' })).toEqual({ benchmark: { uploadId: 'u-1' } });
  });

  it('takes the list: the first as the request benchmark, the others as additional ones, each with its profile', () => {
    expect(benchmarksOfRequest({ benchmarks: [{ benchmark: 'STIG', profileId: 'MAC-1_Classified' }, { benchmarkUploadId: 'u-2' }, { benchmark: 'plimsoll_container_platform', profileId: 'p' }] })).toEqual({
      benchmark: 'STIG',
      profileId: 'MAC-1_Classified',
      additionalBenchmarks: [{ benchmark: { uploadId: 'u-2' } }, { benchmark: 'plimsoll_container_platform', profileId: 'p' }],
    });
    expect(benchmarksOfRequest({ benchmarks: [{ benchmark: 'STIG' }] })).toEqual({ benchmark: 'STIG' });
  });

  it('refuses both forms, an empty list, and an entry naming neither or both of benchmark and upload', () => {
    const cases: [Parameters<typeof benchmarksOfRequest>[0], string][] = [
      [{ benchmark: 'STIG', benchmarks: [{ benchmark: 'STIG' }] }, 'give either benchmarks or the deprecated benchmark, benchmarkUploadId and profileId, not both'],
      [{ profileId: 'p', benchmarks: [{ benchmark: 'STIG' }] }, 'not both'],
      [{ benchmarks: [] }, 'benchmarks must name at least one benchmark'],
      [{ benchmarks: [{ benchmark: 'a' }, { profileId: 'p' }] }, 'benchmarks[1].benchmark'],
      [{ benchmarks: [{ benchmark: 'a', benchmarkUploadId: 'u' }] }, 'not both'],
      [{}, 'not neither'],
    ];
    for (const [input, message] of cases) {
      const e = thrown(() => benchmarksOfRequest(input));
      expect(e.code, message).toBe(ErrorCode.BAD_INPUT);
      expect(e.message).toContain(message);
    }
  });
});
