/**
 * Evidence changes (pure): the fields of a target's configuration that differ between two runs, with both
 * values, from the stored facts projected by drift-projection.ts. The deep comparison is microdiff's; arrays
 * are compared as their meaning suggests first: environment variables by name (their values are salted hashes,
 * reported as "value changed" and never shown), mounts and other lists of objects by an identifying field
 * (`Destination`, `Name`…) so that one added mount is one change, and lists of plain values as a whole
 * (`HostConfig.CapAdd` from `null` to `["SYS_ADMIN"]`).
 */
import microdiff from 'microdiff';
import type { DriftField, EvidenceChange } from '../domain/drift.js';
import type { ProjectedTarget } from './drift-projection.js';

/** Marks an object made from a list (its keys are element keys), so paths show `[key]`. */
const KEYED = Symbol('keyed');
type Keyed = Record<string, unknown> & { [KEYED]?: true };

/** Fields that identify an element of a list of objects, in order of preference. */
const IDENTITY_FIELDS = ['Destination', 'Target', 'Name', 'ID', 'Id', 'Path', 'Type'];

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/** `NAME=value` strings as `{ NAME: value }`, when every element is one and names are unique. */
function envMap(list: unknown[]): Keyed | undefined {
  const out: Keyed = {};
  for (const e of list) {
    if (typeof e !== 'string') return undefined;
    const eq = e.indexOf('=');
    const name = eq === -1 ? e : e.slice(0, eq);
    if (name in out) return undefined;
    out[name] = eq === -1 ? null : e.slice(eq + 1);
  }
  Object.defineProperty(out, KEYED, { value: true, enumerable: false });
  return out;
}

/** A list of objects as `{ identity: element }` when one identifying field is unique across it. */
function keyedList(list: unknown[]): Keyed | undefined {
  if (list.length === 0 || !list.every(isPlainObject)) return undefined;
  for (const field of IDENTITY_FIELDS) {
    const ids = list.map((e) => (e as Record<string, unknown>)[field]);
    if (ids.every((id) => typeof id === 'string' && id !== '') && new Set(ids).size === ids.length) {
      const out: Keyed = {};
      list.forEach((e, i) => (out[ids[i] as string] = normalize(e, '')));
      Object.defineProperty(out, KEYED, { value: true, enumerable: false });
      return out;
    }
  }
  return undefined;
}

/** A value prepared for comparison: keyed lists as objects; lists of plain values stay lists (compared whole). */
function normalize(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    if (key === 'Env') return envMap(value) ?? value;
    if (value.every(isScalar)) return value;
    return keyedList(value) ?? value.map((v) => normalize(v, ''));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v, k);
    return out;
  }
  return value;
}

const child = (at: unknown, segment: string | number): unknown => (at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[segment] : undefined);
const isKeyed = (at: unknown): boolean => isPlainObject(at) && (at as Keyed)[KEYED] === true;

