/**
 * Compiles NIST's pinned OSCAL complete JSON Schema ahead of time (ajv standalone code), one CommonJS module per
 * OSCAL model, so that a process validating an assessment-results document loads that model's validator instead of
 * compiling the whole schema (about half a second per process). Writes generated/oscal-validators/:
 *
 * - manifest.json: the schema it came from (source name, file, sha256), the ajv version, each model's module;
 * - <model>.cjs: the validator of documents whose root property is <model>, recording the schema's sha256.
 *
 * ajv's standalone code declares every schema object it met while compiling, the complete 170 KB schema among
 * them, though the code reads only a few (the enums). esbuild drops the unread declarations and the whitespace
 * (names are kept, for stack traces): the assessment-plan and -results validators that every assessment loads
 * shrink from 1.3 MB to 0.7 MB, and load in some 15 ms instead of 30.
 *
 *   npm run generate:validators -- [--check] [--schema FILE]
 *
 * The schema is the pinned source `oscal-schema-1.1.2` of catalogs/sources.json, read from the first
 * PLIMSOLL_CONTENT_MIRROR entry (else ../shared/data) and refused unless its sha256 is the pinned one. `--check`
 * writes nothing and exits 1 when a committed file differs. The files are committed: building and installing need
 * no reference content; a unit test regenerates them and compares. The run-time loader
 * (src/formats/oscal/generated-validators.ts) uses them only for a schema file with the recorded sha256.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type AnySchemaObject } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { transformSync } from 'esbuild';
import { GENERATED_VALIDATORS_DIR, OSCAL_SCHEMA_SOURCE, OSCAL_VALIDATOR_OPTIONS, type GeneratedValidatorsManifest } from '../src/formats/oscal/generated-validators.js';
import { isMainModule, mirrorPath, repoRootOf, writeGenerated } from './generated-files.js';

// Both are CommonJS; their default exports arrive wrapped under ESM.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as typeof import('ajv/dist/standalone/index.js').default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** The repository: the nearest directory above this file holding package.json. */
export const REPO_ROOT = repoRootOf(import.meta.url);
export const GENERATE_COMMAND = 'npm run generate:validators';

interface PinnedSource {
  name: string;
  file: string;
  sha256: string;
}

/** The pinned OSCAL schema source of catalogs/sources.json. */
export function pinnedSchemaSource(): PinnedSource {
  const sources = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'catalogs', 'sources.json'), 'utf8')) as { sources: PinnedSource[] };
  const source = sources.sources.find((s) => s.name === OSCAL_SCHEMA_SOURCE);
  if (source === undefined) throw new Error(`catalogs/sources.json has no source ${OSCAL_SCHEMA_SOURCE}`);
  return source;
}

/** The pinned schema's file in the reference content. */
export function defaultSchemaPath(): string {
  return mirrorPath(REPO_ROOT, 'oscal', 'schemas', pinnedSchemaSource().file);
}

/** The model (root property) of one branch of the complete schema's oneOf: a branch requires exactly one property besides $schema. */
function modelOf(branch: AnySchemaObject, index: number): string {
  const required = branch.required as unknown;
  if (!Array.isArray(required) || required.length !== 1 || typeof required[0] !== 'string' || branch.additionalProperties !== false) {
    throw new Error(`oneOf/${index} of the OSCAL schema is not a model branch (one required root property, no other properties)`);
  }
  return required[0];
}

/** The generated files (path relative to the repository → content) from the schema file's bytes. */
export function generateOscalValidators(schemaBytes: Buffer, source: PinnedSource = pinnedSchemaSource()): Map<string, string> {
  const sha256 = createHash('sha256').update(schemaBytes).digest('hex');
  if (sha256 !== source.sha256) throw new Error(`the OSCAL schema given has sha256 ${sha256}, not the pinned ${source.sha256} of ${source.name}`);
  const { oneOf, ...complete } = JSON.parse(schemaBytes.toString('utf8')) as AnySchemaObject;
  if (!Array.isArray(oneOf)) throw new Error('the OSCAL complete schema has no oneOf over its models');
  const ajvVersion = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'ajv', 'package.json'), 'utf8')) as { version: string }).version;
  const files = new Map<string, string>();
  const manifest: GeneratedValidatorsManifest = { generatedBy: GENERATE_COMMAND, ajv: ajvVersion, schema: { source: source.name, file: source.file, sha256 }, models: {} };
  (oneOf as AnySchemaObject[]).forEach((branch, i) => {
    const model = modelOf(branch, i);
    // The complete schema narrowed to this model's branch: the same definitions, so the same errors and pointers.
    const ajv = new Ajv({ ...OSCAL_VALIDATOR_OPTIONS, code: { source: true, esm: false } });
    addFormats(ajv);
    const code = compact(standaloneCode(ajv, ajv.compile({ ...complete, ...branch })));
    const file = `${model}.cjs`;
    manifest.models[model] = file;
    files.set(
      path.join(GENERATED_VALIDATORS_DIR, file),
      `// Generated by ${GENERATE_COMMAND} from ${source.file} (sha256 ${sha256}) with ajv ${ajvVersion}: do not edit.\n` +
        `${code}\nmodule.exports.model = ${JSON.stringify(model)};\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256)};\n`,
    );
  });
  files.set(path.join(GENERATED_VALIDATORS_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** The standalone code without unread declarations and whitespace; the same statements otherwise. */
function compact(code: string): string {
  return transformSync(code, { loader: 'js', format: 'cjs', platform: 'node', target: 'node20', treeShaking: true, minifyWhitespace: true, minifySyntax: true }).code.trimEnd();
}

function main(argv: string[]): number {
  const i = argv.indexOf('--schema');
  const schema = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && schema === undefined) throw new Error('--schema needs a file');
  return writeGenerated(REPO_ROOT, generateOscalValidators(fs.readFileSync(schema ?? defaultSchemaPath())), argv.includes('--check'));
}

if (isMainModule(import.meta.url)) process.exitCode = main(process.argv.slice(2));
