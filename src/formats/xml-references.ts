/**
 * XML references in text and attribute values, for the selective parser of safe-xml.ts: the five predefined
 * entities and character references are replaced, anything else after a '&' is refused at its offset (no DTD
 * is ever read, so no other entity exists; names of Object.prototype are no entity either).
 */

/** Refuses the input at an offset of the string being decoded. */
export type Refuse = (offset: number, reason: string) => never;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexLetter = (c: number): boolean => (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameRest = (c: number): boolean => isNameStart(c) || isDigit(c) || c === 46 || c === 45;

/**
 * Offset after the reference at `amp` (`&#x41;`, `&#65;`, `&name;` ending before `to`), or -1 when what follows
 * the '&' is no reference.
 */
function referenceEnd(src: string, amp: number, to: number): number {
  let k = amp + 1;
  if (k >= to) return -1;
  if (src.charCodeAt(k) === 35 /* # */) {
    const hex = src.charCodeAt(k + 1) === 120; /* x */
    k += hex ? 2 : 1;
    const digits = k;
    while (k < to && (isDigit(src.charCodeAt(k)) || (hex && isHexLetter(src.charCodeAt(k))))) k += 1;
    if (k === digits) return -1;
  } else {
    if (!isNameStart(src.charCodeAt(k))) return -1;
    k += 1;
    while (k < to && isNameRest(src.charCodeAt(k))) k += 1;
  }
  return k < to && src.charCodeAt(k) === 59 /* ; */ ? k + 1 : -1;
}

/** The character a reference (from `amp` to `end`) stands for: the five XML entities and character references only. */
function referenceText(src: string, amp: number, end: number, refuse: Refuse): string {
  if (src.charCodeAt(amp + 1) === 35 /* # */) {
    const hex = src.charCodeAt(amp + 2) === 120; /* x */
    const code = parseInt(src.slice(amp + (hex ? 3 : 2), end - 1), hex ? 16 : 10);
    if (!(code >= 1 && code <= 0x10ffff)) refuse(amp, `invalid character reference ${src.slice(amp, end)}`);
    return String.fromCodePoint(code);
  }
  switch (src.slice(amp + 1, end - 1)) {
    case 'amp': return '&';
    case 'lt': return '<';
    case 'gt': return '>';
    case 'quot': return '"';
    case 'apos': return "'";
    default: return refuse(amp, 'an unknown entity reference (only the five XML entities and character references are allowed)');
  }
}

/**
 * `src` from `from` to `to` with its references replaced, `amp` being the offset of its first '&'; anything
 * else after a '&' is refused at its offset. Scanned with indexOf and built from slices, not by a replace
 * callback per reference (the fix scripts of a data stream hold tens of thousands of `&amp;`, `&lt;`, `&quot;`).
 */
export function decodeReferences(src: string, from: number, to: number, amp: number, refuse: Refuse): string {
  let out = '';
  let last = from;
  for (let at = amp; at >= 0 && at < to; at = src.indexOf('&', last)) {
    const end = referenceEnd(src, at, to);
    if (end < 0) refuse(at, 'unescaped "&" (write &amp;)');
    out += src.slice(last, at) + referenceText(src, at, end, refuse);
    last = end;
  }
  return out + src.slice(last, to);
}

/**
 * Checks the reference at `amp` (before `to`) as decodeReferences would read it, without building text; returns
 * the offset after it. For parts a selective parse skips: they are refused for what a full parse refuses.
 */
export function checkReference(src: string, amp: number, to: number, refuse: Refuse): number {
  const end = referenceEnd(src, amp, to);
  if (end < 0) refuse(amp, 'unescaped "&" (write &amp;)');
  referenceText(src, amp, end, refuse);
  return end;
}