/** `HostConfig.PidMode`, `Mounts[/data].RW`, `Config.Env[API_KEY]`, `Args[0]` (walking both sides: a list may be on one only). */
function pathText(path: readonly (string | number)[], old: unknown, now: unknown): string {
  let text = '';
  let a = old;
  let b = now;
  for (const segment of path) {
    if (isKeyed(a) || isKeyed(b) || typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${segment}`;
    a = child(a, segment);
    b = child(b, segment);
  }
  return text;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let at = root;
  for (const segment of path) at = child(at, segment);
  return at;
}

/** Where a path goes through a list of plain values (compared whole), the path of that list; else the path. */
function wholeListPath(path: readonly (string | number)[], old: unknown, now: unknown): (string | number)[] {
  for (let i = 0; i < path.length; i += 1) {
    if (typeof path[i] !== 'number') continue;
    const prefix = path.slice(0, i);
    const a = valueAt(old, prefix);
    const b = valueAt(now, prefix);
    if ((Array.isArray(a) && a.every(isScalar)) || (Array.isArray(b) && b.every(isScalar))) return prefix;
  }
  return [...path];
}

/** Environment values and file contents are compared by hash and never shown. */
function isHidden(path: readonly (string | number)[], kind: ProjectedTarget['kind']): boolean {
  const at = path.indexOf('Env');
  return at !== -1 || (kind === 'file' && path[0] === 'content');
}

/** What stands for a hidden value that is there (its absence shows as no value). */
export const REDACTED = '[redacted]';

/** The fields of one target that differ, in path order. */
export function fieldChanges(old: ProjectedTarget, now: ProjectedTarget): DriftField[] {
  const a = normalize(old.value, '') as Record<string, unknown>;
  const b = normalize(now.value, '') as Record<string, unknown>;
  const seen = new Map<string, DriftField>();
  for (const d of microdiff(a, b, { cyclesFix: false })) {
    const path = wholeListPath(d.path, a, b);
    const field = pathText(path, a, b);
    if (seen.has(field)) continue;
    const before = valueAt(a, path);
    const after = valueAt(b, path);
    const hidden = isHidden(path, now.kind);
    const show = (v: unknown): unknown => (hidden ? REDACTED : v);
    seen.set(field, { field, ...(before !== undefined ? { old: show(before) } : {}), ...(after !== undefined ? { new: show(after) } : {}), ...(hidden ? { redacted: true } : {}) });
  }
  return [...seen.values()].sort((x, y) => (x.field < y.field ? -1 : x.field > y.field ? 1 : 0));
}

/** True when an observation's field is the changed field, inside it, or contains it. */
export function fieldReads(observationField: string, changedField: string): boolean {
  if (observationField === changedField) return true;
  const inside = (outer: string, inner: string): boolean => inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  // Observations name list elements by index (`Mounts.0`): compare the list's own path too.
  const list = observationField.replace(/\.\d+(\.|$).*$/, '');
  return inside(observationField, changedField) || inside(changedField, observationField) || (list !== observationField && inside(list, changedField));
}

/** The fields read by each rule on a target: STIG id and observation field. */
export type FieldReaders = readonly { stigId: string; field: string }[];

/** A target in both runs whose configuration differs, and how. */
export interface TargetFieldChanges {
  target: ProjectedTarget;
  fields: DriftField[];
}

/**
 * Deep equality of values parsed from JSON (plain objects and arrays, own keys in any order), as
 * util.isDeepStrictEqual decides it for them (Object.is on leaves, so -0 differs from 0), at a fraction of its
 * cost: it skips the prototype, symbol and cycle bookkeeping that JSON values never need.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.hasOwn(b, k) || !jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The targets of both runs whose configuration differs, in key order. */
export function diffProjections(old: ReadonlyMap<string, ProjectedTarget>, now: ReadonlyMap<string, ProjectedTarget>): TargetFieldChanges[] {
  const out: TargetFieldChanges[] = [];
  for (const id of [...now.keys()].filter((k) => old.has(k)).sort()) {
    const target = now.get(id)!;
    const before = old.get(id)!;
    // Most targets are unchanged: a plain deep equality (no normalising, no paths) settles them.
    if (jsonEqual(before.value, target.value)) continue;
    const fields = fieldChanges(before, target);
    if (fields.length > 0) out.push({ target, fields });
  }
  return out;
}

/** Evidence changes, each with the rules whose observations on the target (`readers`, both runs) read the field. */
export function evidenceChanges(node: { nodeId: string; nodeName: string }, diffs: readonly TargetFieldChanges[], readers: (target: ProjectedTarget) => FieldReaders): EvidenceChange[] {
  const out: EvidenceChange[] = [];
  for (const { target, fields } of diffs) {
    const reading = readers(target);
    for (const change of fields) {
      const stigIds = [...new Set(reading.filter((r) => fieldReads(r.field, change.field)).map((r) => r.stigId))].sort();
      out.push({ kind: 'evidence-changed', ...node, target: { kind: target.kind, key: target.key, name: target.name }, change, stigIds });
    }
  }
  return out;
}
