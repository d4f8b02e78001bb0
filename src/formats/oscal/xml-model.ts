/**
 * The XML layout of the OSCAL models, from NIST's metaschema (OSCAL 1.0–1.1.2): for each definition, its
 * flags (XML attributes, JSON scalar properties) and its model (XML child elements in order, JSON properties
 * with their group-as names). One table serves reading and writing, so the two cannot disagree. Written as
 * one line per definition:
 *
 *   'flag flag:int … | child child …'
 *
 * A child is `json[=xml][/item][*]:type`: `*` a list (JSON array, repeated XML element `xml`), `/item` a list
 * grouped under a wrapper element (`revisions/revision*`), `type` a definition name below or a scalar type:
 * `str` (text as written), `line` (markup-line), `multi` (markup-multiline in a wrapper element), `~multi`
 * (markup-multiline whose blocks sit directly in the parent, e.g. a part's prose), `bool`, `int`, `num`,
 * `empty` (an element with no content, `{}` in JSON). A definition whose model is `#key:type` is a field with
 * flags: its element text is the JSON property `key`.
 */
import { ASSESSMENT_TABLE } from './xml-model-assessment.js';

/** Scalar content types. */
export type ScalarType = 'str' | 'line' | 'multi' | '~multi' | 'bool' | 'int' | 'num' | 'empty';

export interface ChildRule {
  /** JSON property name (the group-as name for lists). */
  json: string;
  /** XML element name (the use-name of each item). */
  xml: string;
  /** XML wrapper element of a grouped list. */
  wrapper?: string;
  many: boolean;
  /** A definition name, or a scalar type. */
  type: string;
}

export interface FlagRule {
  name: string;
  type: 'str' | 'int' | 'num' | 'bool';
}

export interface Definition {
  name: string;
  flags: FlagRule[];
  children: ChildRule[];
  /** For fields with flags: the JSON key and type of the element's own text. */
  value?: { key: string; type: ScalarType };
}

const SCALARS = new Set(['str', 'line', 'multi', '~multi', 'bool', 'int', 'num', 'empty']);

const TABLE: Record<string, string> = {
  // metadata and back matter (oscal_metadata)
  metadata: '| title:line published:str last-modified:str version:str oscal-version:str revisions=revision/revisions*:revision document-ids=document-id*:document-id props=prop*:property links=link*:link roles=role*:role locations=location*:location parties=party*:party responsible-parties=responsible-party*:responsible-party actions=action*:action remarks:multi',
  revision: '| title:line published:str last-modified:str version:str oscal-version:str props=prop*:property links=link*:link remarks:multi',
  'document-id': 'scheme | #identifier:str',
  property: 'name uuid ns value class group | remarks:multi',
  link: 'href rel media-type resource-fragment | text:line',
  role: 'id | title:line short-name:str description:multi props=prop*:property links=link*:link remarks:multi',
  location: 'uuid | title:line address:address email-addresses=email-address*:str telephone-numbers=telephone-number*:telephone-number urls=url*:str props=prop*:property links=link*:link remarks:multi',
  address: 'type | addr-lines=addr-line*:str city:str state:str postal-code:str country:str',
  'telephone-number': 'type | #number:str',
  party: 'uuid type | name:str short-name:str external-ids=external-id*:external-id props=prop*:property links=link*:link email-addresses=email-address*:str telephone-numbers=telephone-number*:telephone-number addresses=address*:address location-uuids=location-uuid*:str member-of-organizations=member-of-organization*:str remarks:multi',
  'external-id': 'scheme | #id:str',
  'responsible-party': 'role-id | party-uuids=party-uuid*:str props=prop*:property links=link*:link remarks:multi',
  'responsible-role': 'role-id | props=prop*:property links=link*:link party-uuids=party-uuid*:str remarks:multi',
  action: 'uuid date type system | props=prop*:property links=link*:link responsible-parties=responsible-party*:responsible-party remarks:multi',
  'back-matter': '| resources=resource*:resource',
  resource: 'uuid | title:line description:multi props=prop*:property document-ids=document-id*:document-id citation:citation rlinks=rlink*:rlink base64:base64 remarks:multi',
  citation: '| text:line props=prop*:property links=link*:link',
  rlink: 'href media-type | hashes=hash*:hash',
  hash: 'algorithm | #value:str',
  base64: 'filename media-type | #value:str',

  // control-common
  part: 'id name ns class | title:line props=prop*:property prose:~multi parts=part*:part links=link*:link',
  parameter: 'id class depends-on | props=prop*:property links=link*:link label:line usage:multi constraints=constraint*:constraint guidelines=guideline*:guideline values=value*:str select:select remarks:multi',
  constraint: '| description:multi tests=test*:constraint-test',
  'constraint-test': '| expression:str remarks:multi',
  guideline: '| prose:~multi',
  select: 'how-many | choice=choice*:line',

  // catalog
  catalog: 'uuid | metadata:metadata params=param*:parameter controls=control*:control groups=group*:group back-matter:back-matter',
  group: 'id class | title:line params=param*:parameter props=prop*:property links=link*:link parts=part*:part groups=group*:group controls=control*:control',
  control: 'id class | title:line params=param*:parameter props=prop*:property links=link*:link parts=part*:part controls=control*:control',

  // profile
  profile: 'uuid | metadata:metadata imports=import*:import merge:merge modify:modify back-matter:back-matter',
  import: 'href | include-all:empty include-controls=include-controls*:select-control exclude-controls=exclude-controls*:select-control',
  'select-control': 'with-child-controls | with-ids=with-id*:str matching=matching*:matching',
  matching: 'pattern |',
  merge: '| combine:combine flat:empty as-is:bool custom:custom',
  combine: 'method |',
  custom: '| groups=group*:profile-group insert-controls=insert-controls*:insert-controls',
  'profile-group': 'id class | title:line params=param*:parameter props=prop*:property links=link*:link parts=part*:part groups=group*:profile-group insert-controls=insert-controls*:insert-controls',
  'insert-controls': 'order | include-all:empty include-controls=include-controls*:select-control exclude-controls=exclude-controls*:select-control',
  modify: '| set-parameters=set-parameter*:profile-set-parameter alters=alter*:alter',
  'profile-set-parameter': 'param-id class depends-on | props=prop*:property links=link*:link label:line usage:multi constraints=constraint*:constraint guidelines=guideline*:guideline values=value*:str select:select',
  alter: 'control-id | removes=remove*:remove adds=add*:add',
  remove: 'by-name by-class by-id by-item-name by-ns |',
  add: 'position by-id | title:line params=param*:parameter props=prop*:property links=link*:link parts=part*:part',
};

