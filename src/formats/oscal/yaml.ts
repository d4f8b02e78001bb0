/**
 * OSCAL YAML (catalogs and profiles) → the JSON model, then the JSON path (schema validation and
 * mapping). YAML syntax errors carry the line and column; schema problems found on the JSON value
 * are given back the line and column of the YAML node their JSON pointer names.
 */
import type * as JsYaml from 'js-yaml';
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Document } from 'yaml';
import type { CatalogDocument } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { ProfileDocument } from '../../domain/profile.js';
import { parseCatalogJson } from './catalog-json.js';
import { withLocations } from './located.js';
import { parseProfileJson } from './profile-json.js';
import { lineColumnAt } from '../safe-xml.js';
import { MAX_VALUE_DEPTH, assertValueDepth } from '../text-decoding.js';

// The `yaml` library (about twenty modules) loads with the first YAML document: most processes read none. It is
// CommonJS, so it can be required on demand from these synchronous parsers.
const load = createRequire(import.meta.url);
const yaml = (): typeof YamlLib => load('yaml') as typeof YamlLib;
/** js-yaml too (its CommonJS build, the same code as the ES module): a data stream import reads no YAML. */
export const jsYaml = (): typeof JsYaml => load('js-yaml') as typeof JsYaml;

export interface OscalYamlOptions {
  /** Path of the OSCAL complete JSON Schema the JSON form is validated against. */
  oscalSchemaPath: string;
}

/** A parsed YAML document: its JSON value and a way back from a JSON pointer to a line and column. */
export interface ParsedYaml {
  value: unknown;
  locate(pointer: string): { line: number; column: number } | undefined;
}

/** Bounds alias expansion (billion-laughs documents); OSCAL content does not use anchors much. */
const MAX_ALIAS_COUNT = 100;

function decodePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Refuses YAML nested deeper than MAX_VALUE_DEPTH before the parser sees it (the yaml library's composer
 * recurses, and ten thousand nested flow collections exhaust the process). The lexer is iterative: flow
 * depth is counted from its `[`/`{` tokens, block depth from the indentation levels open at each line.
 */
function assertYamlDepth(text: string, file: string): void {
  let offset = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  const fail = (): never => {
    const { line, column } = lineColumnAt(text, offset);
    const message = `values are nested deeper than the limit of ${MAX_VALUE_DEPTH}`;
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${line}:${column}: ${message}`, [{ file, line, column, message }]);
  };
  for (const token of new (yaml().Lexer)().lex(text)) {
    if (token === '[' || token === '{') {
      flow += 1;
      if (flow > MAX_VALUE_DEPTH) fail();
    } else if (token === ']' || token === '}') {
      flow = Math.max(0, flow - 1);
    } else if (lineStart && flow === 0 && token !== '\n') {
      const indent = /^[ \t]+$/.test(token) ? token.length : 0;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > MAX_VALUE_DEPTH) fail();
    } else if ((token === '-' || token === '?') && indents.length + flow + 1 > MAX_VALUE_DEPTH) {
      fail();
    }
    lineStart = token.endsWith('\n');
    offset += token.length;
  }
}

/** True when some object or array is reached twice (a YAML alias): such documents take the careful path. */
function hasSharedNodes(value: unknown): boolean {
  const seen = new Set<object>();
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) return true;
    seen.add(v);
    stack.push(...(Array.isArray(v) ? v : Object.values(v)));
  }
  return false;
}

/**
 * Parses YAML 1.2 text (core schema, unique keys); CONTENT_INVALID with the line and column of the first error.
 * js-yaml reads the document (the yaml library takes seconds on NIST's 2 MB catalog); a document it refuses,
 * one with aliases (bounded expansion) or one too deep goes through the yaml library, which gives positions
 * and bounds alias expansion. Positions of later (schema) problems come from that library too, on demand.
 */
export function parseOscalYaml(text: string, file: string): ParsedYaml {
  let value: unknown;
  try {
    const { load: loadYaml, CORE_SCHEMA } = jsYaml();
    value = loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch {
    return parseCarefully(text, file);
  }
  if (hasSharedNodes(value)) return parseCarefully(text, file);
  try {
    assertValueDepth(value, file);
  } catch {
    return parseCarefully(text, file);
  }
  let careful: ParsedYaml | undefined;
  return { value, locate: (pointer) => (careful ??= parseCarefully(text, file)).locate(pointer) };
}

/** The yaml library's parse: positions for every node, unique keys, bounded aliases, depth checked first. */
function parseCarefully(text: string, file: string): ParsedYaml {
  assertYamlDepth(text, file);
  const { LineCounter, parseDocument, isMap, isNode, isSeq } = yaml();
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    // The yaml library's messages quote the document ("Unexpected scalar token in YAML stream: …"): its code does not.
    const message = `malformed YAML: ${first.code.toLowerCase().replace(/_/g, ' ')}`;
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${pos.line}:${pos.col}: ${message}`, [{ file, line: pos.line, column: pos.col, message }]);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // Unresolved aliases (named in the library's message) and alias bombs: say which, never the alias.
    const message = `malformed YAML: ${e instanceof Error && /alias count/i.test(e.message) ? `more than ${MAX_ALIAS_COUNT} aliases` : 'an alias without an anchor before it'}`;
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: ${message}`, [{ file, message }], { cause: e });
  }
  const parsed: ParsedYaml = {
    value,
    locate(pointer) {
      let node: unknown = doc.contents;
      // Walk down as far as the pointer goes; a problem about a missing property points at its parent.
      for (const key of decodePointer(pointer)) {
        let next: unknown;
        if (isSeq(node) && /^\d+$/.test(key)) next = node.get(Number(key), true);
        else if (isMap(node)) next = node.get(key, true);
        if (next === undefined) break;
        node = next;
      }
      if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    },
  };
  // Aliases can still build deep values from shallow text.
  assertValueDepth(value, file, MAX_VALUE_DEPTH, (pointer) => parsed.locate(pointer));
  return parsed;
}

/** Validates and maps an already parsed YAML catalog (`{ catalog: … }`), with YAML positions on problems. */
export function catalogFromYaml(parsed: ParsedYaml, file: string, opts: OscalYamlOptions): CatalogDocument {
  return withLocations(file, parsed.locate, () => parseCatalogJson(parsed.value, file, opts));
}

/** Validates and maps an already parsed YAML profile (`{ profile: … }`), with YAML positions on problems. */
export function profileFromYaml(parsed: ParsedYaml, file: string, opts: OscalYamlOptions): ProfileDocument {
  return withLocations(file, parsed.locate, () => parseProfileJson(parsed.value, file, opts));
}

/** Parses an OSCAL catalog in YAML: YAML → JSON value → schema validation → CatalogDocument. */
export function parseCatalogYaml(text: string, file: string, opts: OscalYamlOptions): CatalogDocument {
  return catalogFromYaml(parseOscalYaml(text, file), file, opts);
}

/** Parses an OSCAL profile in YAML: YAML → JSON value → schema validation → ProfileDocument. */
export function parseProfileYaml(text: string, file: string, opts: OscalYamlOptions): ProfileDocument {
  return profileFromYaml(parseOscalYaml(text, file), file, opts);
}

/** The root property of a YAML OSCAL document (`catalog`, `profile`…), for callers choosing a parser. */
export function yamlRootKind(parsed: ParsedYaml): string | undefined {
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.keys(v).find((k) => k !== '$schema');
}
