/**
 * Breaking changes of the GraphQL schema, found with GraphQL Inspector's core library: the schema the code
 * builds compared with schemas/schema.released.graphql (the schema of the last release, what clients were
 * generated from). Every breaking change must be acknowledged, with a reason, in
 * schemas/breaking-changes.json, so a reviewer sees it in the diff of that file; test/unit/graphql/
 * schema-guard.test.ts fails otherwise, and also on an acknowledgement that no longer matches a change.
 * At a release, copy schema.graphql over schema.released.graphql and empty the acknowledgements.
 *
 * `npm run schema:emit && npx vite-node scripts/schema-changes.ts` prints the breaking changes not acknowledged yet, as JSON to paste.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { CriticalityLevel, diff } from '@graphql-inspector/core';

// Both schemas are built from SDL with the graphql instance GraphQL Inspector itself loads (graphql ships
// CommonJS and ESM builds, and a schema from one can't be read by the other).
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RELEASED_SCHEMA = path.join(REPO, 'schemas', 'schema.released.graphql');
export const ACKNOWLEDGEMENTS = path.join(REPO, 'schemas', 'breaking-changes.json');
/** The emitted schema, kept equal to the code's by test/unit/graphql/schema-drift.test.ts. */
export const CURRENT_SCHEMA = path.join(REPO, 'schemas', 'schema.graphql');

/** The acknowledgement file: groups of changes (`TYPE path`), each with why clients must take it. */
export interface Acknowledgements {
  /** The release schema.released.graphql is. */
  since: string;
  acknowledged: { reason: string; changes: string[] }[];
}

/** `TYPE path` (e.g. `FIELD_REMOVED Query.auditLog`) of every breaking change from the released schema to the current one. */
export async function breakingChanges(currentSdl: string, releasedSdl = fs.readFileSync(RELEASED_SCHEMA, 'utf8')): Promise<string[]> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  return changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => `${c.type} ${c.path ?? c.message}`);
}

/** Breaking changes not acknowledged, and acknowledgements that match no change. */
export function compareWithAcknowledged(breaking: readonly string[], ack: Acknowledgements): { unacknowledged: string[]; stale: string[] } {
  const acknowledged = new Set(ack.acknowledged.flatMap((g) => g.changes));
  const found = new Set(breaking);
  return { unacknowledged: [...found].filter((c) => !acknowledged.has(c)), stale: [...acknowledged].filter((c) => !found.has(c)) };
}

export function readAcknowledgements(file = ACKNOWLEDGEMENTS): Acknowledgements {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Acknowledgements;
}

// Run directly (node, or vite-node, which drops the script from argv), not when a test imports it.
const entry = process.argv[1];
if (entry !== undefined && (/vite-node(\.m?js)?$/.test(entry) || fileURLToPath(import.meta.url) === fs.realpathSync(entry))) {
  const breaking = await breakingChanges(fs.readFileSync(CURRENT_SCHEMA, 'utf8'));
  const { unacknowledged, stale } = compareWithAcknowledged(breaking, readAcknowledgements());
  process.stdout.write(`${JSON.stringify({ reason: 'WHY CLIENTS MUST TAKE THIS', changes: unacknowledged }, null, 2)}\n`);
  if (stale.length > 0) process.stdout.write(`no longer breaking (remove): ${JSON.stringify(stale)}\n`);
}
