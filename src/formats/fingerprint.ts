/**
 * Decides what kind of content a file holds, from its bytes, and hands back the parsed form so that
 * the format parser does not parse again. JSON is recognised by its root property (OSCAL), XML by the
 * document element's local name and namespace.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { type ParseXmlOptions, type XmlElement, lineColumnAt, parseXmlSelective } from './safe-xml.js';
import { MAX_VALUE_DEPTH, decodeUtf8 } from './text-decoding.js';
import { type DataStreamCollection, dataStreamSelector, isDataStreamCollection, mapDataStreamCollection } from './scap/data-stream.js';

export const OSCAL_XML_NS = 'http://csrc.nist.gov/ns/oscal/1.0';
export const XCCDF_11_NS = 'http://checklists.nist.gov/xccdf/1.1';
export const XCCDF_12_NS = 'http://checklists.nist.gov/xccdf/1.2';
export const CCI_NS = 'http://iase.disa.mil/cci';
export { SCAP_DS_NS } from './scap/data-stream.js';

/** OSCAL models other than catalog and profile: recognised, but not content the library imports. */
const OTHER_OSCAL_MODELS = new Set([
  'component-definition',
  'system-security-plan',
  'assessment-plan',
  'assessment-results',
  'plan-of-action-and-milestones',
  'mapping-collection',
]);

export type Fingerprint =
  | { kind: 'catalog'; format: 'json'; json: Record<string, unknown> }
  | { kind: 'catalog'; format: 'xml'; root: XmlElement }
  | { kind: 'profile'; format: 'json'; json: Record<string, unknown> }
  | { kind: 'profile'; format: 'xml'; root: XmlElement }
  | { kind: 'benchmark'; format: 'xml'; xccdfVersion: '1.1' | '1.2'; root: XmlElement }
  /** A SCAP 1.2/1.3 source data stream collection: imported as the benchmark(s) of its XCCDF components. */
  | { kind: 'data-stream'; format: 'xml'; root: XmlElement; collection: DataStreamCollection }
  | { kind: 'cci-list'; format: 'xml'; root: XmlElement };

function unknownKind(file: string, found: string): PlimsollError {
  const message = `not a supported content document: found ${found}; expected an OSCAL catalog (JSON or XML), an XCCDF 1.1/1.2 Benchmark, a SCAP source data stream or a DISA CCI list`;
  return new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
}

/**
 * Parses JSON text, turning syntax errors into CONTENT_INVALID with line and column. The engine's own message
 * quotes the text around the error, so only its kind is kept. Nesting deeper than MAX_VALUE_DEPTH is refused
 * with its place before parsing, so that no recursive code ever walks it.
 */
export function parseJsonText(text: string, file: string): unknown {
  assertJsonTextDepth(text, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const lc = /line (\d+) column (\d+)/.exec(reason);
    const pos = /position (\d+)/.exec(reason);
    const at = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : lineColumnAt(text, pos ? Number(pos[1]) : text.length);
    const kind = /^Unexpected end of JSON input|^Unterminated string|^Bad control character|^Bad escaped character|^Expected [^,"']+/.exec(reason)?.[0] ?? (/Unexpected (token|non-whitespace character|number|string)/.exec(reason)?.[0] ?? 'syntax error');
    const message = `malformed JSON: ${kind.replace(/ in JSON.*$/, '').trim()}`;
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
  throw unknownKind(file, keys.length === 0 ? 'an empty JSON object' : `a JSON object with root properties ${keys.slice(0, 5).map((k) => `"${k}"`).join(', ')}`);
}

function fingerprintXml(file: string, input: Buffer, opts: ParseXmlOptions): Fingerprint {
  // Data stream collections are parsed selectively (their OVAL/OCIL/CPE components are skipped); any
  // other document element is kept whole, which is exactly parseXml.
  const root = parseXmlSelective(input, file, { ...opts, select: dataStreamSelector() });
  if (isDataStreamCollection(root)) return { kind: 'data-stream', format: 'xml', root, collection: mapDataStreamCollection(root, file) };
  if (root.ns === OSCAL_XML_NS) {
    if (root.local === 'catalog') return { kind: 'catalog', format: 'xml', root };
    if (root.local === 'profile') return { kind: 'profile', format: 'xml', root };
  }
  if (root.local === 'Benchmark' && root.ns === XCCDF_11_NS) return { kind: 'benchmark', format: 'xml', xccdfVersion: '1.1', root };
  if (root.local === 'Benchmark' && root.ns === XCCDF_12_NS) return { kind: 'benchmark', format: 'xml', xccdfVersion: '1.2', root };
  if (root.local === 'cci_list' && root.ns === CCI_NS) return { kind: 'cci-list', format: 'xml', root };
  throw unknownKind(file, `XML document element <${root.name}>${root.ns ? ` in namespace ${root.ns}` : ' without namespace'}`);
}

/** Detects the kind of a content file and returns its parsed form; throws CONTENT_UNKNOWN_KIND or CONTENT_INVALID. */
export function fingerprint(file: string, bytes: Buffer, opts: ParseXmlOptions = {}): Fingerprint {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let i = bom;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return fingerprintXml(file, bytes, opts);
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  if (i >= bytes.length) throw unknownKind(file, 'an empty file');
  if (bytes[i] === 0x7b /* { */) return fingerprintJson(file, decodeUtf8(bytes, file));
  if (bytes[i] === 0x3c /* < */) return fingerprintXml(file, bytes, opts);
  throw unknownKind(file, 'content that is neither JSON (an object starting with "{") nor XML (starting with "<")');
}
