/** Maps an XCCDF `<Value>` (a tailorable parameter such as `var_accounts_tmout`) to a BenchmarkValue. */
import type { BenchmarkValue } from '../../domain/content.js';
import { type XmlElement, childText, elements, textContent } from '../safe-xml.js';
import { plainText } from './text.js';

const TYPES = new Set(['string', 'number', 'boolean']);

/** The value of a Value without selector (else its first), what a `<sub>` naming it stands for; undefined when it has none. */
export function defaultValueOf(el: XmlElement): string | undefined {
  const values = elements(el, 'value');
  const chosen = values.find((v) => (v.attrs.selector ?? '') === '') ?? values[0];
  return chosen === undefined ? undefined : textContent(chosen);
}

/** Builds a BenchmarkValue; `groupId` is the enclosing group ('' at benchmark level). */
export function mapValue(el: XmlElement, id: string, groupId: string): BenchmarkValue {
  const values = elements(el, 'value').map((v) => ({ selector: v.attrs.selector ?? '', value: textContent(v) }));
  const type = el.attrs.type ?? 'string';
  const description = elements(el, 'description')[0];
  const defaultValue = defaultValueOf(el);
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
