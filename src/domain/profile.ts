/**
 * The OSCAL profile model (import → merge → modify) and the resolved catalog (a baseline) it produces.
 * Parsers of profile JSON, XML and YAML produce `ProfileDocument`; profile resolution produces
 * `ResolvedCatalog`, which is a `CatalogDocument` plus the resolution metadata and back matter.
 */
import type { BackMatterResource, CatalogDocument, OscalLink, OscalParam, OscalPart, OscalProp, ParamConstraint } from './content.js';

export type { BackMatterResource, ParamConstraint };
import type { Problem } from './errors.js';

/** Where a directive sits in its source document: a JSON pointer (in the JSON model's shape) and, from XML/YAML, a line. */
export interface SourceLocation {
  /** JSON pointer in the JSON model, e.g. `/profile/imports/0` (also given for XML sources). */
  pointer: string;
  line?: number;
  column?: number;
}

/** `with-child-controls`: whether the direct child controls of a selected control come with it. */
export type WithChildControls = 'yes' | 'no';

/** One `include-controls` / `exclude-controls` entry: control ids and glob patterns over ids. */
export interface ControlSelector {
  withChildControls?: WithChildControls;
  withIds: string[];
  /** Glob patterns (`ac-*`, `ac-2.?`) matched against the whole control id. */
  matching: string[];
  at: SourceLocation;
}

/** One `import`: a source (catalog or profile) and the controls selected from it. */
export interface ProfileImport {
  /** Relative or absolute URI, or `#uuid` of a back-matter resource. */
  href: string;
  /** `include-all` was given (an import with no include is treated the same way). */
  includeAll: boolean;
  includeControls: ControlSelector[];
  excludeControls: ControlSelector[];
  at: SourceLocation;
}

export type CombineMethod = 'use-first' | 'merge' | 'keep';

/** `insert-controls` inside a custom group: which selected controls go here, in what order. */
export interface InsertControls {
  order?: 'keep' | 'ascending' | 'descending';
  includeAll: boolean;
  includeControls: ControlSelector[];
  excludeControls: ControlSelector[];
  at: SourceLocation;
}

/** A group of a `merge/custom` structure. */
export interface CustomGroup {
  id?: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  groups: CustomGroup[];
  insertControls: InsertControls[];
  at: SourceLocation;
}

/** How the resolved catalog is structured: flat (the default), as the sources are, or custom groups. */
export type MergeStructure =
  | { kind: 'flat' }
  | { kind: 'as-is' }
  | { kind: 'custom'; groups: CustomGroup[]; insertControls: InsertControls[] };

export interface ProfileMerge {
  /** Absent means `keep` (the spec's default). */
  combine?: CombineMethod;
  structure: MergeStructure;
  at: SourceLocation;
}

/** A catalog parameter (set-parameters may add usage, links and constraints). */
export type ResolvedParam = OscalParam;

/** One `set-parameters` entry: replaces label/values/select, adds props, links, constraints, guidelines. */
export interface SetParameter {
  paramId: string;
  class?: string;
  label?: string;
  usage?: string;
  values?: string[];
  select?: { howMany?: string; choice: string[] };
  props?: OscalProp[];
  links?: OscalLink[];
  constraints?: ParamConstraint[];
  guidelines?: string[];
  at: SourceLocation;
}

export type AddPosition = 'before' | 'after' | 'starting' | 'ending';

/** An `alter/adds` entry; without `byId` it applies to the control itself. */
export interface AlterAdd {
  position?: AddPosition;
  byId?: string;
  title?: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  at: SourceLocation;
}

/** An `alter/removes` entry: every given criterion must match (`by-name`, `by-class`, `by-id`, `by-item-name`, `by-ns`). */
export interface AlterRemove {
  byName?: string;
  byClass?: string;
  byId?: string;
  /** `param`, `prop`, `link`, `part`, `mapping`, `map` (the JSON model's item names). */
  byItemName?: string;
  byNs?: string;
  at: SourceLocation;
}

export interface ProfileAlter {
  controlId: string;
  removes: AlterRemove[];
  adds: AlterAdd[];
  at: SourceLocation;
}

export interface ProfileModify {
  setParameters: SetParameter[];
  alters: ProfileAlter[];
}

export interface ResourceLink {
  href: string;
  mediaType?: string;
}

export interface ProfileMetadata {
  /** The whole metadata object as read. */
  raw?: Record<string, unknown>;
  title: string;
  version: string;
  oscalVersion: string;
  lastModified?: string;
  published?: string;
  props?: OscalProp[];
  links?: OscalLink[];
}

/** A parsed OSCAL profile, whatever format it came in. `file` is where it was read from (base of relative hrefs). */
export interface ProfileDocument {
  kind: 'profile';
  uuid: string;
  file: string;
  metadata: ProfileMetadata;
  imports: ProfileImport[];
  merge?: ProfileMerge;
  modify?: ProfileModify;
  backMatter: BackMatterResource[];
  /** The whole OSCAL JSON model as read (`{ "profile": … }`), kept by the library. */
  json?: Record<string, unknown>;
}

/** The catalog produced by resolving a profile: a baseline. */
export interface ResolvedCatalog extends CatalogDocument {
  /** Loose parameters at the catalog level (parameters outside controls that the result references). */
  params?: ResolvedParam[];
  /** Metadata props and links added by resolution (`resolution-timestamp`, `source-profile`…) plus the profile's own. */
  metadataProps: OscalProp[];
  metadataLinks: OscalLink[];
  /** Back-matter resources referenced (`#uuid`) from the result, or marked `keep: always`. */
  backMatter: BackMatterResource[];
  /** The profile that was resolved. */
  sourceProfile: { uuid: string; file: string };
  /**
   * Directives the spec calls inoperative (a with-id naming no control, a set-parameter for a parameter the
   * result lacks, an alter of an unselected control…): resolution goes on, and says so here.
   */
  warnings: Problem[];
}
