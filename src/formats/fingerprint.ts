/**
 * Decides what kind of content a file holds, from its bytes, and hands back the parsed form so that
 * the format parser does not parse again. JSON is recognised by its root property (OSCAL), XML by the
 * document element's local name and namespace.
 */
import { createRequire } from 'node:module';
import type * as Jsonc from 'jsonc-parser';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { type ParseXmlOptions, type XmlElement, lineColumnAt, parseXmlSelective } from './safe-xml.js';
import { MAX_VALUE_DEPTH, decodeUtf8 } from './text-decoding.js';
import { type DataStreamCollection, type DataStreamParseOptions, dataStreamReading, isDataStreamCollection, mapDataStreamCollection, SCAP_DS_NS as SCAP_DS_NS_VALUE } from './scap/data-stream.js';

export const OSCAL_XML_NS = 'http://csrc.nist.gov/ns/oscal/1.0';
export const XCCDF_11_NS = 'http://checklists.nist.gov/xccdf/1.1';
export const XCCDF_12_NS = 'http://checklists.nist.gov/xccdf/1.2';
export const CCI_NS = 'http://iase.disa.mil/cci';
export { SCAP_DS_NS } from './scap/data-stream.js';

/** OSCAL models other than catalog and profile: recognised, but not content the library imports. */
const OTHER_OSCAL_MODELS: ReadonlySet<string> = new Set([
  'component-definition',
  'system-security-plan',
  'assessment-plan',
  'assessment-results',
  'plan-of-action-and-milestones',
  'mapping-collection',
]);

/** Every OSCAL model (root property) name: the only root names an error may quote, being vocabulary, not content. */
export const OSCAL_MODELS: ReadonlySet<string> = new Set(['catalog', 'profile', ...OTHER_OSCAL_MODELS]);

export type Fingerprint =
  | { kind: 'catalog'; format: 'json'; json: Record<string, unknown> }
  | { kind: 'catalog'; format: 'xml'; root: XmlElement }
  | { kind: 'profile'; format: 'json'; json: Record<string, unknown> }
  | { kind: 'profile'; format: 'xml'; root: XmlElement }
  | { kind: 'benchmark'; format: 'xml'; xccdfVersion: '1.1' | '1.2'; root: XmlElement }
  /** A SCAP 1.2/1.3 source data stream collection: imported as the benchmark(s) of its XCCDF components. */
  | { kind: 'data-stream'; format: 'xml'; root: XmlElement; collection: DataStreamCollection }
  | { kind: 'cci-list'; format: 'xml'; root: XmlElement };

/** Namespaces whose element names may be quoted: they are vocabularies, not a document's own words. */
const KNOWN_NAMESPACES: Record<string, string> = {
  [OSCAL_XML_NS]: 'OSCAL',
  [XCCDF_11_NS]: 'XCCDF 1.1',
  [XCCDF_12_NS]: 'XCCDF 1.2',
  [CCI_NS]: 'the DISA CCI list',
  [SCAP_DS_NS_VALUE]: 'SCAP data streams',
};

const KNOWN_NAMESPACE_PREFIXES = ['http://checklists.nist.gov/xccdf/', 'http://csrc.nist.gov/ns/oscal/', 'http://scap.nist.gov/schema/', 'http://iase.disa.mil/'];

function unknownKind(file: string, found: string): PlimsollError {
  const message = `not a supported content document: found ${found}; expected an OSCAL catalog (JSON or XML), an XCCDF 1.1/1.2 Benchmark, a SCAP source data stream or a DISA CCI list`;
  return new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
}

/** What each syntax error of jsonc-parser means, in words that quote nothing of the document. */
const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace',
  CloseBracketExpected: 'expected a closing bracket',
  EndOfFileExpected: 'unexpected content after the document',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape sequence',
  InvalidCharacter: 'a control character in a string',
};

/**
 * Parses JSON text, turning syntax errors into CONTENT_INVALID with line and column. The message never
 * quotes the document (V8's messages do: "Unexpected token 'r', "root:$6$…" is not valid JSON"); jsonc-parser
 * (strict: no comments, no trailing commas) locates the first error and names its kind. Nesting deeper than
 * MAX_VALUE_DEPTH is refused with its place before parsing, so that no recursive code ever walks it.
 */
/** jsonc-parser (CommonJS, some ten files) only places a syntax error: required when a text fails JSON.parse, not by every process. */
const jsonc = (): typeof Jsonc => createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc;

