/**
 * OSCAL value types and the few datatype rules the JSON Schema enforces on them: a StringDatatype has
 * no line breaks and no leading or trailing whitespace, a TokenDatatype is an NCName. Builders go
 * through these helpers so that a stray newline in a STIG text can't make a document invalid.
 */

/** Namespace of Plimsoll's own property names (OSCAL reserves un-namespaced names for its own). */
export const PLIMSOLL_NS = 'https://plimsoll.dev/ns/oscal';

export const OSCAL_VERSION = '1.1.2';

export interface OscalPropJson {
  name: string;
  value: string;
  ns?: string;
  class?: string;
  remarks?: string;
}

export interface OscalLinkJson {
  href: string;
  rel?: string;
  'media-type'?: string;
  text?: string;
}

/** An OSCAL JSON object this module does not model field by field. */
export type OscalJson = Record<string, unknown>;

/** The assessment-results document: `{ "assessment-results": { … } }`. */
export interface AssessmentResultsDocument {
  'assessment-results': {
    uuid: string;
    metadata: OscalJson;
    'import-ap': { href: string; remarks?: string };
    results: OscalResultJson[];
    'back-matter'?: { resources: OscalJson[] };
  };
}

/** The assessment-plan document: `{ "assessment-plan": { … } }`. */
export interface AssessmentPlanDocument {
  'assessment-plan': {
    uuid: string;
    metadata: OscalJson;
    'import-ssp': { href: string; remarks?: string };
    'local-definitions'?: OscalJson;
    'reviewed-controls': { 'control-selections': OscalJson[] };
    'assessment-subjects'?: OscalJson[];
    'assessment-assets'?: OscalJson;
    tasks?: OscalJson[];
    'back-matter'?: { resources: OscalJson[] };
  };
}

/**
 * The text of an OSCAL JSON document as Plimsoll writes and serves it (two-space indentation, final newline):
 * one serialisation everywhere, so the sha256 another document records of it matches the bytes a reader gets.
 */
export function oscalJsonText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface OscalResultJson {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end?: string;
  props?: OscalPropJson[];
  'local-definitions'?: OscalJson;
  'reviewed-controls': { 'control-selections': OscalJson[] };
  observations?: OscalObservationJson[];
  risks?: OscalRiskJson[];
  findings?: OscalFindingJson[];
  remarks?: string;
}

export interface OscalObservationJson {
  uuid: string;
  title: string;
  description: string;
  props?: OscalPropJson[];
  methods: string[];
  origins?: OscalJson[];
  types?: string[];
  subjects?: { 'subject-uuid': string; type: string; title?: string }[];
  'relevant-evidence'?: { description: string; props?: OscalPropJson[]; remarks?: string }[];
  collected: string;
  remarks?: string;
}

export interface OscalFindingJson {
  uuid: string;
  title: string;
  description: string;
  props?: OscalPropJson[];
  origins?: OscalJson[];
  target: {
    type: 'statement-id' | 'objective-id';
    'target-id': string;
    description?: string;
    props?: OscalPropJson[];
    status: { state: 'satisfied' | 'not-satisfied'; reason?: string; remarks?: string };
  };
  'related-observations'?: { 'observation-uuid': string }[];
  'related-risks'?: { 'risk-uuid': string }[];
}

export interface OscalRiskJson {
  uuid: string;
  title: string;
  description: string;
  statement: string;
  props?: OscalPropJson[];
  status: string;
  characterizations?: OscalJson[];
  'related-observations'?: { 'observation-uuid': string }[];
}

const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;

/**
 * A value for a StringDatatype field (prop values, names): line breaks become spaces and the ends are
 * trimmed; an empty value becomes `fallback`. Inner spacing is kept, so JSON evidence stays exact.
 */
export function oscalString(text: string, fallback = '(empty)'): string {
  const s = text.replace(LINE_BREAKS, ' ').trim();
  return s === '' ? fallback : s;
}

/** Markup-multiline prose (descriptions, statements): trimmed, never empty. */
export function oscalProse(text: string, fallback: string): string {
  const s = text.trim();
  return s === '' ? fallback : s;
}

const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;

/** True when `s` is a valid OSCAL token (an NCName). */
export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

/** `s` made into a token: other characters become `_`, and a leading character that can't start one is prefixed by `_`. */
export function toToken(s: string): string {
  if (isToken(s)) return s;
  const body = s.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^(\p{L}|_)/u.test(body) ? body : `_${body}`;
}

/** A Plimsoll property (namespaced), its value made a valid StringDatatype. */
export function prop(name: string, value: string, extra: { class?: string; remarks?: string } = {}): OscalPropJson {
  return { name, ns: PLIMSOLL_NS, value: oscalString(value), ...(extra.class !== undefined ? { class: extra.class } : {}), ...(extra.remarks !== undefined ? { remarks: extra.remarks } : {}) };
}

/**
 * `prop(name, value)` for the props of values built by the tens of thousands and dropped at once (the observations
 * of a streamed results document). A function of its own on purpose: V8 allocates the later objects of an object
 * literal directly in the old generation once most objects from that literal outlived a young collection
 * (allocation-site pretenuring). The props of findings, plans and inventory items live as long as their document;
 * sharing their literal made every observation's props old-generation garbage that only a full collection frees.
 */
export function transientProp(name: string, value: string): OscalPropJson {
  return { name, ns: PLIMSOLL_NS, value: oscalString(value) };
}

/** The array, or undefined when empty (OSCAL arrays have minItems 1). */
export function nonEmpty<T>(items: readonly T[]): T[] | undefined {
  return items.length > 0 ? [...items] : undefined;
}
