/**
 * ResolvedCatalog → OSCAL catalog JSON (the JSON model's property names and order). Empty lists are
 * left out, since the OSCAL schemas require at least one item wherever a list appears.
 */
import type { OscalControl, OscalGroup, OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import type { BackMatterResource, ResolvedCatalog, ResolvedParam } from '../../domain/profile.js';

type Json = Record<string, unknown>;

/** Sets `into[key]` when the value is a non-empty list or a defined scalar. */
function put(into: Json, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  into[key] = value;
}

const propJson = (p: OscalProp): Json => {
  const o: Json = { name: p.name };
  put(o, 'ns', p.ns);
  o.value = p.value;
  put(o, 'class', p.class);
  return o;
};

const linkJson = (l: OscalLink): Json => {
  const o: Json = { href: l.href };
  put(o, 'rel', l.rel);
  put(o, 'text', l.text);
  return o;
};

function paramJson(p: OscalParam | ResolvedParam): Json {
  const r = p as ResolvedParam;
  const o: Json = { id: p.id };
  put(o, 'class', p.class);
  put(o, 'props', p.props?.map(propJson));
  put(o, 'links', r.links?.map(linkJson));
  put(o, 'label', p.label);
  put(o, 'usage', r.usage);
  put(
    o,
    'constraints',
    r.constraints?.map((c) => {
      const co: Json = {};
      put(co, 'description', c.description);
      put(co, 'tests', c.tests?.map((t) => ({ expression: t.expression, ...(t.remarks !== undefined ? { remarks: t.remarks } : {}) })));
      return co;
    }),
  );
  put(o, 'guidelines', p.guidelines?.map((prose) => ({ prose })));
  put(o, 'values', p.values);
  if (p.select) {
    const sel: Json = {};
    put(sel, 'how-many', p.select.howMany);
    put(sel, 'choice', p.select.choice);
    o.select = sel;
  }
  return o;
}

function partJson(p: OscalPart): Json {
  const o: Json = {};
  put(o, 'id', p.id);
  o.name = p.name;
  put(o, 'ns', p.ns);
  put(o, 'class', p.class);
  put(o, 'title', p.title);
  put(o, 'props', p.props?.map(propJson));
  put(o, 'prose', p.prose);
  put(o, 'parts', p.parts?.map(partJson));
  return o;
}

function controlJson(c: OscalControl): Json {
  const o: Json = { id: c.id };
  put(o, 'class', c.class);
  o.title = c.title;
  put(o, 'params', c.params?.map(paramJson));
  put(o, 'props', c.props?.map(propJson));
  put(o, 'links', c.links?.map(linkJson));
  put(o, 'parts', c.parts?.map(partJson));
  put(o, 'controls', c.controls?.map(controlJson));
  return o;
}

function groupJson(g: OscalGroup): Json {
  const o: Json = {};
  put(o, 'id', g.id);
  put(o, 'class', g.class);
  o.title = g.title;
  put(o, 'params', g.params?.map(paramJson));
  put(o, 'props', g.props?.map(propJson));
  put(o, 'parts', g.parts?.map(partJson));
  put(o, 'groups', g.groups?.map(groupJson));
  put(o, 'controls', g.controls?.map(controlJson));
  return o;
}

function resourceJson(r: BackMatterResource): Json {
  const o: Json = { uuid: r.uuid };
  put(o, 'title', r.title);
  put(o, 'description', r.description);
  put(o, 'props', r.props?.map(propJson));
  if (r.citation) o.citation = { text: r.citation.text };
  put(o, 'rlinks', r.rlinks?.map((l) => ({ href: l.href, ...(l.mediaType !== undefined ? { 'media-type': l.mediaType } : {}) })));
  return o;
}

/** The OSCAL JSON document (`{ "catalog": … }`) of a resolved catalog. */
export function resolvedCatalogToJson(catalog: ResolvedCatalog): { catalog: Json } {
  const metadata: Json = { title: catalog.title };
  put(metadata, 'last-modified', catalog.lastModified ?? new Date(0).toISOString());
  metadata.version = catalog.version;
  metadata['oscal-version'] = catalog.oscalVersion;
  put(metadata, 'props', catalog.metadataProps.map(propJson));
  put(metadata, 'links', catalog.metadataLinks.map(linkJson));
  const out: Json = { uuid: catalog.uuid, metadata };
  put(out, 'params', catalog.params?.map(paramJson));
  put(out, 'controls', catalog.controls.map(controlJson));
  put(out, 'groups', catalog.groups.map(groupJson));
  if (catalog.backMatter.length > 0) out['back-matter'] = { resources: catalog.backMatter.map(resourceJson) };
  return { catalog: out };
}
