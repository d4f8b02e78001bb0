/**
 * Whether a node is part of a Universal Control Plane (UCP) cluster. Some engine rules apply only
 * outside one (the userland proxy) or judge a TCP socket differently inside one. UCP runs its agent and
 * proxy containers (`docker/ucp-agent`, `docker/ucp-proxy`, …) on every node of the cluster, so their
 * presence, running or stopped, is the evidence.
 */
import type { ContainerFacts, NodeFacts } from '../../domain/facts.js';

const UCP_IMAGE = /(^|\/)docker\/ucp(-[a-z0-9-]+)?(:|@|$)/i;
const UCP_NAME = /^ucp-/i;

/** True for a container of the UCP platform (by its image, or by its `ucp-…` name). */
export function isUcpContainer(container: ContainerFacts): boolean {
  return UCP_IMAGE.test(container.image) || UCP_NAME.test(container.name);
}

/** The node's UCP containers: empty when the node is not (visibly) part of a UCP cluster. */
export function ucpContainers(facts: NodeFacts): ContainerFacts[] {
  return facts.containers.filter(isUcpContainer);
}

/** The UCP containers' names and images, for evidence. */
export function describeContainers(containers: readonly ContainerFacts[], max = 5): string {
  const shown = containers.slice(0, max).map((c) => `${c.name} (${c.image})`);
  return containers.length > max ? `${shown.join(', ')}, … (${containers.length} in all)` : shown.join(', ');
}
