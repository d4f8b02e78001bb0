/**
 * OSCAL catalog XML → CatalogDocument: the generic XML reader (xml-json.ts) gives the JSON model, which takes
 * the JSON path, so a catalog read from XML, JSON or YAML is the same. Problems name the XML line.
 */
import type { CatalogDocument } from '../../domain/content.js';
import type { XmlElement } from '../safe-xml.js';
import { mapCatalogJson, parseCatalogJson } from './catalog-json.js';
import { withLocations } from './located.js';
import { oscalXmlToJson } from './xml-json.js';

/** Parses an OSCAL XML `<catalog>`; validated against the OSCAL JSON Schema when its path is given. */
export function parseCatalogXml(root: XmlElement, file: string, opts: { oscalSchemaPath?: string } = {}): CatalogDocument {
  const { json, locate } = oscalXmlToJson(root, file);
  const schema = opts.oscalSchemaPath;
  return withLocations(file, locate, () => (schema !== undefined ? parseCatalogJson(json, file, { oscalSchemaPath: schema }) : mapCatalogJson(json, file)));
}
