/**
 * OSCAL catalog JSON model → CatalogDocument, losslessly (model-map.ts keeps what the typed fields do not
 * cover). JSON and YAML documents are validated against NIST's OSCAL JSON Schema first; XML documents are
 * read into the same JSON model (xml-json.ts) and then take this path too.
 */
import type { CatalogDocument } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { backMatterFromJson, controlFromJson, groupFromJson, paramFromJson } from './model-map.js';
import { createOscalValidator } from './schema-validator.js';

export interface CatalogJsonOptions {
  /** Path of the OSCAL complete JSON Schema (e.g. oscal_complete_schema-1.1.2.json). */
  oscalSchemaPath: string;
}

type Json = Record<string, unknown>;

const str = (o: Json, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const arr = (o: Json, key: string): Json[] => (Array.isArray(o[key]) ? (o[key] as Json[]) : []);

/** Maps a `{ "catalog": … }` value already known to be schema-valid. */
export function mapCatalogJson(json: unknown, file: string): CatalogDocument {
  const catalog = (json as Json | null)?.catalog as Json | undefined;
  if (catalog === undefined || catalog === null || typeof catalog !== 'object') {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: not an OSCAL catalog (no "catalog" property)`, [{ file, pointer: '/catalog', message: 'missing' }]);
  }
  const metadata = (catalog.metadata ?? {}) as Json;
  const lastModified = str(metadata, 'last-modified');
  const params = arr(catalog, 'params').map(paramFromJson);
  assertUniqueControlIds(catalog, file);
  return {
    kind: 'catalog',
    uuid: str(catalog, 'uuid') ?? '',
    title: str(metadata, 'title') ?? '',
    version: str(metadata, 'version') ?? '',
    oscalVersion: str(metadata, 'oscal-version') ?? '',
    ...(lastModified !== undefined ? { lastModified } : {}),
    metadata: structuredClone(metadata),
    ...(params.length > 0 ? { params } : {}),
    groups: arr(catalog, 'groups').map(groupFromJson),
    controls: arr(catalog, 'controls').map(controlFromJson),
    backMatter: backMatterFromJson(catalog, '/catalog'),
  };
}

/** Control ids name controls across the library (rows, profiles, CCIs): a catalog that repeats one is refused. */
function assertUniqueControlIds(catalog: Json, file: string): void {
  const seen = new Set<string>();
  const stack: { o: Json; pointer: string }[] = [{ o: catalog, pointer: '/catalog' }];
  while (stack.length > 0) {
    const { o, pointer } = stack.pop()!;
    for (const key of ['groups', 'controls']) {
      arr(o, key).forEach((child, i) => {
        const at = `${pointer}/${key}/${i}`;
        const id = key === 'controls' ? str(child, 'id') : undefined;
        if (id !== undefined) {
          if (seen.has(id)) {
            const message = `duplicate control id "${id}"`;
            throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}#${at}: ${message}`, [{ file, pointer: at, message }]);
          }
          seen.add(id);
        }
        stack.push({ o: child, pointer: at });
      });
    }
  }
}

/** Validates a `{ "catalog": … }` document against the OSCAL schema (SCHEMA_INVALID) and maps it. */
export function parseCatalogJson(json: unknown, file: string, opts: CatalogJsonOptions): CatalogDocument {
  createOscalValidator(opts.oscalSchemaPath).assertValid(json, file);
  return mapCatalogJson(json, file);
}
