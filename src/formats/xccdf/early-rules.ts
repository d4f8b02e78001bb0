/**
 * Rules of a Benchmark mapped while its document is read, each as soon as its end tag is read, so that the
 * elements below it (a data stream's 44,000 `<reference>`s among them) are let go young instead of being held,
 * and copied by every garbage collection, until the whole Benchmark is mapped. What is mapped early is only
 * what a Rule's own element says (RuleContent); `parseBenchmark` still walks the items, claims the ids and
 * puts each rule together with its groups, exactly as for a Rule mapped late.
 *
 * A Rule's content depends on nothing outside its element but the Values its `<sub>`s name. A Rule is mapped
 * early only when every Value it names was read before it (in the same Benchmark: a Value's default is fixed
 * once read, and a second Value of the same id is refused by the walk); any other Rule keeps its children and
 * is mapped by the walk, when all Values are known.
 */
import type { XmlElement } from '../safe-xml.js';
import { type RuleContent, mapRuleContent } from './rule.js';
import type { SubResolver } from './text.js';
import { defaultValueOf } from './value.js';

export class EarlyRules {
  /** Default values of the Values read so far in the current Benchmark, by id. */
  private values = new Map<string, string | undefined>();
  private readonly contents = new Map<XmlElement, RuleContent>();
  /** Whether the rule being mapped named a Value not read yet. */
  private missed = false;
  private readonly sub: SubResolver = (idref) => {
    if (!this.values.has(idref)) this.missed = true;
    return this.values.get(idref);
  };

  /** `fixes`: whether the Rules were built with their `<fix>` elements (as for mapRuleContent). */
  constructor(private readonly fixes: boolean) {}

  /** A new Benchmark starts: the Values of another one are not its own. */
  benchmark(): void {
    this.values = new Map();
  }

  /** A `<Value>` the Benchmark's item walk reaches (below the Benchmark and its Groups only), complete. */
  value(el: XmlElement): void {
    const id = el.attrs.id?.trim();
    if (id) this.values.set(id, defaultValueOf(el));
  }

  /**
   * A `<Rule>` the item walk reaches, complete: its content is mapped now and its children are let go (the element
   * keeps its name, attributes and position), unless it names a Value not read yet.
   */
  rule(el: XmlElement): void {
    this.missed = false;
    const content = mapRuleContent(el, this.sub, this.fixes);
    if (this.missed) return;
    this.contents.set(el, content);
    el.children = [];
  }

  /** The content of a Rule mapped early; undefined for one mapped late. */
  get(el: XmlElement): RuleContent | undefined {
    return this.contents.get(el);
  }
}
