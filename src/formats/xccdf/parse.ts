/**
 * XCCDF 1.1 (DISA STIGs, SRGs, SCAP benchmarks) and 1.2 (ComplianceAsCode/SSG, DISA SCAP) Benchmarks →
 * BenchmarkDocument. Benchmark → Group (nested to any depth) → Rule, with Values anywhere in the tree;
 * Profiles select groups or rules and refine values (see profile.ts for the selection semantics).
 */
import type { BenchmarkDocument, BenchmarkGroup, BenchmarkRule, BenchmarkValue, DataStreamSource } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, childText, describeElement, elements, ownString, textContent } from '../safe-xml.js';
import type { EarlyRules } from './early-rules.js';
import { mapProfiles } from './profile.js';
import { parseReleaseInfo } from './release-info.js';
import { mapRule } from './rule.js';
import { plainText } from './text.js';
import { mapValue } from './value.js';

export const XCCDF_NAMESPACE: Record<'1.1' | '1.2', string> = {
  '1.1': 'http://checklists.nist.gov/xccdf/1.1',
  '1.2': 'http://checklists.nist.gov/xccdf/1.2',
};

function invalid(file: string, el: XmlElement, message: string): PlimsollError {
  const text = `${describeElement(el)}: ${message}`;
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${el.line}:${el.column}: ${text}`, [{ file, line: el.line, column: el.column, message: text }]);
}

function requiredId(file: string, el: XmlElement): string {
  const id = el.attrs.id?.trim();
  if (!id) throw invalid(file, el, `<${el.local}> has no id attribute`);
  return id;
}

const isSelected = (el: XmlElement): boolean => el.attrs.selected !== 'false' && el.attrs.selected !== '0';

/** Everything one walk of the item tree collects. */
interface Walk {
  file: string;
  ids: Set<string>;
  defaults: Map<string, boolean>;
  clusters: Map<string, string[]>;
  values: Map<string, BenchmarkValue>;
  /** Rule elements with their group path, mapped once all Values are known. */
  ruleEls: { el: XmlElement; id: string; groupPath: string[] }[];
}

function claim(w: Walk, el: XmlElement): string {
  // Ids key the maps below and the profiles' lookups: flat copies, not slices of the document.
  const id = ownString(requiredId(w.file, el));
  if (w.ids.has(id)) throw invalid(w.file, el, `duplicate item id "${id}"`);
  w.ids.add(id);
  const cluster = el.attrs['cluster-id'];
  if (cluster !== undefined) w.clusters.set(cluster, [...(w.clusters.get(cluster) ?? []), id]);
  return id;
}

/** Walks groups, rules and values below `container`; returns the groups directly below it. */
function walk(w: Walk, container: XmlElement, groupPath: string[], own: { ruleIds: string[]; valueIds: string[] }): BenchmarkGroup[] {
  const groups: BenchmarkGroup[] = [];
  for (const child of container.children) {
    if (child.type !== 'element') continue;
    if (child.local === 'Group') {
      const id = claim(w, child);
      w.defaults.set(id, isSelected(child));
      const group: BenchmarkGroup = { id, title: childText(child, 'title')?.trim() ?? '', selected: isSelected(child), groups: [], ruleIds: [], valueIds: [] };
      const description = elements(child, 'description')[0];
      if (description !== undefined) group.description = plainText(description);
      group.groups = walk(w, child, [...groupPath, id], group);
      groups.push(group);
    } else if (child.local === 'Rule') {
      const id = claim(w, child);
      w.defaults.set(id, isSelected(child));
      w.ruleEls.push({ el: child, id, groupPath });
      own.ruleIds.push(id);
    } else if (child.local === 'Value') {
      const id = claim(w, child);
      w.values.set(id, mapValue(child, id, groupPath[groupPath.length - 1] ?? ''));
      own.valueIds.push(id);
    }
  }
  return groups;
}

export interface ParseBenchmarkOptions {
  /** Set when the benchmark is a component of a SCAP source data stream. */
  dataStream?: DataStreamSource;
  /**
   * Whether rules get their `fixes` and `valueIds` (default true). False for a tree built without its `<fix>`
   * elements (an import: the library stores neither): the two fields are then left out rather than wrong.
   */
  fixes?: boolean;
  /** Rules mapped while the document was read (a data stream's `earlyRules`): taken as they are, not mapped again. */
  earlyRules?: Pick<EarlyRules, 'get'>;
}

/** Parses an XCCDF Benchmark element (from fingerprint/parseXml); throws CONTENT_INVALID naming the element. */
export function parseBenchmark(root: XmlElement, file: string, xccdfVersion: '1.1' | '1.2', opts: ParseBenchmarkOptions = {}): BenchmarkDocument {
  if (root.local !== 'Benchmark') throw invalid(file, root, 'expected an XCCDF <Benchmark> document element');
  if (root.ns !== XCCDF_NAMESPACE[xccdfVersion]) {
    throw invalid(file, root, `expected the XCCDF ${xccdfVersion} namespace ${XCCDF_NAMESPACE[xccdfVersion]}, found ${root.ns ? `namespace ${root.ns}` : 'no namespace'}`);
  }
  const benchmarkId = requiredId(file, root);
  const w: Walk = { file, ids: new Set(), defaults: new Map(), clusters: new Map(), values: new Map(), ruleEls: [] };
  const top = { ruleIds: [] as string[], valueIds: [] as string[] };
  const groups = walk(w, root, [], top);
  if (w.ruleEls.length === 0) throw invalid(file, root, 'the benchmark holds no <Rule>');
  const sub = (idref: string): string | undefined => w.values.get(idref)?.defaultValue;
  const groupTitles = new Map<string, string>();
  const collectTitles = (gs: readonly BenchmarkGroup[]): void => {
    for (const g of gs) {
      groupTitles.set(g.id, g.title);
      collectTitles(g.groups);
    }
  };
  collectTitles(groups);
  // DISA names a rule's group by its SRG id: STIG Viewer shows it as Group_Title (given to the rule, not a copy of it).
  const rules: BenchmarkRule[] = w.ruleEls.map((r) => {
    const groupTitle = groupTitles.get(r.groupPath[r.groupPath.length - 1] ?? '');
    const ctx = { ruleId: r.id, groupPath: r.groupPath, sub, ...(opts.fixes === false ? { fixes: false } : {}), ...(groupTitle !== undefined ? { groupTitle } : {}) };
    return mapRule(r.el, ctx, opts.earlyRules?.get(r.el));
  });
  const releaseInfo = elements(root, 'plain-text').find((p) => p.attrs.id === 'release-info');
  const { release, releaseDate } = releaseInfo ? parseReleaseInfo(textContent(releaseInfo)) : {};
  const statusEl = elements(root, 'status')[0];
  const status = statusEl ? textContent(statusEl).trim() : undefined;
  const profiles = mapProfiles(elements(root, 'Profile'), { defaults: w.defaults, clusters: w.clusters, rules, values: w.values }, file);
  return {
    kind: 'benchmark',
    benchmarkId,
    title: childText(root, 'title')?.trim() || benchmarkId,
    version: childText(root, 'version')?.trim() ?? '',
    ...(release !== undefined ? { release } : {}),
    ...(releaseDate !== undefined ? { releaseDate } : {}),
    ...(status ? { status } : {}),
    ...(statusEl?.attrs.date ? { statusDate: statusEl.attrs.date } : {}),
    xccdfVersion,
    profiles,
    rules,
    groups,
    values: [...w.values.values()],
    topLevelRuleIds: top.ruleIds,
    ...(opts.dataStream ? { dataStream: opts.dataStream } : {}),
  };
}

/** Counts reported by an import: rules, groups holding rules, profiles (and values when there are any). */
export function benchmarkCounts(doc: BenchmarkDocument): Record<string, number> {
  const groups = new Set(doc.rules.map((r) => r.groupId).filter((g) => g !== ''));
  const counts: Record<string, number> = { rules: doc.rules.length, groups: groups.size, profiles: doc.profiles.length };
  if (doc.values !== undefined && doc.values.length > 0) counts.values = doc.values.length;
  return counts;
}
