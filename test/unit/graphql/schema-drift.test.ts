/** The committed schemas/schema.graphql is the schema the resolvers build (run `npm run schema:emit`). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printPlimsollSchema } from '../../../src/graphql/emit-schema.js';
import { repoRoot } from '../../harness/content.js';

describe('GraphQL schema', () => {
  it('matches the committed schemas/schema.graphql', async () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'schemas', 'schema.graphql'), 'utf8');
    expect(await printPlimsollSchema()).toBe(committed);
  });
});
