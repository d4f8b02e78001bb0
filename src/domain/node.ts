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
  /** Set once the node is removed: it is hidden from lists but old assessments still name it. */
  removedAt?: string;
}

export interface NodeInput {
  name: string;
  endpoint: string;
  tls?: NodeTls;
  labels?: Record<string, string>;
  environment?: string;
  platformContainerPattern?: string;
}

/** What most STIG check commands filter out: `grep -iv "ucp\|kube\|dtr"` over `docker ps --all` lines. */
export const STIG_PLATFORM_PATTERN = 'ucp|kube|dtr';

/** The longest platform container pattern a node may configure. */
export const MAX_PLATFORM_PATTERN = 200;

/** A platform container pattern compiled as the checks use it (case-insensitive, like `grep -i`); an error text when invalid. */
export function compilePlatformPattern(pattern: string): RegExp | { invalid: string } {
  if (pattern.length > MAX_PLATFORM_PATTERN) return { invalid: `the platform container pattern is longer than ${MAX_PLATFORM_PATTERN} characters` };
  try {
    return new RegExp(pattern, 'i');
  } catch (e) {
    return { invalid: `the platform container pattern ${JSON.stringify(pattern)} is not a regular expression: ${(e as Error).message}` };
  }
}
