/**
 * XCCDF 1.1 (DISA STIGs, SRGs, SCAP benchmarks) and 1.2 Benchmarks → BenchmarkDocument.
 * Benchmark → Group (nested to any depth) → Rule; Profiles select groups or rules.
 */
import type { BenchmarkDocument, BenchmarkProfile, BenchmarkRule } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, childText, describeElement, elements, textContent } from '../safe-xml.js';
import { parseReleaseInfo } from './release-info.js';
import { mapRule } from './rule.js';

function invalid(file: string, el: XmlElement, message: string): PlimsollError {
  const text = `${describeElement(el)}: ${message}`;
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${el.line}:${el.column}: ${text}`, [{ file, line: el.line, column: el.column, message: text }]);
}

function requiredId(file: string, el: XmlElement): string {
  const id = el.attrs.id?.trim();
  if (!id) throw invalid(file, el, `<${el.local}> has no id attribute`);
  return id;
}

/** Rules in document order plus, per group id, the rule ids below it (for profile selection). */
interface Collected {
  rules: BenchmarkRule[];
  rulesByItem: Map<string, string[]>;
  /** Rules selected by default: their own `selected` and every enclosing group's is not "false". */
  defaultSelected: Set<string>;
}

function collect(file: string, container: XmlElement, groupId: string, selected: boolean, out: Collected): string[] {
  const below: string[] = [];
  for (const child of container.children) {
    if (child.type !== 'element') continue;
    if (child.local === 'Group') {
      const id = requiredId(file, child);
      if (out.rulesByItem.has(id)) throw invalid(file, child, `duplicate item id "${id}"`);
      out.rulesByItem.set(id, []);
      const ids = collect(file, child, id, selected && child.attrs.selected !== 'false', out);
      out.rulesByItem.set(id, ids);
      below.push(...ids);
    } else if (child.local === 'Rule') {
      const id = requiredId(file, child);
      if (out.rulesByItem.has(id)) throw invalid(file, child, `duplicate item id "${id}"`);
      out.rulesByItem.set(id, [id]);
      out.rules.push(mapRule(child, groupId, id));
      if (selected && child.attrs.selected !== 'false') out.defaultSelected.add(id);
      below.push(id);
    }
  }
  return below;
}

/** A profile's rules: the default selection changed by its `<select idref selected>` in order. */
function mapProfile(file: string, profile: XmlElement, c: Collected): BenchmarkProfile {
  const id = requiredId(file, profile);
  const chosen = new Set(c.defaultSelected);
  for (const sel of elements(profile, 'select')) {
    const idref = sel.attrs.idref ?? '';
    const ruleIds = c.rulesByItem.get(idref);
    if (ruleIds === undefined) throw invalid(file, sel, `profile "${id}" selects "${idref}", which is no group or rule of the benchmark`);
    const on = sel.attrs.selected !== 'false' && sel.attrs.selected !== '0';
    for (const r of ruleIds) {
      if (on) chosen.add(r);
      else chosen.delete(r);
    }
  }
  return {
    id,
    title: childText(profile, 'title')?.trim() ?? id,
    selectedRuleIds: c.rules.map((r) => r.ruleId).filter((r) => chosen.has(r)),
  };
}

/** Parses an XCCDF Benchmark element (from fingerprint/parseXml); throws CONTENT_INVALID naming the element. */
export function parseBenchmark(root: XmlElement, file: string, xccdfVersion: '1.1' | '1.2'): BenchmarkDocument {
  if (root.local !== 'Benchmark') throw invalid(file, root, 'expected an XCCDF <Benchmark> document element');
  const benchmarkId = requiredId(file, root);
  const collected: Collected = { rules: [], rulesByItem: new Map(), defaultSelected: new Set() };
  collect(file, root, '', true, collected);
  if (collected.rules.length === 0) throw invalid(file, root, 'the benchmark holds no <Rule>');
  const releaseInfo = elements(root, 'plain-text').find((p) => p.attrs.id === 'release-info');
  const { release, releaseDate } = releaseInfo ? parseReleaseInfo(textContent(releaseInfo)) : {};
  const status = childText(root, 'status')?.trim();
  return {
    kind: 'benchmark',
    benchmarkId,
    title: childText(root, 'title')?.trim() || benchmarkId,
    version: childText(root, 'version')?.trim() ?? '',
    ...(release !== undefined ? { release } : {}),
    ...(releaseDate !== undefined ? { releaseDate } : {}),
    ...(status ? { status } : {}),
    xccdfVersion,
    profiles: elements(root, 'Profile').map((p) => mapProfile(file, p, collected)),
    rules: collected.rules,
  };
}

/** Counts reported by an import: rules, groups holding rules, profiles. */
export function benchmarkCounts(doc: BenchmarkDocument): Record<string, number> {
  const groups = new Set(doc.rules.map((r) => r.groupId).filter((g) => g !== ''));
  return { rules: doc.rules.length, groups: groups.size, profiles: doc.profiles.length };
}
