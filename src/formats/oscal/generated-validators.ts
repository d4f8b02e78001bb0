/**
 * The OSCAL validators compiled ahead of time (scripts/generate-oscal-validators.ts): one CommonJS module per
 * model under generated/oscal-validators/, loaded synchronously and only for the model a document names, so a
 * process pays neither ajv's compilation of the whole schema nor the parsing of models it never reads. They are
 * used only for the schema file they came from: the manifest records that file's sha256.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { packageRoot } from '../../config/package-info.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** The pinned source (catalogs/sources.json) whose schema validates every OSCAL JSON document read or written. */
export const OSCAL_SCHEMA_SOURCE = 'oscal-schema-1.1.2';

/** Where the generated modules live, relative to the package root (committed; listed in package.json `files`). */
export const GENERATED_VALIDATORS_DIR = path.join('generated', 'oscal-validators');

/** ajv's options for NIST's schemas, ahead of time and at run time alike (the same code, so the same errors). */
export const OSCAL_VALIDATOR_OPTIONS = {
  // The official schemas use unicode regex classes (\p{L}) that need the `u` flag, and keywords ajv's strict mode rejects.
  strict: false,
  allErrors: false,
  unicodeRegExp: true,
  validateFormats: true,
} as const;

/** generated/oscal-validators/manifest.json. */
export interface GeneratedValidatorsManifest {
  generatedBy: string;
  ajv: string;
  schema: { source: string; file: string; sha256: string };
  /** Model (root property) → module file in the same directory. */
  models: Record<string, string>;
}

/** A generated validator: ajv's standalone function, with what it was generated from. */
export interface ModelValidator {
  (document: unknown): boolean;
  errors?: ErrorObject[] | null;
  model: string;
  schemaSha256: string;
}

/** The generated validators of one schema. */
export interface GeneratedValidators {
  readonly schemaSha256: string;
  /** The validator of documents whose root property is `model`, loaded on first use; undefined when the schema has no such model. */
  forModel(model: string): ModelValidator | undefined;
}

/** The directory of the generated modules in this package (src/… and dist/src/… alike). */
export function generatedValidatorsDir(): string {
  return path.join(packageRoot(path.dirname(fileURLToPath(import.meta.url))), GENERATED_VALIDATORS_DIR);
}

/**
 * The generated validators when they came from the schema with this sha256; undefined when there are none or
 * they came from another schema (the caller then compiles the schema it has: stale code never validates).
 */
export function loadGeneratedValidators(schemaSha256: string, dir: string = generatedValidatorsDir()): GeneratedValidators | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as GeneratedValidatorsManifest;
  if (manifest.schema.sha256 !== schemaSha256) return undefined;
  const load = createRequire(manifestFile);
  const loaded = new Map<string, ModelValidator>();
  return {
    schemaSha256,
    forModel(model) {
      const file = Object.hasOwn(manifest.models, model) ? manifest.models[model] : undefined;
      if (file === undefined) return undefined;
      const cached = loaded.get(model);
      if (cached !== undefined) return cached;
      const fn = load(path.join(dir, file)) as ModelValidator;
      // A module the manifest vouches for must say the same: otherwise the generated files were mixed or edited.
      if (fn.schemaSha256 !== schemaSha256 || fn.model !== model) {
        throw new PlimsollError(ErrorCode.INTERNAL, `${path.join(dir, file)} was generated for ${String(fn.model)} from schema sha256 ${String(fn.schemaSha256)}, not ${model} from ${schemaSha256}: regenerate with ${manifest.generatedBy}`);
      }
      loaded.set(model, fn);
      return fn;
    },
  };
}
