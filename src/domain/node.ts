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
  createdAt: string;
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
}

/** What transports may show of a node: TLS only as a yes/no. */
export type NodeView = Omit<DockerNode, 'tls'> & { tls: boolean };

/** The public view of a node (CLI JSON, GraphQL): never its TLS material. */
export function nodeView(node: DockerNode): NodeView {
  const { tls, ...rest } = node;
  return { ...rest, tls: tls !== undefined };
}
