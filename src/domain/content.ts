/**
 * The content library's domain model: OSCAL catalogs (groups, controls, parameters, parts),
 * XCCDF benchmarks (rules, profiles) and the DISA CCI list. Parsers of every format produce these.
 */

export type DocumentKind = 'catalog' | 'profile' | 'benchmark' | 'cci-list';

/**
 * The OSCAL JSON properties of an object that its typed fields do not cover (a prop's remarks, a param's
 * `depends-on`, a resource's hashes…), kept as read so that nothing is lost between reading and writing.
 */
export type OscalExtra = Record<string, unknown>;

/** An OSCAL property (name/value pair with optional namespace and class). */
export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
  extra?: OscalExtra;
}

export interface OscalLink {
  href: string;
  rel?: string;
  text?: string;
  extra?: OscalExtra;
}

/** A parameter constraint (description and tests). */
export interface ParamConstraint {
  description?: string;
  tests?: { expression: string; remarks?: string }[];
}

/** An OSCAL parameter: label, guidelines, values or a selection of choices. */
export interface OscalParam {
  id: string;
  label?: string;
  class?: string;
  props?: OscalProp[];
  links?: OscalLink[];
  usage?: string;
  constraints?: ParamConstraint[];
  guidelines?: string[];
  values?: string[];
  select?: { howMany?: string; choice: string[] };
  extra?: OscalExtra;
}

/** An OSCAL part: statement, item, guidance, objective…; prose is markdown text. */
export interface OscalPart {
  id?: string;
  name: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: OscalProp[];
  prose?: string;
  parts?: OscalPart[];
  links?: OscalLink[];
  extra?: OscalExtra;
}

/** A control or control enhancement; enhancements are nested in `controls`. */
export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  controls?: OscalControl[];
  extra?: OscalExtra;
}

export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
  extra?: OscalExtra;
}

/** A back-matter resource; `extra` keeps document-ids, base64, remarks and rlink hashes. */
export interface BackMatterResource {
  uuid: string;
  title?: string;
  description?: string;
  props?: OscalProp[];
  citation?: { text: string; extra?: OscalExtra };
  rlinks?: { href: string; mediaType?: string; extra?: OscalExtra }[];
  extra?: OscalExtra;
  /** Where the resource sits in its source document (not part of the model). */
  at?: { pointer: string; line?: number; column?: number };
}

/** A parsed OSCAL catalog in the JSON model's shape, whatever format it came in. */
export interface CatalogDocument {
  kind: 'catalog';
  uuid: string;
  title: string;
  version: string;
  oscalVersion: string;
  lastModified?: string;
  groups: OscalGroup[];
  controls: OscalControl[];
  /** The whole metadata object as read (roles, parties, props, links, revisions…). */
  metadata?: OscalExtra;
  /** Catalog-level parameters. */
  params?: OscalParam[];
  backMatter?: BackMatterResource[];
}

/** An XCCDF ident: a CCE, a CCI or a legacy id, with its naming system. */
export interface BenchmarkIdent {
  system: string;
  value: string;
}

/** An XCCDF reference: its href and text (SSG names an SP 800-53 control as text "CM-6(a)" under the SP's PDF). */
export interface BenchmarkReference {
  href: string;
  text: string;
}

/** An SP 800-53 control or item a rule references, as written ("CM-6(a)", "AC-2(5)"), with the revision when known ("4", "5"). */
export interface Sp80053Reference {
  control: string;
  revision?: string;
}

/** One `<check>`: its system (OVAL, OCIL, …) and either inline content or references into check content. */
export interface BenchmarkCheck {
  system: string;
  selector?: string;
  /** Inline `<check-content>` text (DISA manual checks). */
  content?: string;
  contentRefs: { href: string; name?: string }[];
  /** `<check-export>`: XCCDF Values passed to the check system. */
  exports: { valueId: string; exportName: string }[];
}

/** One `<fix>` script or instruction: system (`urn:xccdf:fix:script:sh`, …ansible) and its content as text. */
export interface BenchmarkFix {
  system?: string;
  id?: string;
  /** The script with `<sub idref>` replaced by the Value's default (`{{value-id}}` when unknown). */
  content: string;
  complexity?: string;
  disruption?: string;
  reboot?: boolean;
  strategy?: string;
}

