/**
 * Access for checks to optional parts of the inventory. A part that was not collected, failed, or is
 * unavailable yields an `error` outcome naming why: missing data never passes.
 */
import type { Collected, NodeFacts } from '../domain/facts.js';
import type { CheckOutcome } from '../domain/results.js';

export type PartName = 'engine' | 'daemon' | 'swarm' | 'host' | 'registries' | 'trust' | 'environmentPolicy';
type PartData<P extends PartName> = NonNullable<NodeFacts[P]> extends Collected<infer T> ? T : never;

/** The part's data, or the error outcome to return when it is missing. */
export function requirePart<P extends PartName>(facts: NodeFacts, part: P): { data: PartData<P> } | { outcome: CheckOutcome } {
  const collected = facts[part] as Collected<PartData<P>> | undefined;
  if (collected === undefined) return { outcome: { status: 'error', message: `The ${part} facts were not collected on ${facts.nodeName}`, observations: [] } };
  switch (collected.status) {
    case 'collected':
      return { data: collected.data };
    case 'failed':
      return { outcome: { status: 'error', message: `Collecting the ${part} facts of ${facts.nodeName} failed: ${collected.error}`, observations: [] } };
    case 'unavailable':
      return { outcome: { status: 'error', message: `The ${part} facts of ${facts.nodeName} are unavailable: ${collected.reason}`, observations: [] } };
  }
}
