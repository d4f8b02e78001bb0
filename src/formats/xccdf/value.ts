/** Maps an XCCDF `<Value>` (a tailorable parameter such as `var_accounts_tmout`) to a BenchmarkValue. */
import type { BenchmarkValue } from '../../domain/content.js';
import { type XmlElement, childText, elements, textContent } from '../safe-xml.js';
import { plainText } from './text.js';

const TYPES = new Set(['string', 'number', 'boolean']);

/** A Value's `<value>` elements, each with its selector ('' for none). */
function valuesOf(el: XmlElement): BenchmarkValue['values'] {
  return elements(el, 'value').map((v) => ({ selector: v.attrs.selector ?? '', value: textContent(v) }));
}

/** The value without selector (else the first), what a `<sub>` naming the Value stands for; undefined when it has none. */
function defaultOf(values: BenchmarkValue['values']): string | undefined {
  return (values.find((v) => v.selector === '') ?? values[0])?.value;
}

/** The default of a `<Value>` element (see defaultOf), for a Rule mapped before its Benchmark is (early-rules.ts). */
export function defaultValueOf(el: XmlElement): string | undefined {
  return defaultOf(valuesOf(el));
}

/** Builds a BenchmarkValue; `groupId` is the enclosing group ('' at benchmark level). */
export function mapValue(el: XmlElement, id: string, groupId: string): BenchmarkValue {
  const values = valuesOf(el);
  const type = el.attrs.type ?? 'string';
  const description = elements(el, 'description')[0];
  const defaultValue = defaultOf(values);
  return {
    id,
    title: childText(el, 'title')?.trim() ?? id,
    ...(description !== undefined ? { description: plainText(description) } : {}),
    type: TYPES.has(type) ? (type as BenchmarkValue['type']) : 'string',
    ...(el.attrs.operator !== undefined ? { operator: el.attrs.operator } : {}),
    ...(el.attrs.interactive !== undefined ? { interactive: el.attrs.interactive === 'true' || el.attrs.interactive === '1' } : {}),
    values,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    groupId,
  };
}

/** The value a Value takes for a selector ('' or undefined: its default); undefined when it has none for it. */
export function valueFor(value: BenchmarkValue, selector: string | undefined): string | undefined {
  if (selector === undefined || selector === '') return value.defaultValue;
  return value.values.find((v) => v.selector === selector)?.value;
}
