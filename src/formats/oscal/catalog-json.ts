/**
 * OSCAL catalog JSON → CatalogDocument. The document is validated against NIST's OSCAL JSON Schema
 * first (the caller names the schema file), so the mapping below can rely on the model's structure.
 */
import type { CatalogDocument, OscalControl, OscalGroup, OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { createOscalValidator } from './schema-validator.js';

export interface CatalogJsonOptions {
  /** Path of the OSCAL complete JSON Schema (e.g. oscal_complete_schema-1.1.2.json). */
  oscalSchemaPath: string;
}

type Json = Record<string, unknown>;

function str(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function arr(o: Json, key: string): Json[] {
  const v = o[key];
  return Array.isArray(v) ? (v as Json[]) : [];
}

function props(o: Json): OscalProp[] | undefined {
  const out = arr(o, 'props').map((p): OscalProp => {
    const prop: OscalProp = { name: str(p, 'name') ?? '', value: str(p, 'value') ?? '' };
    const ns = str(p, 'ns');
    if (ns !== undefined) prop.ns = ns;
    const cls = str(p, 'class');
    if (cls !== undefined) prop.class = cls;
    return prop;
  });
  return out.length > 0 ? out : undefined;
}

function links(o: Json): OscalLink[] | undefined {
  const out = arr(o, 'links').map((l): OscalLink => {
    const link: OscalLink = { href: str(l, 'href') ?? '' };
    const rel = str(l, 'rel');
    if (rel !== undefined) link.rel = rel;
    const text = str(l, 'text');
    if (text !== undefined) link.text = text;
    return link;
  });
  return out.length > 0 ? out : undefined;
}

function param(o: Json): OscalParam {
  const p: OscalParam = { id: str(o, 'id') ?? '' };
  const label = str(o, 'label');
  if (label !== undefined) p.label = label;
  const cls = str(o, 'class');
  if (cls !== undefined) p.class = cls;
  const pr = props(o);
  if (pr) p.props = pr;
  const guidelines = arr(o, 'guidelines').map((g) => str(g, 'prose') ?? '');
  if (guidelines.length > 0) p.guidelines = guidelines;
  const values = Array.isArray(o.values) ? (o.values as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  if (values.length > 0) p.values = values;
  const select = o.select as Json | undefined;
  if (select !== undefined) {
    const choice = Array.isArray(select.choice) ? (select.choice as unknown[]).filter((c): c is string => typeof c === 'string') : [];
    p.select = { choice };
    const howMany = str(select, 'how-many');
    if (howMany !== undefined) p.select.howMany = howMany;
  }
  return p;
}

function params(o: Json): OscalParam[] | undefined {
  const out = arr(o, 'params').map(param);
  return out.length > 0 ? out : undefined;
}

function part(o: Json): OscalPart {
  const p: OscalPart = { name: str(o, 'name') ?? '' };
  for (const k of ['id', 'ns', 'class', 'title', 'prose'] as const) {
    const v = str(o, k);
    if (v !== undefined) p[k] = v;
  }
  const pr = props(o);
  if (pr) p.props = pr;
  const sub = parts(o);
  if (sub) p.parts = sub;
  return p;
}

function parts(o: Json): OscalPart[] | undefined {
  const out = arr(o, 'parts').map(part);
  return out.length > 0 ? out : undefined;
}

function control(o: Json): OscalControl {
  const c: OscalControl = { id: str(o, 'id') ?? '', title: str(o, 'title') ?? '' };
  const cls = str(o, 'class');
  if (cls !== undefined) c.class = cls;
  const pa = params(o);
  if (pa) c.params = pa;
  const pr = props(o);
  if (pr) c.props = pr;
  const li = links(o);
  if (li) c.links = li;
  const pt = parts(o);
  if (pt) c.parts = pt;
  const sub = arr(o, 'controls').map(control);
  if (sub.length > 0) c.controls = sub;
  return c;
}

function group(o: Json): OscalGroup {
  const g: OscalGroup = { title: str(o, 'title') ?? '' };
  const id = str(o, 'id');
  if (id !== undefined) g.id = id;
  const cls = str(o, 'class');
  if (cls !== undefined) g.class = cls;
  const pa = params(o);
  if (pa) g.params = pa;
  const pr = props(o);
  if (pr) g.props = pr;
  const pt = parts(o);
  if (pt) g.parts = pt;
  const groups = arr(o, 'groups').map(group);
  if (groups.length > 0) g.groups = groups;
  const controls = arr(o, 'controls').map(control);
  if (controls.length > 0) g.controls = controls;
  return g;
}

/** Validates a `{ "catalog": … }` document against the OSCAL schema (SCHEMA_INVALID) and maps it. */
export function parseCatalogJson(json: unknown, file: string, opts: CatalogJsonOptions): CatalogDocument {
  createOscalValidator(opts.oscalSchemaPath).assertValid(json, file);
  const catalog = (json as Json).catalog as Json | undefined;
  if (catalog === undefined || typeof catalog !== 'object') {
    throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: not an OSCAL catalog (no "catalog" property)`, [{ file, pointer: '/catalog', message: 'missing' }]);
  }
  const metadata = (catalog.metadata ?? {}) as Json;
  const lastModified = str(metadata, 'last-modified');
  return {
    kind: 'catalog',
    uuid: str(catalog, 'uuid') ?? '',
    title: str(metadata, 'title') ?? '',
    version: str(metadata, 'version') ?? '',
    oscalVersion: str(metadata, 'oscal-version') ?? '',
    ...(lastModified !== undefined ? { lastModified } : {}),
    groups: arr(catalog, 'groups').map(group),
    controls: arr(catalog, 'controls').map(control),
  };
}
