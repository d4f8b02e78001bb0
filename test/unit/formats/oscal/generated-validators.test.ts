import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSchemaPath, generateOscalValidators, pinnedSchemaSource, REPO_ROOT } from '../../../../scripts/generate-oscal-validators.js';
import { GENERATED_VALIDATORS_DIR, generatedValidatorsDir, loadGeneratedValidators, type GeneratedValidatorsManifest } from '../../../../src/formats/oscal/generated-validators.js';
import { createOscalValidator, oscalValidatorSource } from '../../../../src/formats/oscal/schema-validator.js';
import { PlimsollError } from '../../../../src/domain/errors.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../../harness/content.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
const manifest = JSON.parse(fs.readFileSync(path.join(generatedValidatorsDir(), 'manifest.json'), 'utf8')) as GeneratedValidatorsManifest;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function scratch(): string {
  const dir = tempDir('plimsoll-validators-');
  dirs.push(dir);
  return dir;
}

describe('OSCAL validators generated ahead of time', () => {
  it('were generated from the pinned schema (catalogs/sources.json)', () => {
    expect(manifest.schema).toEqual({ source: pinnedSchemaSource().name, file: pinnedSchemaSource().file, sha256: pinnedSchemaSource().sha256 });
    expect(path.resolve(defaultSchemaPath())).toBe(path.resolve(schemaPath));
  });

  it('are what the generator makes of that schema with the installed ajv (not stale, not edited)', () => {
    const files = generateOscalValidators(fs.readFileSync(schemaPath));
    expect([...files.keys()].sort()).toEqual(fs.readdirSync(path.join(REPO_ROOT, GENERATED_VALIDATORS_DIR)).map((f) => path.join(GENERATED_VALIDATORS_DIR, f)).sort());
    for (const [rel, content] of files) {
      // Compared by equality (not a snapshot): a difference means `npx vite-node scripts/generate-oscal-validators.ts`.
      expect(fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8') === content, `${rel} is out of date`).toBe(true);
    }
  }, 120_000);

  it('refuse to generate from a schema other than the pinned one', () => {
    expect(() => generateOscalValidators(Buffer.concat([fs.readFileSync(schemaPath), Buffer.from('\n')]))).toThrow(/not the pinned/);
  });

  it('validate the pinned schema, and only it: another schema file is compiled as it is', () => {
    expect(oscalValidatorSource(schemaPath)).toBe('generated');
    // A schema under which a string catalog is valid: the generated catalog validator would refuse it.
    const other = path.join(scratch(), 'other.json');
    fs.writeFileSync(other, JSON.stringify({ type: 'object', oneOf: [{ properties: { catalog: { type: 'string' } }, required: ['catalog'], additionalProperties: false }] }));
    expect(oscalValidatorSource(other)).toBe('compiled');
    expect(createOscalValidator(other).validate({ catalog: 'a string' }, 'c.json')).toEqual([]);
    expect(createOscalValidator(schemaPath).validate({ catalog: 'a string' }, 'c.json')).toEqual([{ file: 'c.json', pointer: '/catalog', message: 'must be object' }]);
  });

  it('refuse a module that disagrees with the manifest vouching for it', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, models: { catalog: 'catalog.cjs' } }));
    fs.writeFileSync(path.join(dir, 'catalog.cjs'), 'module.exports = () => true;\nmodule.exports.model = "catalog";\nmodule.exports.schemaSha256 = "0000";\n');
    const generated = loadGeneratedValidators(manifest.schema.sha256, dir)!;
    expect(generated.forModel('profile')).toBeUndefined();
    let error: unknown;
    try {
      generated.forModel('catalog');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlimsollError);
    expect((error as PlimsollError).code).toBe('INTERNAL');
    expect((error as PlimsollError).message).toMatch(/regenerate with npm run generate:validators/);
    expect(loadGeneratedValidators('another-sha', dir)).toBeUndefined();
  });
});

/** Walks the objects of a document, yielding each with its key list, in document order. */
function* objectsOf(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) yield* objectsOf(v);
  else if (value !== null && typeof value === 'object') {
    yield value as Record<string, unknown>;
    for (const v of Object.values(value)) yield* objectsOf(v);
  }
}

/** Mutations that break a document in the ways imports meet: a missing, mistyped, unknown or malformed property. Each returns its undo. */
const MUTATIONS: ((o: Record<string, unknown>) => (() => void) | undefined)[] = [
  (o) => {
    const [k] = Object.keys(o);
    if (k === undefined) return undefined;
    const v = o[k];
    delete o[k];
    return () => void (o[k] = v);
  },
  (o) => {
    const k = Object.keys(o).at(-1);
    if (k === undefined) return undefined;
    const v = o[k];
    o[k] = 42;
    return () => void (o[k] = v);
  },
  (o) => {
    o['not-an-oscal-property'] = true;
    return () => void delete o['not-an-oscal-property'];
  },
  (o) => {
    const k = ['uuid', 'last-modified', 'href', 'id'].find((key) => typeof o[key] === 'string');
    if (k === undefined) return undefined;
    const v = o[k];
    o[k] = ' not valid ';
    return () => void (o[k] = v);
  },
];

describe('errors of the generated validators', () => {
  // The same schema bytes plus a newline: another sha256, so compiled at run time from the complete schema, as before.
  const compiledPath = path.join(scratch(), 'complete.json');
  fs.writeFileSync(compiledPath, Buffer.concat([fs.readFileSync(schemaPath), Buffer.from('\n')]));
  const documents = [
    ['oscal', 'nist-800-53-rev5-5.1.1', 'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json'],
    ['oscal', 'nist-800-53-rev5-5.1.1', 'NIST_SP-800-53_rev5_LOW-baseline_profile.json'],
    ['oscal', 'fedramp-rev5', 'FedRAMP-SAP-OSCAL-Template.json'],
    ['oscal', 'fedramp-rev5', 'FedRAMP-SAR-OSCAL-Template.json'],
    ['oscal', 'fedramp-rev5', 'FedRAMP-POAM-OSCAL-Template.json'],
  ];

  it.each(documents)('are the complete schema\'s errors (pointers and messages) for %s/%s/%s and its broken variants', (...segments) => {
    expect(oscalValidatorSource(compiledPath)).toBe('compiled');
    const generated = createOscalValidator(schemaPath);
    const compiled = createOscalValidator(compiledPath);
    const doc = JSON.parse(fs.readFileSync(shared(...segments), 'utf8')) as unknown;
    const file = segments.at(-1)!;
    expect(generated.validate(doc, file)).toEqual(compiled.validate(doc, file));
    const objects = [...objectsOf(doc)];
    const step = Math.max(1, Math.floor(objects.length / 80));
    let compared = 0;
    for (let i = 0; i < objects.length; i += step) {
      const undo = MUTATIONS[compared % MUTATIONS.length]!(objects[i]!);
      if (undo === undefined) continue;
      const expected = compiled.validate(doc, file);
      expect(generated.validate(doc, file), `mutation ${compared} at object ${i}`).toEqual(expected);
      undo();
      compared += 1;
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);

  it('name the same problem for documents that are no OSCAL model', () => {
    const generated = createOscalValidator(schemaPath);
    const compiled = createOscalValidator(compiledPath);
    for (const doc of [null, 'text', [], {}, { 'mapping-collection': {} }, { $schema: 'x' }, { secret: 'value' }, { catalog: {}, profile: {} }]) {
      expect(generated.validate(doc, 'd.json')).toEqual(compiled.validate(doc, 'd.json'));
      expect(generated.validate(doc, 'd.json')[0]?.message).toMatch(/^is not an OSCAL document/);
    }
  });
});
