/** The README documents what clients need: every error code, and the page-size cap the code enforces. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../../../src/domain/paging.js';
import { ERROR_CODE_DESCRIPTIONS } from '../../../src/graphql/error-codes.js';
import { DEFAULT_QUERY_LIMITS } from '../../../src/graphql/limits.js';
import { repoRoot } from '../../harness/content.js';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('lists every error code of the ErrorCode enum with its description', () => {
    for (const [code, description] of Object.entries(ERROR_CODE_DESCRIPTIONS)) expect(readme, code).toContain(`| \`${code}\` | ${description} |`);
  });

  it('states the limits the server enforces', () => {
    expect(readme).toContain(`| page size | ${MAX_PAGE_SIZE} edges`);
    expect(readme).toContain(`| cost | ${DEFAULT_QUERY_LIMITS.maxCost.toLocaleString('en-US')} |`);
    expect(readme).toContain(`| depth | ${DEFAULT_QUERY_LIMITS.maxDepth} levels`);
    expect(readme).toContain(`| aliases | ${DEFAULT_QUERY_LIMITS.maxAliases} |`);
    expect(readme).toContain(`| directives | ${DEFAULT_QUERY_LIMITS.maxDirectives} |`);
    expect(readme).toContain(`| tokens | ${DEFAULT_QUERY_LIMITS.maxTokens.toLocaleString('en-US')} `);
    expect(readme).toContain(`| execution time | ${DEFAULT_QUERY_LIMITS.timeoutMs / 1000} s`);
  });
});
