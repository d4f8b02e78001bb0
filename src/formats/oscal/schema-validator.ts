import fs from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ErrorCode, PlimsollError, type Problem } from '../../domain/errors.js';
import { OSCAL_MODELS } from '../fingerprint.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Validates OSCAL JSON documents against NIST's official "complete" JSON Schema. */
export interface OscalValidator {
  /** The first `max` problems, each with a JSON pointer; empty when valid. */
  validate(document: unknown, file: string, max?: number): Problem[];
  /** Throws SCHEMA_INVALID naming the file and the first problems. */
  assertValid(document: unknown, file: string): void;
}

const compiled = new Map<string, ValidateFunction>();

function compile(schemaPath: string): ValidateFunction {
  const cached = compiled.get(schemaPath);
  if (cached) return cached;
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // The official schemas use unicode regex classes (\p{L}) that need the `u` flag, and keywords ajv's strict mode rejects.
  const ajv = new Ajv({ strict: false, allErrors: false, unicodeRegExp: true, validateFormats: true });
  addFormats(ajv);
  const fn = ajv.compile(schema);
  compiled.set(schemaPath, fn);
  return fn;
}

function toProblem(e: ErrorObject, file: string): Problem {
  const params = e.params as Record<string, unknown>;
  let message = e.message ?? 'is invalid';
  if (typeof params.missingProperty === 'string') message = `missing required property "${params.missingProperty}"`;
  else if (typeof params.additionalProperty === 'string') message = `unexpected property "${params.additionalProperty}"`;
  return { file, pointer: e.instancePath === '' ? '/' : e.instancePath, message };
}

/** Creates a validator from the schema file (compiled once per process and path). */
export function createOscalValidator(schemaPath: string): OscalValidator {
  const validator: OscalValidator = {
    validate(document, file, max = 10) {
      const fn = compile(schemaPath);
      if (fn(document)) return [];
      // The complete schema is a oneOf over all models: keep the errors under the document's own root key.
      const errors = fn.errors ?? [];
      const root = document !== null && typeof document === 'object' ? Object.keys(document).find((k) => k !== '$schema') : undefined;
      const own = root === undefined ? [] : errors.filter((e) => e.instancePath === `/${root}` || e.instancePath.startsWith(`/${root}/`));
      // A root name that is no OSCAL model is the document's own content: not quoted.
      if (own.length === 0) return [{ file, pointer: '/', message: `is not an OSCAL document: expected one root property naming an OSCAL model${root !== undefined && OSCAL_MODELS.has(root) ? `, found "${root}"` : ''}` }];
      return own.slice(0, max).map((e) => toProblem(e, file));
    },
    assertValid(document, file) {
      const problems = validator.validate(document, file);
      if (problems.length > 0) {
        throw new PlimsollError(ErrorCode.SCHEMA_INVALID, `${file} does not validate against the OSCAL JSON schema: ${problems[0]!.pointer} ${problems[0]!.message}`, problems);
      }
    },
  };
  return validator;
}