export function parseJsonText(text: string, file: string): unknown {
  assertJsonTextDepth(text, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const { parse: parseJsonc, printParseErrorCode } = jsonc();
    const errors: Jsonc.ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const at = lineColumnAt(text, first?.offset ?? text.length);
    const message = `malformed JSON: ${first ? (JSON_PROBLEMS[printParseErrorCode(first.error)] ?? 'syntax error') : 'syntax error'}`;
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${at.line}:${at.column}: ${message}`, [{ file, ...at, message }], { cause: e });
  }
}

/** Refuses JSON text whose arrays and objects nest deeper than MAX_VALUE_DEPTH, with the line and column. */
function assertJsonTextDepth(text: string, file: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i += 1; i < text.length; i += 1) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \\ */) i += 1;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth += 1;
      if (depth > MAX_VALUE_DEPTH) {
        const at = lineColumnAt(text, i);
        const message = `values are nested deeper than the limit of ${MAX_VALUE_DEPTH}`;
        throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${at.line}:${at.column}: ${message}`, [{ file, ...at, message }]);
      }
    } else if (c === 93 || c === 125) depth -= 1;
  }
}

function fingerprintJson(file: string, text: string): Fingerprint {
  const json = parseJsonText(text, file);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw unknownKind(file, `a JSON ${json === null ? 'null' : Array.isArray(json) ? 'array' : typeof json}`);
  const doc = json as Record<string, unknown>;
  const keys = Object.keys(doc).filter((k) => k !== '$schema');
  if (keys.length === 1 && keys[0] === 'catalog') return { kind: 'catalog', format: 'json', json: doc };
  if (keys.length === 1 && keys[0] === 'profile') return { kind: 'profile', format: 'json', json: doc };
  if (keys.length === 1 && OTHER_OSCAL_MODELS.has(keys[0]!)) throw unknownKind(file, `an OSCAL ${keys[0]} (JSON)`);
  // Names of an unknown document are its content: say how many there are, not what they are.
  throw unknownKind(file, keys.length === 0 ? 'an empty JSON object' : `a JSON object whose ${keys.length === 1 ? 'root property is' : `${keys.length} root properties are`} not an OSCAL model`);
}

/** Limits of the XML parse, and what of a source data stream's benchmarks to build. */
export interface FingerprintOptions extends ParseXmlOptions {
  dataStream?: DataStreamParseOptions;
}

function fingerprintXml(file: string, input: Buffer, opts: FingerprintOptions): Fingerprint {
  // Data stream collections are parsed selectively (their OVAL/OCIL/CPE components are skipped); any
  // other document element is kept whole, which is exactly parseXml.
  const { dataStream, ...limits } = opts;
  const reading = dataStreamReading(dataStream);
  const root = parseXmlSelective(input, file, { ...limits, select: reading.select, ...(reading.closed ? { closed: reading.closed } : {}) });
  if (isDataStreamCollection(root)) return { kind: 'data-stream', format: 'xml', root, collection: mapDataStreamCollection(root, file, reading.earlyRules) };
  if (root.ns === OSCAL_XML_NS) {
    if (root.local === 'catalog') return { kind: 'catalog', format: 'xml', root };
    if (root.local === 'profile') return { kind: 'profile', format: 'xml', root };
  }
  if (root.local === 'Benchmark' && root.ns === XCCDF_11_NS) return { kind: 'benchmark', format: 'xml', xccdfVersion: '1.1', root };
  if (root.local === 'Benchmark' && root.ns === XCCDF_12_NS) return { kind: 'benchmark', format: 'xml', xccdfVersion: '1.2', root };
  if (root.local === 'cci_list' && root.ns === CCI_NS) return { kind: 'cci-list', format: 'xml', root };
  // A known vocabulary is named; anything else is the document's own content, and is not quoted.
  const vocabulary = KNOWN_NAMESPACES[root.ns];
  if (vocabulary) throw unknownKind(file, `an XML document element <${root.local}> of ${vocabulary}`);
  // Another version of a known standard (XCCDF 1.3, …) is worth naming precisely.
  if (KNOWN_NAMESPACE_PREFIXES.some((p) => root.ns.startsWith(p))) throw unknownKind(file, `an XML document element <${root.local}> in namespace ${root.ns}`);
  throw unknownKind(file, 'an XML document in another vocabulary');
}

/** Detects the kind of a content file and returns its parsed form; throws CONTENT_UNKNOWN_KIND or CONTENT_INVALID. */
export function fingerprint(file: string, bytes: Buffer, opts: FingerprintOptions = {}): Fingerprint {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let i = bom;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return fingerprintXml(file, bytes, opts);
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  if (i >= bytes.length) throw unknownKind(file, 'an empty file');
  if (bytes[i] === 0x7b /* { */) return fingerprintJson(file, decodeUtf8(bytes, file));
  if (bytes[i] === 0x3c /* < */) return fingerprintXml(file, bytes, opts);
  const at = lineColumnAt(bytes.subarray(0, i).toString('utf8'), i);
  throw unknownKind(file, `content that is neither JSON nor XML (the first character, at line ${at.line} column ${at.column}, is neither "{" nor "<")`);
}
