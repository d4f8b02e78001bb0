/**
 * Domain shapes of the library's derived views: resolved baselines (stored profiles), benchmark release
 * diffs, CCI reverse queries (which rules evidence a control, how much of a baseline is covered) and
 * cursor-paginated search results.
 */
import type { Problem } from './errors.js';
import type { BenchmarkRule } from './content.js';

/** A stored baseline: an imported OSCAL profile and the catalog its resolution produced. */
export interface Baseline {
  /** The document id of the stored profile (its resolved controls are stored under it). */
  documentId: string;
  profileUuid: string;
  title: string;
  version: string;
  oscalVersion: string;
  sourceFile: string;
  sha256: string;
  /** uuid of the resolved catalog. */
  catalogUuid: string;
  resolvedAt: string;
  /** Controls and enhancements the baseline selects. */
  controlCount: number;
  /** Where each import was loaded from: a file, or a stored catalog (`library:<documentId>`). */
  sources: string[];
  /** Inoperative directives reported by resolution. */
  warnings: Problem[];
  importedAt: string;
  importedBy: string;
}

/** A rule as a diff shows it. */
export type DiffRule = Pick<BenchmarkRule, 'stigId' | 'ruleId' | 'groupId' | 'title' | 'severity' | 'checkContentHash'>;

/** What differs between two releases of one rule (same STIG id). */
export type RuleChangeKind = 'check-content' | 'title' | 'severity' | 'fix-text' | 'ccis';

export interface ChangedRule {
  stigId: string;
  old: DiffRule;
  new: DiffRule;
  /** Every kind of change, in the order of RuleChangeKind. */
  changes: RuleChangeKind[];
  /** False when the check content changed: reviews and attestations keyed by (STIG id, hash) do not carry over. */
  carriesOver: boolean;
}

/** One side of a diff: where the benchmark came from. */
export interface DiffSide {
  /** The stored document id, or the name of the uploaded content when the side was not stored. */
  ref: string;
  benchmarkId: string;
  title: string;
  version: string;
  release?: string;
  releaseDate?: string;
  ruleCount: number;
}

/** Added, removed and changed rules between two benchmark releases, keyed by STIG id. */
export interface BenchmarkDiff {
  old: DiffSide;
  new: DiffSide;
  added: DiffRule[];
  removed: DiffRule[];
  changed: ChangedRule[];
  /** Rules present in both with nothing changed. */
  unchangedCount: number;
  /** Rules present in both whose check content hash is the same (reviews carry over). */
  carriedOverCount: number;
}

/** One rule that evidences a control through its CCIs. */
export interface RuleEvidence {
  benchmarkDocumentId: string;
  benchmarkId: string;
  benchmarkRelease?: string;
  rule: BenchmarkRule;
  /** The rule's CCIs that map to the control. */
  ccis: string[];
  /** The statements (`cm-6_smt.b`) or whole controls those CCIs name. */
  statementIds: string[];
  /** A check decides the rule from collected facts; otherwise it is manual (attestation). */
  automated: boolean;
}

/** Coverage of one control of a baseline. */
export interface ControlCoverage {
  controlId: string;
  title: string;
  automatedRules: number;
  manualRules: number;
}

/** How much of a baseline the loaded benchmarks evidence. */
export interface BaselineCoverage {
  baselineDocumentId: string;
  /** The benchmarks counted (document ids). */
  benchmarkDocumentIds: string[];
  totalControls: number;
  /** Controls with at least one rule. */
  coveredControls: number;
  /** Controls with at least one automated rule. */
  automatedControls: number;
  /** Controls covered by manual rules only. */
  manualOnlyControls: number;
  uncoveredControls: number;
  /** Distinct rules evidencing any control of the baseline, and how many of them are automated. */
  ruleCount: number;
  automatedRuleCount: number;
  controls: ControlCoverage[];
}

export type { Connection } from './paging.js';

/** A forward page of a search (relevance order can't be walked backward). */
export interface CursorPage {
  /** At most this many edges (default DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE). */
  first?: number;
  /** The cursor of the last edge already seen. */
  after?: string;
}

export interface ControlSearch {
  /** Full-text query over control ids, titles and prose; empty or absent lists everything in document order. */
  query?: string;
  /** Top-level group id (family), e.g. `ac`. */
  family?: string;
  /** Search the controls of this baseline (document id or profile uuid) instead of the catalogs. */
  baseline?: string;
  /** Restrict to one catalog document. */
  catalog?: string;
}

export interface RuleSearch {
  query?: string;
  severity?: string;
  /** Benchmark document id, or XCCDF benchmark id (every stored release). */
  benchmark?: string;
}
