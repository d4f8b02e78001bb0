import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject } from 'ajv';
import { ErrorCode, PlimsollError, type Problem } from '../../domain/errors.js';
import { OSCAL_MODELS } from '../fingerprint.js';
import { loadGeneratedValidators, OSCAL_VALIDATOR_OPTIONS } from './generated-validators.js';

/** Validates OSCAL JSON documents against NIST's official "complete" JSON Schema. */
export interface OscalValidator {
  /** The first `max` problems, each with a JSON pointer; empty when valid. */
  validate(document: unknown, file: string, max?: number): Problem[];
  /** Throws SCHEMA_INVALID naming the file and the first problems. */
  assertValid(document: unknown, file: string): void;
}

/**
 * The schema's errors for a document whose root property is `root`: null when valid; errors of other models'
 * branches may be among them (the caller keeps those under the root).
 */
type SchemaCheck = (document: unknown, root: string | undefined) => readonly ErrorObject[] | null;

/** How the OSCAL schema at `source` is checked: `generated` (compiled ahead of time) or `compiled` at run time. */
export type OscalValidatorSource = 'generated' | 'compiled';

const checks = new Map<string, { check: SchemaCheck; source: OscalValidatorSource }>();

// ajv is loaded only when the schema has no generated validators (CommonJS, so it can be required on demand).
const load = createRequire(import.meta.url);

/** The whole schema compiled now: a oneOf over every model (the slow path, for a schema nothing was generated from). */
function compiledCheck(schema: Buffer): SchemaCheck {
  const { Ajv: AjvClass } = load('ajv') as { Ajv: typeof Ajv };
  const addFormats = load('ajv-formats') as (ajv: Ajv) => Ajv;
  const ajv = new AjvClass({ ...OSCAL_VALIDATOR_OPTIONS });
  addFormats(ajv);
  const fn = ajv.compile(JSON.parse(schema.toString('utf8')) as Record<string, unknown>);
  return (document) => (fn(document) ? null : (fn.errors ?? []));
}

function schemaCheck(schemaPath: string): { check: SchemaCheck; source: OscalValidatorSource } {
  const cached = checks.get(schemaPath);
  if (cached) return cached;
  const bytes = fs.readFileSync(schemaPath);
  // Generated code is used only for the very schema it came from; any other schema file is compiled as it is.
  const generated = loadGeneratedValidators(createHash('sha256').update(bytes).digest('hex'));
  let entry: { check: SchemaCheck; source: OscalValidatorSource };
  if (generated === undefined) {
    entry = { check: compiledCheck(bytes), source: 'compiled' };
  } else {
    // The complete schema's oneOf branch of the root's model: no branch at all is no model (no errors under the root).
    entry = {
      source: 'generated',
      check: (document, root) => {
        const fn = root === undefined ? undefined : generated.forModel(root);
        if (fn === undefined) return [];
        return fn(document) ? null : (fn.errors ?? []);
      },
    };
  }
  checks.set(schemaPath, entry);
  return entry;
}

/** Whether documents are validated against the schema at `schemaPath` by generated code or by compiling the schema now. */
export function oscalValidatorSource(schemaPath: string): OscalValidatorSource {
  return schemaCheck(schemaPath).source;
}

function toProblem(e: ErrorObject, file: string): Problem {
  const params = e.params as Record<string, unknown>;
  let message = e.message ?? 'is invalid';
  if (typeof params.missingProperty === 'string') message = `missing required property "${params.missingProperty}"`;
  else if (typeof params.additionalProperty === 'string') message = `unexpected property "${params.additionalProperty}"`;
  return { file, pointer: e.instancePath === '' ? '/' : e.instancePath, message };
}

/** Creates a validator from the schema file (loaded or compiled once per process and path). */
export function createOscalValidator(schemaPath: string): OscalValidator {
  const validator: OscalValidator = {
    validate(document, file, max = 10) {
      const root = document !== null && typeof document === 'object' ? Object.keys(document).find((k) => k !== '$schema') : undefined;
      const errors = schemaCheck(schemaPath).check(document, root);
      if (errors === null) return [];
      // The complete schema is a oneOf over all models: keep the errors under the document's own root key.
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
