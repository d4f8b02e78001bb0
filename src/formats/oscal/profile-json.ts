/**
 * OSCAL profile JSON → ProfileDocument. The document is validated against NIST's OSCAL JSON Schema
 * first (the caller names the schema file); every directive keeps the JSON pointer it came from, so
 * resolution errors can name the place. `parseBackMatterJson` also serves catalogs, whose back matter
 * the catalog model leaves out but a resolved baseline needs.
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type {
  AlterAdd, AlterRemove, CombineMethod, ControlSelector, CustomGroup, InsertControls, MergeStructure, ProfileDocument, ProfileImport, ProfileMerge, ProfileMetadata, ProfileModify, SetParameter, SourceLocation,
} from '../../domain/profile.js';
import {
  backMatterFromJson, constraintsFromJson, guidelinesFromJson, linksFromJson as linksJson, paramFromJson as paramJson, partFromJson as partJson,
  propsFromJson as propsJson, selectFromJson as selectJson,
} from './model-map.js';
import { createOscalValidator } from './schema-validator.js';

export interface ProfileJsonOptions {
  /** Path of the OSCAL complete JSON Schema (e.g. oscal_complete_schema-1.1.2.json). */
  oscalSchemaPath: string;
}

type Json = Record<string, unknown>;

const str = (o: Json, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const arr = (o: Json, key: string): Json[] => (Array.isArray(o[key]) ? (o[key] as Json[]) : []);
const strings = (o: Json, key: string): string[] => (Array.isArray(o[key]) ? (o[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
const obj = (o: Json, key: string): Json | undefined => (o[key] !== null && typeof o[key] === 'object' && !Array.isArray(o[key]) ? (o[key] as Json) : undefined);
const at = (pointer: string): SourceLocation => ({ pointer });

/** Copies the string fields `keys` of `o` that are present onto `into`. */
function copy<T extends object>(into: T, o: Json, keys: Record<string, keyof T>): T {
  for (const [from, to] of Object.entries(keys)) {
    const v = str(o, from);
    if (v !== undefined) (into as Record<keyof T, unknown>)[to] = v;
  }
  return into;
}

function listOf<T>(o: Json, key: string, map: (x: Json) => T): T[] | undefined {
  const out = arr(o, key).map(map);
  return out.length > 0 ? out : undefined;
}

function selectorsJson(o: Json, key: string, base: string): ControlSelector[] {
  return arr(o, key).map((s, i) => {
    const sel: ControlSelector = { withIds: strings(s, 'with-ids'), matching: arr(s, 'matching').map((m) => str(m, 'pattern') ?? ''), at: at(`${base}/${key}/${i}`) };
    const wcc = str(s, 'with-child-controls');
    if (wcc === 'yes' || wcc === 'no') sel.withChildControls = wcc;
    return sel;
  });
}

function importJson(o: Json, pointer: string): ProfileImport {
  return {
    href: str(o, 'href') ?? '',
    includeAll: obj(o, 'include-all') !== undefined,
    includeControls: selectorsJson(o, 'include-controls', pointer),
    excludeControls: selectorsJson(o, 'exclude-controls', pointer),
    at: at(pointer),
  };
}

function insertControlsJson(o: Json, pointer: string): InsertControls {
  const ic: InsertControls = {
    includeAll: obj(o, 'include-all') !== undefined,
    includeControls: selectorsJson(o, 'include-controls', pointer),
    excludeControls: selectorsJson(o, 'exclude-controls', pointer),
    at: at(pointer),
  };
  const order = str(o, 'order');
  if (order === 'keep' || order === 'ascending' || order === 'descending') ic.order = order;
  return ic;
}

function customGroupJson(o: Json, pointer: string): CustomGroup {
  const g: CustomGroup = {
    title: str(o, 'title') ?? '',
    groups: arr(o, 'groups').map((x, i) => customGroupJson(x, `${pointer}/groups/${i}`)),
    insertControls: arr(o, 'insert-controls').map((x, i) => insertControlsJson(x, `${pointer}/insert-controls/${i}`)),
    at: at(pointer),
  };
  copy(g, o, { id: 'id', class: 'class' });
  const params = listOf(o, 'params', paramJson);
  if (params) g.params = params;
  const props = propsJson(o);
  if (props) g.props = props;
  const links = linksJson(o);
  if (links) g.links = links;
  const parts = listOf(o, 'parts', partJson);
  if (parts) g.parts = parts;
  return g;
}

function invalid(file: string, pointer: string, message: string): PlimsollError {
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}#${pointer}: ${message}`, [{ file, pointer, message }]);
}

function mergeJson(o: Json, pointer: string, file: string): ProfileMerge {
  const directives: MergeStructure[] = [];
  if (obj(o, 'flat') !== undefined) directives.push({ kind: 'flat' });
  if (o['as-is'] === true) directives.push({ kind: 'as-is' });
  const custom = obj(o, 'custom');
  if (custom !== undefined) {
    directives.push({
      kind: 'custom',
      groups: arr(custom, 'groups').map((g, i) => customGroupJson(g, `${pointer}/custom/groups/${i}`)),
      insertControls: arr(custom, 'insert-controls').map((x, i) => insertControlsJson(x, `${pointer}/custom/insert-controls/${i}`)),
    });
  }
  if (directives.length > 1) throw invalid(file, pointer, `the merge has ${directives.length} structuring directives (${directives.map((d) => d.kind).join(', ')}); give at most one of flat, as-is, custom`);
  const merge: ProfileMerge = { structure: directives[0] ?? { kind: 'flat' }, at: at(pointer) };
  const method = str(obj(o, 'combine') ?? {}, 'method');
  if (method === 'use-first' || method === 'merge' || method === 'keep') merge.combine = method as CombineMethod;
  return merge;
}


function setParameterJson(o: Json, pointer: string): SetParameter {
  const s = copy<SetParameter>({ paramId: str(o, 'param-id') ?? '', at: at(pointer) }, o, { class: 'class', label: 'label', usage: 'usage' });
  const values = strings(o, 'values');
  if (values.length > 0) s.values = values;
  const select = selectJson(o);
  if (select) s.select = select;
  const props = propsJson(o);
  if (props) s.props = props;
  const links = linksJson(o);
  if (links) s.links = links;
  const constraints = constraintsFromJson(o);
  if (constraints) s.constraints = constraints;
  const guidelines = guidelinesFromJson(o);
  if (guidelines) s.guidelines = guidelines;
  return s;
}

function addJson(o: Json, pointer: string): AlterAdd {
  const add = copy<AlterAdd>({ at: at(pointer) }, o, { 'by-id': 'byId', title: 'title' });
  const position = str(o, 'position');
  if (position === 'before' || position === 'after' || position === 'starting' || position === 'ending') add.position = position;
  const params = listOf(o, 'params', paramJson);
  if (params) add.params = params;
  const props = propsJson(o);
  if (props) add.props = props;
  const links = linksJson(o);
  if (links) add.links = links;
  const parts = listOf(o, 'parts', partJson);
  if (parts) add.parts = parts;
  return add;
}

function modifyJson(o: Json, pointer: string): ProfileModify {
  return {
    setParameters: arr(o, 'set-parameters').map((s, i) => setParameterJson(s, `${pointer}/set-parameters/${i}`)),
    alters: arr(o, 'alters').map((a, i) => ({
      controlId: str(a, 'control-id') ?? '',
      removes: arr(a, 'removes').map((r, j) =>
        copy<AlterRemove>({ at: at(`${pointer}/alters/${i}/removes/${j}`) }, r, { 'by-name': 'byName', 'by-class': 'byClass', 'by-id': 'byId', 'by-item-name': 'byItemName', 'by-ns': 'byNs' }),
      ),
      adds: arr(a, 'adds').map((x, j) => addJson(x, `${pointer}/alters/${i}/adds/${j}`)),
      at: at(`${pointer}/alters/${i}`),
    })),
  };
}

/** The back-matter resources of a JSON catalog or profile root object (`{ "back-matter": { "resources": […] } }`). */
export const parseBackMatterJson = backMatterFromJson;

/** Maps a `{ "profile": … }` value already known to be schema-valid (used by the JSON and YAML paths). */
export function mapProfileJson(json: unknown, file: string): ProfileDocument {
  const profile = obj((json ?? {}) as Json, 'profile');
  if (profile === undefined) throw invalid(file, '/profile', 'not an OSCAL profile (no "profile" object)');
  const metadata = obj(profile, 'metadata') ?? {};
  const doc: ProfileDocument = {
    kind: 'profile',
    uuid: str(profile, 'uuid') ?? '',
    file,
    metadata: copy<ProfileMetadata>(
      { raw: structuredClone(metadata), title: str(metadata, 'title') ?? '', version: str(metadata, 'version') ?? '', oscalVersion: str(metadata, 'oscal-version') ?? '' },
      metadata,
      { 'last-modified': 'lastModified', published: 'published' },
    ),
    imports: arr(profile, 'imports').map((imp, i) => importJson(imp, `/profile/imports/${i}`)),
    backMatter: parseBackMatterJson(profile, '/profile'),
    json: { profile: structuredClone(profile) },
  };
  const props = propsJson(metadata);
  if (props) doc.metadata.props = props;
  const links = linksJson(metadata);
  if (links) doc.metadata.links = links;
  const merge = obj(profile, 'merge');
  if (merge !== undefined) doc.merge = mergeJson(merge, '/profile/merge', file);
  const modify = obj(profile, 'modify');
  if (modify !== undefined) doc.modify = modifyJson(modify, '/profile/modify');
  return doc;
}

/** Validates a `{ "profile": … }` document against the OSCAL schema (SCHEMA_INVALID) and maps it. */
export function parseProfileJson(json: unknown, file: string, opts: ProfileJsonOptions): ProfileDocument {
  createOscalValidator(opts.oscalSchemaPath).assertValid(json, file);
  return mapProfileJson(json, file);
}
