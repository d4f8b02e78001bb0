/**
 * An OSCAL document in any of its three formats, as one model: the OSCAL JSON model (`{ "catalog": … }`).
 * XML is read and written through the metaschema table (xml-json.ts), YAML is the JSON model as YAML
 * (yaml.ts), JSON is itself. Reading keeps a way back from each JSON pointer to the source's line and column.
 */
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { OSCAL_MODELS, parseJsonText } from '../fingerprint.js';
import { DEFAULT_MAX_XML_BYTES, parseXml } from '../safe-xml.js';
import { decodeUtf8 } from '../text-decoding.js';
import { type Locate, withLocations } from './located.js';
import { createOscalValidator } from './schema-validator.js';
import { type OscalJson, oscalJsonToXml, oscalXmlToJson } from './xml-json.js';
import { ROOT_MODELS } from './xml-model.js';
import { jsYaml, parseOscalYaml } from './yaml.js';

export type OscalFormat = 'json' | 'xml' | 'yaml';
export const OSCAL_FORMATS: readonly OscalFormat[] = ['json', 'xml', 'yaml'];

/** A document read in any format: its model (root property), the JSON model, and positions in the source. */
export interface OscalDocument {
  file: string;
  format: OscalFormat;
  /** The root property: catalog, profile, assessment-plan, assessment-results, plan-of-action-and-milestones… */
  model: string;
  json: OscalJson;
  locate?: Locate;
}

/** The format of a file: by extension, else by its first non-blank byte. */
export function formatOf(file: string, bytes: Uint8Array): OscalFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.xml') return 'xml';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  let i = bytes[0] === 0xef ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  if (bytes[i] === 0x7b) return 'json';
  if (bytes[i] === 0x3c || bytes[0] === 0xff || bytes[0] === 0xfe) return 'xml';
  return 'yaml';
}

function notOscal(file: string, found: string): PlimsollError {
  const message = `not an OSCAL document: expected one root property naming an OSCAL model, found ${found}`;
  return new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, pointer: '/', message }]);
}

/** The model a document's root property names. Other root names are the document's own content: counted, never quoted. */
function rootModel(json: unknown, file: string): string {
  const keys = json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json).filter((k) => k !== '$schema') : [];
  if (keys.length === 1 && OSCAL_MODELS.has(keys[0]!)) return keys[0]!;
  throw notOscal(file, keys.length === 0 ? 'none' : keys.length === 1 ? 'one that is not an OSCAL model' : `${keys.length}`);
}

/** Reads an OSCAL document (JSON, XML or YAML) into the JSON model; CONTENT_INVALID naming the place. */
export function readOscalDocument(file: string, bytes: Uint8Array, opts: { maxBytes?: number } = {}): OscalDocument {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  if (bytes.length > maxBytes) {
    const message = `the file is ${bytes.length} bytes, larger than the limit of ${maxBytes} bytes`;
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: ${message}`, [{ file, message }]);
  }
  const format = formatOf(file, bytes);
  if (format === 'xml') {
    const root = parseXml(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), file, { maxBytes });
    if (ROOT_MODELS[root.local] === undefined) {
      throw notOscal(file, OSCAL_MODELS.has(root.local) ? `<${root.local}>, which is not read from XML here` : 'a document element of another vocabulary');
    }
    const { model, json, locate } = oscalXmlToJson(root, file);
    return { file, format, model, json, locate };
  }
  if (format === 'yaml') {
    const parsed = parseOscalYaml(decodeUtf8(bytes, file), file);
    return { file, format, model: rootModel(parsed.value, file), json: parsed.value as OscalJson, locate: parsed.locate };
  }
  const json = parseJsonText(decodeUtf8(bytes, file), file);
  return { file, format, model: rootModel(json, file), json: json as OscalJson };
}

/** Validates a document's JSON model against NIST's OSCAL JSON Schema; SCHEMA_INVALID with pointer and source line. */
export function validateOscalDocument(doc: Pick<OscalDocument, 'file' | 'json' | 'locate'>, oscalSchemaPath: string): void {
  withLocations(doc.file, doc.locate, () => createOscalValidator(oscalSchemaPath).assertValid(doc.json, doc.file));
}

/** Writes the JSON model in a format: JSON (2-space indent), YAML (block style, no line folding) or OSCAL XML. */
export function writeOscalDocument(json: OscalJson, format: OscalFormat, file = 'document'): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(json, null, 2)}\n`;
    case 'yaml': {
      const { dump, CORE_SCHEMA } = jsYaml();
      return dump(json, { lineWidth: -1, noRefs: true, schema: CORE_SCHEMA });
    }
    case 'xml':
      return oscalJsonToXml(json, file);
    default:
      throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown OSCAL format "${format as string}" (json, xml or yaml)`);
  }
}
