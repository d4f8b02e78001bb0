/**
 * Docker image references as the engine and the registry name them (distribution/reference): an optional
 * registry host (a first component with a `.` or `:`, or `localhost`), the repository path, then `:tag`
 * and/or `@sha256:…`. Names without a host are on Docker Hub (`docker.io`), one-component Hub names under
 * `library/`. The fully qualified `host/path` is also the GUN of the repository's trust data.
 */

export interface ImageReference {
  /** `docker.io`, `registry.example.mil:5000`, `127.0.0.1:5000`. */
  host: string;
  /** Repository path within the registry: `library/busybox`, `team/app`. */
  path: string;
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses a reference; undefined when it is not one (an image id, an empty string). */
export function parseImageReference(ref: string): ImageReference | undefined {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === '') return undefined;
  const parts = rest.split('/');
  let host = 'docker.io';
  const first = parts[0] as string;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    parts.shift();
  }
  if (host === 'index.docker.io' || host === 'registry-1.docker.io') host = 'docker.io';
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  if (host === 'docker.io' && parts.length === 1) parts.unshift('library');
  // A bare 64-hex name is an image id, not a repository.
  if (host === 'docker.io' && digest === undefined && tag === undefined && /^[0-9a-f]{64}$/.test(parts[parts.length - 1] as string) && parts.length === 2 && parts[0] === 'library') return undefined;
  return { host, path: parts.join('/'), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `host/path`: the repository's full name and the GUN of its trust data. */
export function repositoryName(ref: Pick<ImageReference, 'host' | 'path'>): string {
  return `${ref.host}/${ref.path}`;
}
