/**
 * The guard of "no GraphQL argument names a server path": every argument of every field, and every field of
 * every input type they take (nested), is checked by name and description. A new argument called `path`,
 * `outDir`, `file`, `keyFile`… or described as a server path fails here, whoever adds it. Content goes
 * through POST /uploads (upload ids), results come back as download URLs.
 */
import { type GraphQLArgument, type GraphQLInputField, type GraphQLNamedType, getNamedType, isInputObjectType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';

/** Words of a camelCase or snake_case name: `outDir` → out, dir; `keyPath` → key, path. */
const words = (name: string): string[] => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_-]+/);
const PATH_WORDS = new Set(['path', 'paths', 'file', 'files', 'filename', 'dir', 'dirs', 'directory', 'directories', 'folder', 'out', 'output', 'pem']);
const PATH_PROSE = /\b(path|paths|directory|directories|folder|filename)\b|on the server|server('s)? (file|disk)/i;

function suspicious(name: string, description: string | undefined | null): string | undefined {
  const hit = words(name).find((w) => PATH_WORDS.has(w));
  if (hit !== undefined) return `name has "${hit}"`;
  if (description && PATH_PROSE.test(description)) return `description says "${PATH_PROSE.exec(description)![0]}"`;
  return undefined;
}

describe('GraphQL arguments never name a server path', () => {
  it('checks every argument and every input field reachable from one', async () => {
    const schema = await buildPlimsollSchema();
    const offenders: string[] = [];
    const seenInputs = new Set<string>();
    let checked = 0;
    const visitInput = (type: GraphQLNamedType, where: string): void => {
      if (!isInputObjectType(type) || seenInputs.has(type.name)) return;
      seenInputs.add(type.name);
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) {
        checked += 1;
        const why = suspicious(field.name, field.description);
        if (why) offenders.push(`${where} → ${type.name}.${field.name}: ${why}`);
        visitInput(getNamedType(field.type), `${where} → ${type.name}.${field.name}`);
      }
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args as readonly GraphQLArgument[]) {
          checked += 1;
          const why = suspicious(arg.name, arg.description);
          if (why) offenders.push(`${type.name}.${field.name}(${arg.name}): ${why}`);
          visitInput(getNamedType(arg.type), `${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(offenders).toEqual([]);
    // The guard looks at real arguments: the mutations that once took paths are among them.
    expect(checked).toBeGreaterThan(40);
    for (const input of ['RegisterDockerNodeInput', 'DockerNodeTlsInput', 'RunAssessmentInput', 'ImportDocumentsInput', 'ResolveProfileInput']) expect(seenInputs).toContain(input);
  });

  it('would catch the arguments this API used to have', () => {
    for (const [name, description] of [['paths', undefined], ['path', undefined], ['outDir', undefined], ['keyPath', undefined], ['caPem', undefined], ['benchmark', 'Benchmark document id, or a file path on the server.']] as const) {
      expect(suspicious(name, description), name).toBeDefined();
    }
    for (const name of ['uploadIds', 'benchmarkUploadId', 'profileId', 'catalogDocumentId', 'keyUploadId']) expect(suspicious(name, undefined), name).toBeUndefined();
  });
});
