/** A Docker engine endpoint that Plimsoll assesses. */
export interface NodeTls {
  /** PEM file paths; all three are required for mutual TLS. */
  caPath: string;
  certPath: string;
  keyPath: string;
}

export interface DockerNode {
  id: string;
  name: string;
  /** `unix:///path/docker.sock` or `tcp://host:port`. */
  endpoint: string;
  tls?: NodeTls;
  labels: Record<string, string>;
  environment?: string;
  createdAt: string;
  /** Set once the node is removed: it is hidden from lists but old assessments still name it. */
  removedAt?: string;
}

export interface NodeInput {
  name: string;
  endpoint: string;
  tls?: NodeTls;
  labels?: Record<string, string>;
  environment?: string;
}
