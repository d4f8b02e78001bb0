/**
 * The content library's domain model: OSCAL catalogs (groups, controls, parameters, parts),
 * XCCDF benchmarks (rules, profiles) and the DISA CCI list. Parsers of every format produce these.
 */

export type DocumentKind = 'catalog' | 'profile' | 'benchmark' | 'cci-list';

/** An OSCAL property (name/value pair with optional namespace and class). */
export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface OscalLink {
  href: string;
  rel?: string;
  text?: string;
}

/** An OSCAL parameter: label, guidelines, values or a selection of choices. */
export interface OscalParam {
  id: string;
  label?: string;
  class?: string;
  props?: OscalProp[];
  guidelines?: string[];
  values?: string[];
  select?: { howMany?: string; choice: string[] };
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
}

export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
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
}

export interface BenchmarkProfile {
  id: string;
  title: string;
  selectedRuleIds: string[];
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
  xccdfVersion: '1.1' | '1.2';
  profiles: BenchmarkProfile[];
  rules: BenchmarkRule[];
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
