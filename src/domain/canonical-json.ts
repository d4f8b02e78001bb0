/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` and function
 * members dropped and `toJSON` honoured (as JSON.stringify does). The same value always gives the same
 * text, so its sha256 identifies the value: facts snapshots are hashed this way, whatever order the
 * Docker engine returned fields in.
 */
import { createHash } from 'node:crypto';

function write(value: unknown, path: string, inArray: boolean): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), path, inArray);
  }
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
    case 'bigint':
      throw new TypeError(`canonical JSON: ${path} is a bigint`);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${(value as unknown[]).map((v, i) => write(v, `${path}[${i}]`, true)).join(',')}]`;
  const members: string[] = [];
  // Plain string comparison (not localeCompare): the order must not depend on the locale.
  for (const key of Object.keys(value as object).sort()) {
    const text = write((value as Record<string, unknown>)[key], `${path}.${key}`, false);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/** The canonical JSON text of a value: sorted keys, no whitespace. Throws on NaN, Infinity and bigint. */
export function canonicalJson(value: unknown): string {
  return write(value, '$', false) ?? 'null';
}

/** sha256 (lower-case hex) of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 (hex) of the canonical JSON of a value. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
