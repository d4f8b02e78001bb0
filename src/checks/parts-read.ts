/**
 * Which optional parts of the inventory a selection of rules reads, so that a run collects only those (issue
 * #12: nothing fetched that no selected rule reads). A check's parts are its declared `facts`, else those its
 * target kinds are read from (the coverage document's reading), plus the engine inventory for container rules
 * (their process lists, exec sessions and images live there); then every part the collection of those parts
 * needs (host files are chosen from the daemon configuration; trust reads the images and the registries). A
 * rule with a check that declares nothing readable, or a fact name this list doesn't know, collects everything.
 *
 * Skipping a part never decides a rule: a part that was not collected is absent from the facts, and a check
 * that reads it gets `error` (requirePart). The unit test evaluates every check on facts limited to its parts
 * and on the whole facts and requires the same outcome.
 */
import type { FactsPart } from '../collectors/part-collector.js';
import type { Check } from './check.js';
import { FACTS_OF } from './coverage-doc.js';

/** Every part a collection can hold. */
export const ALL_PARTS: readonly FactsPart[] = ['engine', 'daemon', 'swarm', 'host', 'registries', 'trust', 'asset', 'environmentPolicy'];

/** Fact names (declared or from target kinds) → the part they are collected in; `container` is the core inventory. */
const PART_OF: Readonly<Record<string, FactsPart | 'core'>> = {
  container: 'core',
  engine: 'engine',
  daemon: 'daemon',
  swarm: 'swarm',
  host: 'host',
  registry: 'registries',
  registries: 'registries',
  trust: 'trust',
  asset: 'asset',
  environmentPolicy: 'environmentPolicy',
};

/** What collecting a part reads of the others (collectorParts runs them in an order that respects it). */
const NEEDS: Readonly<Partial<Record<FactsPart, readonly FactsPart[]>>> = {
  host: ['daemon'],
  trust: ['engine', 'registries'],
};

/** The parts one check reads; undefined when it can't be told (then everything is collected). */
export function partsReadBy(check: Pick<Check, 'facts' | 'targetKinds'>): Set<FactsPart> | undefined {
  const names = [...(check.facts ?? check.targetKinds.map((k) => FACTS_OF[k]))];
  if (check.targetKinds.includes('container')) names.push('engine');
  const parts = new Set<FactsPart>();
  for (const name of names) {
    const part = PART_OF[name];
    if (part === undefined) return undefined;
    if (part !== 'core') parts.add(part);
  }
  return parts;
}

/**
 * The parts a run of these rules collects: those their checks read, with what collecting them needs, and the
 * asset facts (host name and addresses: every report names the node by them). Rules without a check read none.
 */
export function partsToCollect(stigIds: Iterable<string>, checkFor: (stigId: string) => Pick<Check, 'facts' | 'targetKinds'> | undefined): Set<FactsPart> {
  const parts = new Set<FactsPart>(['asset']);
  for (const id of stigIds) {
    const check = checkFor(id);
    if (check === undefined) continue;
    const read = partsReadBy(check);
    if (read === undefined) return new Set(ALL_PARTS);
    for (const p of read) parts.add(p);
  }
  for (const p of [...parts]) for (const needed of NEEDS[p] ?? []) parts.add(needed);
  return parts;
}
