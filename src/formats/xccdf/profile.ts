/**
 * XCCDF profiles: `<select>` switches rules and groups on or off over their defaults, `<refine-value>`
 * picks a Value's selector, `extends` inherits another profile's choices first. A rule is processed when it
 * and every enclosing group are selected (XCCDF 1.2, 7.2.3.1): selecting a group does not select the rules in
 * it that are off by default, and deselecting a group deselects everything below it.
 */
import type { BenchmarkProfile, BenchmarkRefineValue, BenchmarkRule, BenchmarkSelection, BenchmarkValue } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, childText, describeElement, elements, ownString } from '../safe-xml.js';
import { plainText } from './text.js';
import { valueFor } from './value.js';

function invalid(file: string, el: XmlElement, message: string): PlimsollError {
  const text = `${describeElement(el)}: ${message}`;
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${el.line}:${el.column}: ${text}`, [{ file, line: el.line, column: el.column, message: text }]);
}

/** The selectable items of a benchmark: default flags, clusters and values. */
export interface SelectableItems {
  /** Default `selected` of every group and rule by id. */
  defaults: Map<string, boolean>;
  /** Item ids by `cluster-id` (a select may name a cluster). */
  clusters: Map<string, string[]>;
  rules: readonly BenchmarkRule[];
  values: Map<string, BenchmarkValue>;
}

interface Resolved {
  overrides: Map<string, boolean>;
  refine: Map<string, BenchmarkRefineValue>;
}

function isTrue(v: string | undefined): boolean {
  return v !== 'false' && v !== '0';
}

/**
 * Applies a profile's `<select>`s to `overrides`. Its own function, not a loop of `resolve`: the loop (thousands of
 * selects) is what V8's optimising compiler takes on, and compiled with the rest of `resolve` it took ~16 ms to
 * compile code that ran for 19 calls (and was dropped at the next profile).
 */
function selectInto(overrides: Map<string, boolean>, el: XmlElement, id: string, items: SelectableItems, file: string): void {
  for (const sel of elements(el, 'select')) {
    const idref = ownString(sel.attrs.idref ?? '');
    const targets = items.defaults.has(idref) ? [idref] : items.clusters.get(idref);
    if (targets === undefined) throw invalid(file, sel, `profile "${id}" selects "${idref}", which is no group, rule or cluster of the benchmark`);
    for (const t of targets) overrides.set(t, isTrue(sel.attrs.selected));
  }
}

/** Maps every `<Profile>` of a benchmark, resolving `extends` chains; throws CONTENT_INVALID naming the element. */
export function mapProfiles(profileEls: readonly XmlElement[], items: SelectableItems, file: string): BenchmarkProfile[] {
  const byId = new Map<string, XmlElement>();
  for (const p of profileEls) {
    const id = p.attrs.id?.trim();
    if (!id) throw invalid(file, p, '<Profile> has no id attribute');
    if (byId.has(id)) throw invalid(file, p, `duplicate profile id "${id}"`);
    byId.set(id, p);
  }
  const resolved = new Map<string, Resolved>();
  const resolving = new Set<string>();

  const resolve = (id: string, el: XmlElement): Resolved => {
    const done = resolved.get(id);
    if (done) return done;
    if (resolving.has(id)) throw invalid(file, el, `profile "${id}" extends itself through ${[...resolving].join(' → ')}`);
    resolving.add(id);
    const base: Resolved = { overrides: new Map(), refine: new Map() };
    const parentId = el.attrs.extends;
    if (parentId !== undefined) {
      const parentEl = byId.get(parentId);
      if (parentEl === undefined) throw invalid(file, el, `profile "${id}" extends "${parentId}", which is no profile of the benchmark`);
      const parent = resolve(parentId, parentEl);
      for (const [k, v] of parent.overrides) base.overrides.set(k, v);
      for (const [k, v] of parent.refine) base.refine.set(k, v);
    }
    selectInto(base.overrides, el, id, items, file);
    for (const rv of elements(el, 'refine-value')) {
      const valueId = rv.attrs.idref ?? '';
      const value = items.values.get(valueId);
      if (value === undefined) throw invalid(file, rv, `profile "${id}" refines "${valueId}", which is no Value of the benchmark`);
      const selector = rv.attrs.selector;
      const v = valueFor(value, selector);
      base.refine.set(valueId, {
        valueId,
        ...(selector !== undefined ? { selector } : {}),
        ...(rv.attrs.operator !== undefined ? { operator: rv.attrs.operator } : {}),
        ...(v !== undefined ? { value: v } : {}),
      });
    }
    resolving.delete(id);
    resolved.set(id, base);
    return base;
  };

  return profileEls.map((el) => {
    const id = el.attrs.id!.trim();
    const { overrides, refine } = resolve(id, el);
    const on = (item: string): boolean => overrides.get(item) ?? items.defaults.get(item) ?? true;
    // Whether a rule's enclosing groups are all selected, decided once per innermost group (ids are unique, so
    // the innermost group names the whole path) rather than once per rule.
    const pathOn = new Map<string, boolean>();
    const groupsOn = (path: readonly string[]): boolean => {
      const innermost = path[path.length - 1];
      if (innermost === undefined) return true;
      let v = pathOn.get(innermost);
      if (v === undefined) pathOn.set(innermost, (v = path.every(on)));
      return v;
    };
    const selectedRuleIds = items.rules.filter((r) => on(r.ruleId) && groupsOn(r.groupPath ?? [])).map((r) => r.ruleId);
    const selections: BenchmarkSelection[] = elements(el, 'select').map((s) => ({ idref: s.attrs.idref ?? '', selected: isTrue(s.attrs.selected) }));
    const description = elements(el, 'description')[0];
    return {
      id,
      title: childText(el, 'title')?.trim() || id,
      selectedRuleIds,
      ...(description !== undefined ? { description: plainText(description) } : {}),
      ...(el.attrs.extends !== undefined ? { extends: el.attrs.extends } : {}),
      ...(el.attrs.abstract !== undefined ? { abstract: isTrue(el.attrs.abstract) } : {}),
      selections,
      refineValues: [...refine.values()],
    };
  });
}
