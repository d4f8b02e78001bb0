/**
 * The OSCAL JSON model ↔ the library's typed catalog objects (controls, params, parts, props, links,
 * back-matter resources), both ways and losslessly: every JSON property a typed field does not cover is kept
 * in the object's `extra` and written back, so reading then writing a catalog gives the same document.
 */
import type { BackMatterResource, OscalControl, OscalExtra, OscalGroup, OscalLink, OscalParam, OscalPart, OscalProp, ParamConstraint } from '../../domain/content.js';

type Json = Record<string, unknown>;

const str = (o: Json, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const arr = (o: Json, key: string): Json[] => (Array.isArray(o[key]) ? (o[key] as Json[]) : []);
const obj = (o: Json, key: string): Json | undefined => (o[key] !== null && typeof o[key] === 'object' && !Array.isArray(o[key]) ? (o[key] as Json) : undefined);

/** Sets `into[key]` when the value is defined and, for a list, not empty (OSCAL lists have at least one item). */
function put(into: Json, key: string, value: unknown): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
  into[key] = value;
}

/** The properties of `o` outside `known`, deep-copied; undefined when there are none. */
function rest(o: Json, known: readonly string[]): OscalExtra | undefined {
  const out: OscalExtra = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k)) out[k] = structuredClone(v);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Copies the string fields `keys` (JSON name → typed name) and the rest as `extra`. */
function typed<T extends object>(into: T, o: Json, keys: Record<string, keyof T>, known: readonly string[]): T {
  for (const [from, to] of Object.entries(keys)) {
    const v = str(o, from);
    if (v !== undefined) (into as Record<keyof T, unknown>)[to] = v;
  }
  const extra = rest(o, [...Object.keys(keys), ...known]);
  if (extra) (into as { extra?: OscalExtra }).extra = extra;
  return into;
}

function list<T>(o: Json, key: string, map: (x: Json) => T): T[] | undefined {
  const out = arr(o, key).map(map);
  return out.length > 0 ? out : undefined;
}

const withExtra = (o: Json, extra: OscalExtra | undefined): Json => (extra ? Object.assign(o, structuredClone(extra)) : o);

export function propFromJson(o: Json): OscalProp {
  return typed<OscalProp>({ name: str(o, 'name') ?? '', value: str(o, 'value') ?? '' }, o, { ns: 'ns', class: 'class' }, ['name', 'value']);
}

export function propToJson(p: OscalProp): Json {
  const o: Json = { name: p.name };
  put(o, 'ns', p.ns);
  o.value = p.value;
  put(o, 'class', p.class);
  return withExtra(o, p.extra);
}

export function linkFromJson(o: Json): OscalLink {
  return typed<OscalLink>({ href: str(o, 'href') ?? '' }, o, { rel: 'rel', text: 'text' }, ['href']);
}

export function linkToJson(l: OscalLink): Json {
  const o: Json = { href: l.href };
  put(o, 'rel', l.rel);
  withExtra(o, l.extra);
  put(o, 'text', l.text);
  return o;
}

export const propsFromJson = (o: Json): OscalProp[] | undefined => list(o, 'props', propFromJson);
export const linksFromJson = (o: Json): OscalLink[] | undefined => list(o, 'links', linkFromJson);

export function selectFromJson(o: Json): OscalParam['select'] | undefined {
  const select = obj(o, 'select');
  if (select === undefined) return undefined;
  const out: NonNullable<OscalParam['select']> = { choice: arr(select, 'choice') as unknown as string[] };
  const howMany = str(select, 'how-many');
  if (howMany !== undefined) out.howMany = howMany;
  return out;
}

export function constraintsFromJson(o: Json): ParamConstraint[] | undefined {
  return list(o, 'constraints', (c) => {
    const out: ParamConstraint = {};
    const description = str(c, 'description');
    if (description !== undefined) out.description = description;
    const tests = arr(c, 'tests').map((t) => ({ expression: str(t, 'expression') ?? '', ...(str(t, 'remarks') !== undefined ? { remarks: str(t, 'remarks')! } : {}) }));
    if (tests.length > 0) out.tests = tests;
    return out;
  });
}

export function guidelinesFromJson(o: Json): string[] | undefined {
  return list(o, 'guidelines', (g) => str(g, 'prose') ?? '');
}

export function paramFromJson(o: Json): OscalParam {
  const p = typed<OscalParam>({ id: str(o, 'id') ?? '' }, o, { class: 'class', label: 'label', usage: 'usage' }, ['id', 'props', 'links', 'constraints', 'guidelines', 'values', 'select']);
  const props = propsFromJson(o);
  if (props) p.props = props;
  const links = linksFromJson(o);
  if (links) p.links = links;
  const constraints = constraintsFromJson(o);
  if (constraints) p.constraints = constraints;
  const guidelines = guidelinesFromJson(o);
  if (guidelines) p.guidelines = guidelines;
  const values = arr(o, 'values') as unknown as string[];
  if (values.length > 0) p.values = [...values];
  const select = selectFromJson(o);
  if (select) p.select = select;
  return p;
}

