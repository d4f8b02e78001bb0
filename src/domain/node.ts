import type { ContentInput } from './content-input.js';

/**
 * A node's mutual-TLS material. Registered material is stored as PEM content with the private key sealed
 * (AES-256-GCM with PLIMSOLL_SECRET_KEY) and opened only to connect; it is never returned by any API.
 * Nodes registered before migration 0007 referenced files: they stay `legacy-files` until a start with the
 * key reads, checks and encrypts those files (nodes/legacy-tls.ts); nothing connects with file paths.
 */
export type NodeTls =
  | { kind: 'sealed'; caPem: string; certPem: string; keySealed: string }
  | { kind: 'legacy-files'; caPath: string; certPath: string; keyPath: string };

/** A Docker engine endpoint that Plimsoll assesses. */
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

/** TLS material as given at registration: uploads or bytes, never paths on the server. */
export interface NodeTlsInput {
  ca: ContentInput;
  cert: ContentInput;
  key: ContentInput;
}

export interface NodeInput {
  name: string;
  endpoint: string;
  tls?: NodeTlsInput;
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

/** What transports may show of a node: TLS only as a yes/no. */
export type NodeView = Omit<DockerNode, 'tls'> & { tls: boolean };

/** The public view of a node (CLI JSON, GraphQL): never its TLS material. */
export function nodeView(node: DockerNode): NodeView {
  const { tls, ...rest } = node;
  return { ...rest, tls: tls !== undefined };
}
