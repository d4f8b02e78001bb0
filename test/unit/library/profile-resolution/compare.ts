/** Structural comparison of resolved catalogs: the first differences, each with its path. */

export interface CompareOptions {
  /** Collapse whitespace runs and trim strings before comparing (XML and JSON sources space prose differently). */
  normalizeWhitespace?: boolean;
  /** Stop after this many differences (default 20). */
  max?: number;
}

/** One difference: where, and the two values (undefined when a property is missing on one side). */
export interface Difference {
  path: string;
  actual: unknown;
  expected: unknown;
  /** Human-readable line: `path: actual …, expected …`. */
  text: string;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Label of an array element: its id (or uuid, name) when it has one, so paths read `/0(ac)/controls/1(ac-2)`. */
function label(v: unknown, i: number): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of ['id', 'uuid', 'name']) if (typeof o[k] === 'string') return `${i}(${o[k] as string})`;
  }
  return String(i);
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Differences between `actual` and `expected` in document order; object key order is ignored, array order is not. */
export function differences(actual: unknown, expected: unknown, options: CompareOptions = {}): Difference[] {
  const max = options.max ?? 20;
  const out: Difference[] = [];
  const add = (path: string, a: unknown, e: unknown, text: string): void => {
    out.push({ path, actual: a, expected: e, text: `${path}: ${text}` });
  };
  const norm = (v: unknown): unknown => (options.normalizeWhitespace && typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v);
  const walk = (a: unknown, e: unknown, path: string): void => {
    if (out.length >= max) return;
    if (Array.isArray(a) && Array.isArray(e)) {
      if (a.length !== e.length) add(path, a.length, e.length, `length ${a.length}, expected ${e.length}`);
      for (let i = 0; i < Math.min(a.length, e.length); i += 1) walk(a[i], e[i], `${path}/${label(e[i], i)}`);
      return;
    }
    if (isObj(a) && isObj(e)) {
      for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])]) {
        if (a[k] === undefined && e[k] !== undefined) add(`${path}/${k}`, undefined, e[k], `missing, expected ${show(e[k])}`);
        else if (a[k] !== undefined && e[k] === undefined) add(`${path}/${k}`, a[k], undefined, `unexpected ${show(a[k])}`);
        else walk(a[k], e[k], `${path}/${k}`);
        if (out.length >= max) return;
      }
      return;
    }
    if (norm(a) !== norm(e)) add(path, a, e, `${show(a)}, expected ${show(e)}`);
  };
  walk(actual, expected, '');
  return out;
}

/** The first differences as `path: actual …, expected …` lines; an empty list means equal. */
export function firstDifferences(actual: unknown, expected: unknown, options: CompareOptions = {}): string[] {
  return differences(actual, expected, options).map((d) => d.text);
}