export function paramToJson(p: OscalParam): Json {
  const o: Json = { id: p.id };
  put(o, 'class', p.class);
  withExtra(o, p.extra);
  put(o, 'props', p.props?.map(propToJson));
  put(o, 'links', p.links?.map(linkToJson));
  put(o, 'label', p.label);
  put(o, 'usage', p.usage);
  put(o, 'constraints', p.constraints?.map((c) => {
    const co: Json = {};
    put(co, 'description', c.description);
    put(co, 'tests', c.tests?.map((t) => ({ expression: t.expression, ...(t.remarks !== undefined ? { remarks: t.remarks } : {}) })));
    return co;
  }));
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

export function partFromJson(o: Json): OscalPart {
  const p = typed<OscalPart>({ name: str(o, 'name') ?? '' }, o, { id: 'id', ns: 'ns', class: 'class', title: 'title', prose: 'prose' }, ['name', 'props', 'parts', 'links']);
  const props = propsFromJson(o);
  if (props) p.props = props;
  const parts = list(o, 'parts', partFromJson);
  if (parts) p.parts = parts;
  const links = linksFromJson(o);
  if (links) p.links = links;
  return p;
}

export function partToJson(p: OscalPart): Json {
  const o: Json = {};
  put(o, 'id', p.id);
  o.name = p.name;
  put(o, 'ns', p.ns);
  put(o, 'class', p.class);
  put(o, 'title', p.title);
  put(o, 'props', p.props?.map(propToJson));
  put(o, 'prose', p.prose);
  put(o, 'parts', p.parts?.map(partToJson));
  put(o, 'links', p.links?.map(linkToJson));
  return withExtra(o, p.extra);
}

const CONTROL_KEYS = ['id', 'title', 'params', 'props', 'links', 'parts', 'controls'];

/** The lists controls and groups share: params, props, links, parts and nested controls. */
function fillControlLists(into: OscalControl | OscalGroup, o: Json): void {
  const params = list(o, 'params', paramFromJson);
  if (params) into.params = params;
  const props = propsFromJson(o);
  if (props) into.props = props;
  const links = linksFromJson(o);
  if (links) into.links = links;
  const parts = list(o, 'parts', partFromJson);
  if (parts) into.parts = parts;
  const controls = list(o, 'controls', controlFromJson);
  if (controls) into.controls = controls;
}

export function controlFromJson(o: Json): OscalControl {
  const c = typed<OscalControl>({ id: str(o, 'id') ?? '', title: str(o, 'title') ?? '' }, o, { class: 'class' }, CONTROL_KEYS);
  fillControlLists(c, o);
  return c;
}

export function controlToJson(c: OscalControl): Json {
  const o: Json = { id: c.id };
  put(o, 'class', c.class);
  o.title = c.title;
  put(o, 'params', c.params?.map(paramToJson));
  put(o, 'props', c.props?.map(propToJson));
  put(o, 'links', c.links?.map(linkToJson));
  put(o, 'parts', c.parts?.map(partToJson));
  put(o, 'controls', c.controls?.map(controlToJson));
  return withExtra(o, c.extra);
}

export function groupFromJson(o: Json): OscalGroup {
  const g = typed<OscalGroup>({ title: str(o, 'title') ?? '' }, o, { id: 'id', class: 'class' }, [...CONTROL_KEYS, 'groups']);
  fillControlLists(g, o);
  const groups = list(o, 'groups', groupFromJson);
  if (groups) g.groups = groups;
  return g;
}

export function groupToJson(g: OscalGroup): Json {
  const o: Json = {};
  put(o, 'id', g.id);
  put(o, 'class', g.class);
  o.title = g.title;
  put(o, 'params', g.params?.map(paramToJson));
  put(o, 'props', g.props?.map(propToJson));
  put(o, 'links', g.links?.map(linkToJson));
  put(o, 'parts', g.parts?.map(partToJson));
  put(o, 'groups', g.groups?.map(groupToJson));
  put(o, 'controls', g.controls?.map(controlToJson));
  return withExtra(o, g.extra);
}

export function resourceFromJson(r: Json, pointer: string): BackMatterResource {
  const res = typed<BackMatterResource>({ uuid: str(r, 'uuid') ?? '', at: { pointer } }, r, { title: 'title', description: 'description' }, ['uuid', 'props', 'citation', 'rlinks']);
  const props = propsFromJson(r);
  if (props) res.props = props;
  const citation = obj(r, 'citation');
  if (citation !== undefined) res.citation = typed<{ text: string; extra?: OscalExtra }>({ text: str(citation, 'text') ?? '' }, citation, {}, ['text']);
  const rlinks = arr(r, 'rlinks').map((l) => typed<{ href: string; mediaType?: string; extra?: OscalExtra }>({ href: str(l, 'href') ?? '' }, l, { 'media-type': 'mediaType' }, ['href']));
  if (rlinks.length > 0) res.rlinks = rlinks;
  return res;
}

export function resourceToJson(r: BackMatterResource): Json {
  const o: Json = { uuid: r.uuid };
  put(o, 'title', r.title);
  put(o, 'description', r.description);
  put(o, 'props', r.props?.map(propToJson));
  if (r.citation) o.citation = withExtra({ text: r.citation.text }, r.citation.extra);
  put(o, 'rlinks', r.rlinks?.map((l) => withExtra({ href: l.href, ...(l.mediaType !== undefined ? { 'media-type': l.mediaType } : {}) }, l.extra)));
  return withExtra(o, r.extra);
}

/** The back-matter resources of a catalog or profile root object (`{ "back-matter": { "resources": […] } }`). */
export function backMatterFromJson(root: Json, pointer: string): BackMatterResource[] {
  const backMatter = obj(root, 'back-matter');
  return backMatter === undefined ? [] : arr(backMatter, 'resources').map((r, i) => resourceFromJson(r, `${pointer}/back-matter/resources/${i}`));
}
