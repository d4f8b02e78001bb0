/**
 * Evidence helpers shared by the checks: reading a field of a raw Docker API object by dotted path
 * and building observations. Missing fields read as `null`, never `undefined`, so every observation
 * is plain JSON.
 */
import type { ApiObject, ContainerFacts, NodeFacts } from '../domain/facts.js';
import type { Observation, TargetRef } from '../domain/results.js';

function step(current: unknown, key: string): { found: boolean; value: unknown } {
  if (Array.isArray(current)) {
    if (!/^\d+$/.test(key)) return { found: false, value: undefined };
    const i = Number(key);
    return i < current.length ? { found: true, value: current[i] } : { found: false, value: undefined };
  }
  if (typeof current === 'object' && current !== null && Object.prototype.hasOwnProperty.call(current, key)) {
    return { found: true, value: (current as Record<string, unknown>)[key] };
  }
  return { found: false, value: undefined };
}

function walk(obj: ApiObject, path: string): { found: boolean; value: unknown } {
  let current: unknown = obj;
  for (const key of path.split('.')) {
    const next = step(current, key);
    if (!next.found) return next;
    current = next.value;
  }
  return { found: true, value: current };
}

/**
 * The value at a dotted path (`HostConfig.Privileged`, `Mounts.0.Source`; numeric segments index
 * arrays). A missing field, or one whose value is undefined, reads as null.
 */
export function readField(obj: ApiObject, path: string): unknown {
  const { found, value } = walk(obj, path);
  return found && value !== undefined ? value : null;
}

/**
 * Marks reads that only name a target or word a message and never decide a verdict (an id, a hostname, the
 * OS name in a sentence). The evidence guard (test/harness/evidence-guard.ts), which takes away every field a
 * check reads and expects the verdict to fall, does not count them: a missing label changes a name only.
 */
export const LABEL_READ: unique symbol = Symbol.for('plimsoll.label-read');

/** A field read for naming or wording only (see LABEL_READ); null when missing, like readField. */
export function labelField(obj: ApiObject, path: string): unknown {
  const raw = (obj as { [LABEL_READ]?: ApiObject })[LABEL_READ];
  return readField(raw ?? obj, path);
}

/** True when every segment of the dotted path exists (a present `null` value counts as present). */
export function hasField(obj: ApiObject, path: string): boolean {
  const { found, value } = walk(obj, path);
  return found && value !== undefined;
}

/** Each container's target, made once: a large node's 30-odd rules observe each of its containers. */
const containerTargets = new WeakMap<ContainerFacts, TargetRef>();

/** The target a container observation is about (one shared object per container while its id and name hold). */
export function containerTarget(container: ContainerFacts): TargetRef {
  const known = containerTargets.get(container);
  if (known !== undefined && known.id === container.id && known.name === container.name) return known;
  const target: TargetRef = { kind: 'container', id: container.id, name: container.name };
  containerTargets.set(container, target);
  return target;
}

export interface ObservationInput {
  field: string;
  value: unknown;
  expected: string;
  verdict: 'pass' | 'fail';
  message: string;
}

/** An observation of a container, stamped with the facts' collection time. */
export function containerObservation(facts: NodeFacts, container: ContainerFacts, input: ObservationInput): Observation {
  return {
    target: containerTarget(container),
    field: input.field,
    value: input.value === undefined ? null : input.value,
    expected: input.expected,
    verdict: input.verdict,
    message: input.message,
    collectedAt: facts.collectedAt,
  };
}
