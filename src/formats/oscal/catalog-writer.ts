/**
 * CatalogDocument (a stored catalog or a resolved baseline) → the OSCAL catalog JSON model. Empty lists are
 * left out, since the OSCAL schemas require at least one item wherever a list appears; whatever the typed
 * fields do not cover comes back from each object's `extra` (model-map.ts).
 */
import type { CatalogDocument } from '../../domain/content.js';
import type { ResolvedCatalog } from '../../domain/profile.js';
import { controlToJson, groupToJson, linkToJson, paramToJson, propToJson, resourceToJson } from './model-map.js';

type Json = Record<string, unknown>;

function body(catalog: CatalogDocument, metadata: Json): { catalog: Json } {
  const out: Json = { uuid: catalog.uuid, metadata };
  if (catalog.params && catalog.params.length > 0) out.params = catalog.params.map(paramToJson);
  if (catalog.controls.length > 0) out.controls = catalog.controls.map(controlToJson);
  if (catalog.groups.length > 0) out.groups = catalog.groups.map(groupToJson);
  if (catalog.backMatter && catalog.backMatter.length > 0) out['back-matter'] = { resources: catalog.backMatter.map(resourceToJson) };
  return { catalog: out };
}

/** The OSCAL JSON document (`{ "catalog": … }`) of a catalog as read: its metadata object kept whole. */
export function catalogToJson(catalog: CatalogDocument): { catalog: Json } {
  const metadata: Json = structuredClone(catalog.metadata ?? {});
  metadata.title = catalog.title;
  if (catalog.lastModified !== undefined) metadata['last-modified'] = catalog.lastModified;
  metadata.version = catalog.version;
  metadata['oscal-version'] = catalog.oscalVersion;
  return body(catalog, metadata);
}

/** The OSCAL JSON document (`{ "catalog": … }`) of a resolved catalog. */
export function resolvedCatalogToJson(catalog: ResolvedCatalog): { catalog: Json } {
  const metadata: Json = { ...structuredClone(catalog.metadata ?? {}), title: catalog.title };
  metadata['last-modified'] = catalog.lastModified ?? new Date(0).toISOString();
  metadata.version = catalog.version;
  metadata['oscal-version'] = catalog.oscalVersion;
  if (catalog.metadataProps.length > 0) metadata.props = catalog.metadataProps.map(propToJson);
  else delete metadata.props;
  if (catalog.metadataLinks.length > 0) metadata.links = catalog.metadataLinks.map(linkToJson);
  else delete metadata.links;
  return body(catalog, metadata);
}
