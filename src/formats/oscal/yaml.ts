/**
 * OSCAL YAML (catalogs and profiles) → the JSON model, then the JSON path (schema validation and
 * mapping). YAML syntax errors carry the line and column; schema problems found on the JSON value
 * are given back the line and column of the YAML node their JSON pointer names.
 */
import { type Document, LineCounter, isMap, isNode, isSeq, parseDocument } from 'yaml';
import type { CatalogDocument } from '../../domain/content.js';
import { ErrorCode, PlimsollError, type Problem } from '../../domain/errors.js';
import type { ProfileDocument } from '../../domain/profile.js';
import { parseCatalogJson } from './catalog-json.js';
import { parseProfileJson } from './profile-json.js';

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

/** Parses YAML 1.2 text (core schema, unique keys); throws CONTENT_INVALID with the line and column of the first error. */
export function parseOscalYaml(text: string, file: string): ParsedYaml {
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
  return {
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
}

/** Re-throws a PlimsollError from the JSON path with line/column added to problems that carry a JSON pointer. */
function withYamlPositions<T>(parsed: ParsedYaml, file: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof PlimsollError)) throw e;
    const problems: Problem[] = e.problems.map((p) => {
      if (p.pointer === undefined || p.line !== undefined) return p;
      const at = parsed.locate(p.pointer);
      return at === undefined ? p : { ...p, ...at };
    });
    const first = problems[0];
    const message = first?.line !== undefined ? `${file}:${first.line}:${first.column ?? 0}: ${e.message.startsWith(file) ? e.message.slice(file.length).replace(/^[:#\s]+/, '') : e.message}` : e.message;
    throw new PlimsollError(e.code, message, problems, { cause: e });
  }
}

/** Validates and maps an already parsed YAML catalog (`{ catalog: … }`), with YAML positions on problems. */
export function catalogFromYaml(parsed: ParsedYaml, file: string, opts: OscalYamlOptions): CatalogDocument {
  return withYamlPositions(parsed, file, () => parseCatalogJson(parsed.value, file, opts));
}

/** Validates and maps an already parsed YAML profile (`{ profile: … }`), with YAML positions on problems. */
export function profileFromYaml(parsed: ParsedYaml, file: string, opts: OscalYamlOptions): ProfileDocument {
  return withYamlPositions(parsed, file, () => parseProfileJson(parsed.value, file, opts));
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
