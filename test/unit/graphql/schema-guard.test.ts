/**
 * Guard rails on the committed schema (kept equal to the code's by schema-drift.test.ts):
 * - GraphQL ESLint (eslint.config.mjs): descriptions, naming and Relay rules;
 * - GraphQL Inspector: every breaking change since schemas/schema.released.graphql is acknowledged in
 *   schemas/breaking-changes.json, and every acknowledgement still matches a change.
 * Each guard is also shown to fail on a schema that breaks it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA, breakingChanges, compareWithAcknowledged, readAcknowledgements } from '../../../scripts/schema-changes.js';
import { repoRoot } from '../../harness/content.js';

const current = fs.readFileSync(CURRENT_SCHEMA, 'utf8');

async function lint(text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(text, { filePath: path.join(repoRoot, 'schemas', 'schema.graphql') });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`);
}

describe('schema lint (GraphQL ESLint)', () => {
  it('passes on the committed schema', async () => {
    expect(await lint(current)).toEqual([]);
  }, 120_000);

  it('fails on a missing description, a server-class name, a lower-case enum value and an offset-paged list', async () => {
    const bad = `${current}
"""A leftover."""
type WidgetType {
  name: String!
  """A page of widgets."""
  widgets(offset: Int): [String!]!
}
"""How a widget is."""
enum WidgetState {
  """Fine."""
  ok
}
"""Leftover connection."""
type WidgetConnection {
  """Items."""
  items: [String!]!
}
`;
    const messages = (await lint(bad)).join('\n');
    expect(messages).toContain('require-description');
    expect(messages).toContain('naming-convention');
    expect(messages).toMatch(/WidgetType|suffix/);
    expect(messages).toContain('relay-connection-types');
  }, 120_000);
});

describe('breaking changes (GraphQL Inspector)', () => {
  it('are all acknowledged in schemas/breaking-changes.json, and every acknowledgement matches a change', async () => {
    const { unacknowledged, stale } = compareWithAcknowledged(await breakingChanges(current), readAcknowledgements());
    expect(unacknowledged, 'breaking changes not acknowledged: add them, with a reason, to schemas/breaking-changes.json (npx vite-node scripts/schema-changes.ts prints them)').toEqual([]);
    expect(stale, 'acknowledged but no longer breaking: remove them from schemas/breaking-changes.json').toEqual([]);
  });

  it('reports a removed field and a changed type, and leaves additions alone', async () => {
    const released = 'type Query { a: String! b: Int c: String }';
    const changed = 'type Query { a: Int! c: String d: String }';
    expect((await breakingChanges(changed, released)).sort()).toEqual(['FIELD_REMOVED Query.b', 'FIELD_TYPE_CHANGED Query.a']);
    expect(compareWithAcknowledged(['FIELD_REMOVED Query.b'], { since: 'x', acknowledged: [{ reason: 'r', changes: ['FIELD_REMOVED Query.b', 'TYPE_REMOVED Gone'] }] })).toEqual({ unacknowledged: [], stale: ['TYPE_REMOVED Gone'] });
  });
});
