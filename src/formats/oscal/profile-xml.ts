/**
 * OSCAL profile XML → ProfileDocument through the JSON model (xml-json.ts), so every format takes the same
 * mapping; each directive keeps its JSON pointer and gets the XML line and column it came from.
 */
import type { ProfileDocument } from '../../domain/profile.js';
import type { XmlElement } from '../safe-xml.js';
import { addLines, withLocations } from './located.js';
import { mapProfileJson, parseProfileJson } from './profile-json.js';
import { oscalXmlToJson } from './xml-json.js';

/** Parses an OSCAL XML `<profile>`; validated against the OSCAL JSON Schema when its path is given. */
export function parseProfileXml(root: XmlElement, file: string, opts: { oscalSchemaPath?: string } = {}): ProfileDocument {
  const { json, locate } = oscalXmlToJson(root, file);
  const schema = opts.oscalSchemaPath;
  const doc = withLocations(file, locate, () => (schema !== undefined ? parseProfileJson(json, file, { oscalSchemaPath: schema }) : mapProfileJson(json, file)));
  addLines(doc, locate);
  return doc;
}
