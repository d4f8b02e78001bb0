/**
 * Which repository and digest each container's image is signed under: the repository the container was
 * created from (`Config.Image`), and the digest of that repository among the image's `RepoDigests`. An image
 * id can sit in several repositories with the same content (one image id, several RepoDigests): only the
 * container's own repository counts, since that is the GUN its signature would be in. Pure.
 */
import type { ApiObject, NodeFacts } from '../domain/facts.js';
import { parseImageReference, repositoryName } from '../domain/image-reference.js';
import type { ImageTrustSubject } from '../domain/supply-chain-facts.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** One subject per container (stopped ones too, as the STIG's `docker ps --all`), in container order. */
export function imageTrustSubjects(facts: NodeFacts): ImageTrustSubject[] {
  const engine = facts.engine;
  const images = engine?.status === 'collected' ? new Map(engine.data.images.map((i) => [str(i.Id), i])) : undefined;
  const whyMissing = engine === undefined ? 'the engine inventory was not collected' : engine.status === 'failed' ? `collecting the engine inventory failed: ${engine.error}` : engine.status === 'unavailable' ? `the engine inventory is unavailable: ${engine.reason}` : '';
  return facts.containers.map((c): ImageTrustSubject => {
    const config = (c.inspect.Config ?? {}) as ApiObject;
    const reference = str(config.Image) || c.image;
    const imageId = str(c.inspect.Image);
    const base = { containerId: c.id, containerName: c.name, reference, imageId };
    const ref = parseImageReference(reference);
    if (ref === undefined || reference.startsWith('sha256:')) {
      return { ...base, repository: null, tag: null, digest: null, problem: { kind: 'no-repository', message: `Container ${c.name} runs image ${reference || imageId}, named by id rather than by a repository: it can't carry a content-trust signature.` } };
    }
    const repository = repositoryName(ref);
    const tag = ref.tag ?? (ref.digest === undefined ? 'latest' : null);
    if (ref.digest !== undefined) return { ...base, repository, tag, digest: ref.digest };
    if (images === undefined) return { ...base, repository, tag, digest: null, problem: { kind: 'not-collected', message: `The digest of ${reference} can't be looked up: ${whyMissing}.` } };
    const image = images.get(imageId);
    if (image === undefined) return { ...base, repository, tag, digest: null, problem: { kind: 'not-collected', message: `Image ${imageId || '(none)'} of container ${c.name} is not among the engine's inspected images.` } };
    const digest = repoDigestFor(image, repository);
    if (digest === undefined) {
      return { ...base, repository, tag, digest: null, problem: { kind: 'no-digest', message: `Image ${reference} has no digest in ${repository} (RepoDigests ${JSON.stringify(image.RepoDigests ?? null)}): it was built or imported locally, never pushed to or pulled from the registry.` } };
    }
    return { ...base, repository, tag, digest };
  });
}

/** The digest of `repository` among an image's RepoDigests (`host/path@sha256:…`, normalised). */
export function repoDigestFor(image: ApiObject, repository: string): string | undefined {
  const digests = Array.isArray(image.RepoDigests) ? image.RepoDigests : [];
  for (const d of digests) {
    const ref = typeof d === 'string' ? parseImageReference(d) : undefined;
    if (ref?.digest !== undefined && repositoryName(ref) === repository) return ref.digest;
  }
  return undefined;
}
