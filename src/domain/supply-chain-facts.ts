/**
 * The supply-chain parts of NodeFacts (issue #11): the inventory of the environment's registries and the
 * TUF trust data of every image the node runs and every tag those registries hold. Trust metadata is kept
 * exactly as the trust server served it (text), so checks verify it themselves, as of the collection time,
 * and a stored snapshot can be verified again. No credential ever appears here.
 */
import type { AllowedSigner } from './supply-chain.js';

/** One manifest of a manifest list or OCI index. */
export interface ManifestListEntry {
  digest: string;
  mediaType: string;
  /** `linux/amd64`, `linux/arm64/v8`, when the list names a platform. */
  platform?: string;
}

export interface RegistryTag {
  tag: string;
  /** The digest the tag points to (of the manifest, or of the manifest list). */
  digest: string;
  mediaType: string;
  size: number;
  /** The manifests of a manifest list or OCI index. */
  manifests?: ManifestListEntry[];
}

export interface RegistryRepository {
  /** Path within the registry: `team/app`. */
  name: string;
  tags: RegistryTag[];
}

/** One registry of the environment: what it holds, or why it could not be read. */
export type RegistryFacts = { name: string; host: string; url: string } & ({ status: 'collected'; repositories: RegistryRepository[] } | { status: 'failed'; error: string });

export interface RegistryInventory {
  /** The node's environment (`default` when it has none). */
  environment: string;
  /** Empty when the environment configures no registry. */
  registries: RegistryFacts[];
}

/** An image the node runs, resolved to the repository and digest its signature is looked up by. */
export interface ImageTrustSubject {
  containerId: string;
  containerName: string;
  /** `Config.Image`: the reference the container was created from. */
  reference: string;
  /** The image id the container runs. */
  imageId: string;
  /** `host/path` of the container's own repository, when the reference names one. */
  repository: string | null;
  tag: string | null;
  /** The RepoDigest of that repository (or the reference's own digest): what a signature must name. */
  digest: string | null;
  /** Why the image can't be looked up, when repository or digest is null. */
  problem?: ImageSubjectProblem;
}

/**
 * `no-repository`: created from an image id, not a repository; `no-digest`: the image has no digest in its
 * repository (built or imported locally, never pushed or pulled): neither can carry a content-trust signature.
 * `not-collected`: the engine's image inspections needed to find the digest are missing (an error, not a finding).
 */
export interface ImageSubjectProblem {
  kind: 'no-repository' | 'no-digest' | 'not-collected';
  message: string;
}

/** A tag of a registry of the environment. */
export interface RegistryTagSubject {
  registry: string;
  /** `host/path`, as images name it: also the GUN. */
  repository: string;
  tag: string;
  digest: string;
}

/** The metadata files of a repository, as served. */
export interface TrustMetadataFiles {
  root: string;
  timestamp: string;
  snapshot: string;
  targets: string;
  delegations: Record<string, string>;
}

/** What the trust server holds for one GUN. */
export type TrustRepositoryFacts =
  | { trustServer: string; status: 'found'; files: TrustMetadataFiles; pinnedRootKeyIds?: string[] }
  | { trustServer: string; status: 'not-found' }
  | { trustServer: string; status: 'failed'; error: string };

export interface TrustPolicyFacts {
  allowedSigners: AllowedSigner[];
  /** True when the environment names no signers and Docker Content Trust's default applies. */
  defaulted: boolean;
}

export interface TrustFacts {
  environment: string;
  /** null when the environment configures no trust server: the signature rules stay manual. */
  policy: TrustPolicyFacts | null;
  /** Trust server name → URL, and registry host → trust server name (no credentials). */
  trustServers: Record<string, string>;
  registryTrust: Record<string, string>;
  images: ImageTrustSubject[];
  /** Tags of the environment's registries; absent when the registry part failed or was not collected. */
  registryTags?: RegistryTagSubject[];
  /** Why registry tags are missing, when they are. */
  registryTagsProblem?: string;
  /** GUN → trust data. */
  repositories: Record<string, TrustRepositoryFacts>;
}
