/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` and function
 * members dropped and `toJSON` honoured (as JSON.stringify does). The same value always gives the same
 * text, so its sha256 identifies the value: facts snapshots are hashed this way, whatever order the
 * Docker engine returned fields in.
 */
import { createHash } from 'node:crypto';

/** `$.a[2].b`: where the value at these keys sits, for an error message (made only when one is thrown). */
function pathOf(keys: readonly (string | number)[]): string {
  return `$${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

/**
 * Appends the value's text to `out`; false when the value writes nothing (an undefined, function or symbol
 * member, which its object drops). One array of pieces for the whole value, joined once: a facts snapshot of a
 * large node is megabytes of text, and building it as nested strings (with a path string per value for error
 * messages) made garbage that lived long enough to fill V8's old generation.
 */
function write(value: unknown, keys: (string | number)[], inArray: boolean, out: string[]): boolean {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), keys, inArray, out);
  }
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      if (inArray) out.push('null');
      return inArray;
    case 'bigint':
      throw new TypeError(`canonical JSON: ${pathOf(keys)} is a bigint`);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${pathOf(keys)} is ${value}, which JSON cannot represent`);
      out.push(JSON.stringify(value));
      return true;
    case 'string':
    case 'boolean':
      out.push(JSON.stringify(value));
      return true;
    default:
      break;
  }
  if (value === null) {
    out.push('null');
    return true;
  }
  if (Array.isArray(value)) {
    out.push('[');
    (value as unknown[]).forEach((v, i) => {
      if (i > 0) out.push(',');
      keys.push(i);
      write(v, keys, true, out);
      keys.pop();
    });
    out.push(']');
    return true;
  }
  out.push('{');
  let members = 0;
  // Plain string comparison (not localeCompare): the order must not depend on the locale.
  for (const key of Object.keys(value as object).sort()) {
    const mark = out.length;
    out.push(members > 0 ? `,${JSON.stringify(key)}:` : `${JSON.stringify(key)}:`);
    keys.push(key);
    const wrote = write((value as Record<string, unknown>)[key], keys, false, out);
    keys.pop();
    if (wrote) members += 1;
    else out.length = mark;
  }
  out.push('}');
  return true;
}

/** The canonical JSON text of a value: sorted keys, no whitespace. Throws on NaN, Infinity and bigint. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  return write(value, [], false, out) ? out.join('') : 'null';
}

/** sha256 (lower-case hex) of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 (hex) of the canonical JSON of a value. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
