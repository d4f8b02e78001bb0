/**
 * Collectors beyond the engine's core inventory (images, daemon configuration, swarm, host files) each add
 * one part of NodeFacts. The node collector runs them once per node per run after the core inventory; a
 * part that fails is recorded as failed (its checks then report `error`), it never fails the whole run.
 */
import type { Collected, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { DockerClient } from '../repositories/docker-client.js';

export type FactsPart = 'engine' | 'daemon' | 'swarm' | 'host' | 'registries' | 'trust' | 'asset' | 'environmentPolicy';

export interface PartCollector<P extends FactsPart = FactsPart> {
  readonly part: P;
  /** Collects the part; may read what the core inventory holds (`base`). */
  collect(node: DockerNode, client: DockerClient, base: NodeFacts): Promise<Collected<NonNullable<NodeFacts[P]> extends Collected<infer T> ? T : never>>;
}