/** One XCCDF rule. For DISA STIGs `stigId` is the rule's `<version>` (DKER-EE-001960). */
export interface BenchmarkRule {
  groupId: string;
  ruleId: string;
  stigId: string;
  title: string;
  severity: 'high' | 'medium' | 'low' | 'unknown';
  weight?: number;
  discussion: string;
  checkContent: string;
  /** sha256 (hex) of the whitespace-normalised check content: reviews carry over while it is unchanged. */
  checkContentHash: string;
  fixText: string;
  ccis: string[];
  legacyIds: string[];
  /** Ids of the enclosing groups, outermost first (the last is `groupId`). */
  groupPath?: string[];
  /** The title of the rule's group (DISA: the SRG id, STIG Viewer's Group_Title). */
  groupTitle?: string;
  /** The rule's own default `selected` flag (XCCDF default true). */
  selected?: boolean;
  rationale?: string;
  idents?: BenchmarkIdent[];
  references?: BenchmarkReference[];
  /** SP 800-53 references extracted from `references`. */
  sp80053?: Sp80053Reference[];
  checks?: BenchmarkCheck[];
  fixes?: BenchmarkFix[];
  /** XCCDF Values the rule uses (check exports and `<sub>` in its texts). */
  valueIds?: string[];
  /** CPE platforms or platform ids the rule applies to. */
  platforms?: string[];
}

/** An XCCDF `<Value>`: values by selector ('' is the default, without a selector). */
export interface BenchmarkValue {
  id: string;
  title: string;
  description?: string;
  type: 'string' | 'number' | 'boolean';
  operator?: string;
  interactive?: boolean;
  values: { selector: string; value: string }[];
  /** The value without selector, when present. */
  defaultValue?: string;
  groupId: string;
}

/** An XCCDF group with its nested groups and the ids of its own rules and values, in document order. */
export interface BenchmarkGroup {
  id: string;
  title: string;
  description?: string;
  /** The group's own default `selected` flag. */
  selected: boolean;
  groups: BenchmarkGroup[];
  ruleIds: string[];
  valueIds: string[];
}

/** A profile's `<select>`: a rule or group switched on or off. */
export interface BenchmarkSelection {
  idref: string;
  selected: boolean;
}

/** A profile's `<refine-value>` and the value it resolves to (the Value's value for that selector). */
export interface BenchmarkRefineValue {
  valueId: string;
  selector?: string;
  operator?: string;
  value?: string;
}

export interface BenchmarkProfile {
  id: string;
  title: string;
  /** Rules processed under this profile: a rule and every enclosing group selected (XCCDF 1.2 §7.2.3). */
  selectedRuleIds: string[];
  description?: string;
  /** The profile this one extends (its selections and refinements apply first). */
  extends?: string;
  abstract?: boolean;
  /** The profile's own `<select>` elements in document order (inherited ones not repeated). */
  selections?: BenchmarkSelection[];
  /** Value refinements, inherited ones included, by value id in order. */
  refineValues?: BenchmarkRefineValue[];
}

/** Where a benchmark came from when it was a component of a SCAP source data stream. */
export interface DataStreamSource {
  collectionId: string;
  componentId: string;
  streamId?: string;
  componentRefId?: string;
  scapVersion?: string;
}

/** A parsed XCCDF benchmark (a STIG, an SRG, an SCAP benchmark). */
export interface BenchmarkDocument {
  kind: 'benchmark';
  benchmarkId: string;
  title: string;
  /** The benchmark `<version>` (DISA: the major version, "2"). */
  version: string;
  /** DISA release number from release-info ("2"), when present. */
  release?: string;
  /** Benchmark date from release-info, ISO yyyy-mm-dd, when present. */
  releaseDate?: string;
  status?: string;
  /** The `date` of the status, when given. */
  statusDate?: string;
  xccdfVersion: '1.1' | '1.2';
  profiles: BenchmarkProfile[];
  rules: BenchmarkRule[];
  /** The group tree (top-level groups). */
  groups?: BenchmarkGroup[];
  values?: BenchmarkValue[];
  /** Rules and values directly under the benchmark, outside any group. */
  topLevelRuleIds?: string[];
  dataStream?: DataStreamSource;
}

/** One reference of a CCI to an SP 800-53 revision, e.g. title "NIST SP 800-53 Revision 5", index "CM-6 b". */
export interface CciReference {
  title: string;
  version: string;
  index: string;
}

export interface CciItem {
  id: string;
  definition: string;
  type?: string;
  status?: string;
  references: CciReference[];
}

export interface CciListDocument {
  kind: 'cci-list';
  version: string;
  publishDate?: string;
  items: CciItem[];
}

export type ContentDocument = CatalogDocument | BenchmarkDocument | CciListDocument;

/** What an import reports per document: kind, id, title, version and counts. */
export interface ImportSummary {
  documentId: string;
  kind: DocumentKind;
  id: string;
  title: string;
  version: string;
  release?: string;
  file: string;
  sha256: string;
  counts: Record<string, number>;
  /** True when an identical document (same sha256) was already stored. */
  alreadyPresent: boolean;
}
