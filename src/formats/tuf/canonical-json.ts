/**
 * Notary's canonical JSON (github.com/docker/go/canonical/json, `MarshalCanonical`): what TUF signatures in a
 * Notary repository are computed over. Object keys sorted bytewise (UTF-8), no whitespace, strings with only
 * `"` and `\` escaped (every other character written as is, except U+2028 and U+2029, escaped as Go's encoder
 * always does), integers in decimal. Notary verifies by decoding `signed` and encoding it again this way, so
 * the signed bytes are independent of how the server formatted the file.
 *
 * Deliberately not src/domain/canonical-json.ts: that one (facts hashing) escapes like JSON.stringify and
 * sorts by UTF-16 code unit, which differs from Go for control characters and astral code points.
 */

/** Thrown for values Notary's encoder rejects: non-integer or non-finite numbers. */
export class CanonicalJsonError extends Error {}

/** Bytewise UTF-8 order equals code point order; JS `<` compares UTF-16 code units, which differs above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function writeString(s: string, out: string[]): void {
  // Lone surrogates cannot be written as UTF-8; Go's decoder turned them into U+FFFD already.
  const text = s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  out.push('"', (text as unknown as { toWellFormed(): string }).toWellFormed(), '"');
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      writeString(value, out);
      return;
    case 'number':
      if (!Number.isFinite(value) || !Number.isInteger(value)) throw new CanonicalJsonError(`${path || '/'} is ${value}: canonical JSON allows integers only`);
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`${path || '/'} is ${value}: larger than an exact integer`);
      out.push(String(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${path || '/'} is a ${typeof value}, not a JSON value`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      write(v, `${path}/${i}`, out);
    });
    out.push(']');
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareCodePoints);
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    writeString(k, out);
    out.push(':');
    write(obj[k], `${path}/${k}`, out);
  });
  out.push('}');
}

/** The canonical bytes of a parsed JSON value, as Notary signs and verifies them. */
export function notaryCanonicalJson(value: unknown): Buffer {
  const out: string[] = [];
  write(value, '', out);
  return Buffer.from(out.join(''), 'utf8');
}
