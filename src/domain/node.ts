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
  /**
   * Case-insensitive regular expression over container names and images that identifies the platform
   * containers (UCP, DTR, Kubernetes) which the STIG check texts leave out; absent: each rule's STIG pattern
   * (`ucp|kube|dtr`); empty: no container is left out.
   */
  platformContainerPattern?: string;
  createdAt: string;
}

export interface NodeInput {
  name: string;
  endpoint: string;
  tls?: NodeTls;
  labels?: Record<string, string>;
  environment?: string;
  platformContainerPattern?: string;
}
