/**
 * Facts: one inventory per node per run, collected once and evaluated by every check in memory.
 * Raw Docker API objects are kept as returned (JSON), so evidence can name the exact field path.
 */

/** Raw JSON from the Docker Engine API; checks read fields by path. */
export type ApiObject = Record<string, unknown>;

export interface ContainerFacts {
  id: string;
  /** Name without the leading slash. */
  name: string;
  image: string;
  /** `GET /containers/{id}/json` as returned by the engine. */
  inspect: ApiObject;
}

/** Everything collected from one node in one run. */
export interface NodeFacts {
  nodeId: string;
  nodeName: string;
  endpoint: string;
  collectedAt: string;
  /** `GET /version`. */
  version: ApiObject;
  /** `GET /info`. */
  info: ApiObject;
  containers: ContainerFacts[];
}

/** A stored facts snapshot: the facts plus their sha256 over canonical JSON. */
export interface FactsSnapshot {
  id: string;
  assessmentId: string;
  nodeId: string;
  collectedAt: string;
  sha256: string;
  facts: NodeFacts;
}