function parseChild(token: string, def: string): ChildRule {
  const m = /^([a-z0-9-]+)(?:=([a-z0-9-]+))?(?:\/([a-z0-9-]+))?(\*)?:(~?[a-z0-9-]+)$/.exec(token);
  if (!m) throw new Error(`xml-model: bad child "${token}" in ${def}`);
  const [, json, xml, wrapper, many, type] = m;
  // `json=item/wrapper*` reads: JSON property json, items <item> inside <wrapper>.
  return { json: json!, xml: xml ?? json!, ...(wrapper !== undefined ? { wrapper } : {}), many: many === '*', type: type! };
}

function parseDefinition(name: string, spec: string): Definition {
  const [flagPart, childPart = ''] = spec.split('|').map((s) => s.trim());
  const flags = (flagPart ?? '').split(/\s+/).filter(Boolean).map((f): FlagRule => {
    const [flag, type = 'str'] = f.split(':');
    return { name: flag!, type: type as FlagRule['type'] };
  });
  const tokens = childPart.split(/\s+/).filter(Boolean);
  const valueToken = tokens.find((t) => t.startsWith('#'));
  if (valueToken) {
    const [key, type] = valueToken.slice(1).split(':');
    return { name, flags, children: [], value: { key: key!, type: type as ScalarType } };
  }
  return { name, flags, children: tokens.map((t) => parseChild(t, name)) };
}

/** Every definition by name. */
export const DEFINITIONS: ReadonlyMap<string, Definition> = new Map(Object.entries({ ...TABLE, ...ASSESSMENT_TABLE }).map(([name, spec]) => [name, parseDefinition(name, spec)]));

/** The OSCAL document models this table knows, by root element / JSON root property. */
export const ROOT_MODELS: Readonly<Record<string, string>> = {
  catalog: 'catalog',
  profile: 'profile',
  'assessment-plan': 'assessment-plan',
  'assessment-results': 'assessment-results',
  'plan-of-action-and-milestones': 'plan-of-action-and-milestones',
};

export function isScalar(type: string): type is ScalarType {
  return SCALARS.has(type);
}

/** The definition of a name; a missing one is a bug in the table, caught by the tests over every model. */
export function definition(name: string): Definition {
  const d = DEFINITIONS.get(name);
  if (!d) throw new Error(`xml-model: no definition "${name}"`);
  return d;
}
