/**
 * A Docker Registry HTTP API v2 client (distribution's spec; Debian's docker-registry, DTR, Harbor): the
 * catalog and tag lists with their `Link` pagination, manifests with their digests (checked against the
 * bytes), manifest lists and OCI indexes with their platform entries. Auth and TLS as RemoteHttpClient does
 * them; errors name the registry, the request and the status, never the body.
 */
import { createHash } from 'node:crypto';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { RegistrySettings } from '../domain/supply-chain.js';
import type { ManifestListEntry } from '../domain/supply-chain-facts.js';
import { type HttpAnswer, RemoteHttpClient, type RemoteHttpOptions } from './http/remote-http.js';

export const MANIFEST_LIST_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'] as const;
export const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'] as const;
const ACCEPT = [...MANIFEST_LIST_TYPES, ...MANIFEST_TYPES];

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  size: number;
  manifests?: ManifestListEntry[];
}

export interface RegistryClient {
  readonly label: string;
  /** Repository names of the catalog, in the registry's order; more than `max` fails. */
  catalog(max: number): Promise<string[]>;
  /** Tags of a repository; more than `max` fails. */
  tags(repository: string, max: number): Promise<string[]>;
  /** The manifest a tag or digest names. NOT_FOUND when the registry does not know it. */
  manifest(repository: string, reference: string): Promise<ManifestInfo>;
  close(): void;
}

export type RegistryClientFactory = (registry: RegistrySettings) => RegistryClient;

const PAGE = 100;
const MAX_LIST_BYTES = 4 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REFERENCE = /^(?:[\w][\w.-]{0,127}|sha256:[0-9a-f]{64})$/;

/** A client per registry over HTTPS (RemoteHttpClient). */
export function registryClientFactory(options: RemoteHttpOptions = {}): RegistryClientFactory {
  return (registry) => new HttpRegistryClient(new RemoteHttpClient(registry, `registry ${registry.name} (${registry.url})`, options));
}

class HttpRegistryClient implements RegistryClient {
  constructor(private readonly http: RemoteHttpClient) {}

  get label(): string {
    return this.http.label;
  }

  catalog(max: number): Promise<string[]> {
    return this.paged(`/v2/_catalog?n=${PAGE}`, 'repositories', max, 'repositories');
  }

  tags(repository: string, max: number): Promise<string[]> {
    this.checkName(repository);
    return this.paged(`/v2/${repository}/tags/list?n=${PAGE}`, 'tags', max, `tags of ${repository}`);
  }

  async manifest(repository: string, reference: string): Promise<ManifestInfo> {
    this.checkName(repository);
    if (!REFERENCE.test(reference)) throw this.fail(ErrorCode.BAD_INPUT, `${JSON.stringify(reference)} is not a tag or digest`);
    const path = `/v2/${repository}/manifests/${reference}`;
    const answer = await this.http.request(path, { accept: ACCEPT, maxBytes: MAX_MANIFEST_BYTES });
    this.requireOk(answer, `GET ${path}`);
    const digest = `sha256:${createHash('sha256').update(answer.body).digest('hex')}`;
    const header = answer.headers['docker-content-digest'];
    if (typeof header === 'string' && header.startsWith('sha256:') && header !== digest) {
      throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `GET ${path}: the manifest's sha256 is not the Docker-Content-Digest the registry sent`);
    }
    if (reference.startsWith('sha256:') && reference !== digest) throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `GET ${path}: the manifest does not hash to the digest asked for`);
    let json: { mediaType?: unknown; manifests?: unknown };
    try {
      json = JSON.parse(answer.body.toString('utf8')) as typeof json;
    } catch {
      throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `GET ${path} answered a manifest that is not JSON`);
    }
    const contentType = String(answer.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const mediaType = typeof json.mediaType === 'string' && json.mediaType !== '' ? json.mediaType : contentType;
    const isList = (MANIFEST_LIST_TYPES as readonly string[]).includes(mediaType) || Array.isArray(json.manifests);
    return { digest, mediaType, size: answer.body.length, ...(isList ? { manifests: listEntries(json.manifests) } : {}) };
  }

  close(): void {
    this.http.close();
  }

  private checkName(repository: string): void {
    if (!NAME.test(repository)) throw this.fail(ErrorCode.BAD_INPUT, `${JSON.stringify(repository)} is not a repository name`);
  }

  private fail(code: ErrorCode, what: string): PlimsollError {
    return new PlimsollError(code, `${this.http.label}: ${what}`);
  }

  private requireOk(answer: HttpAnswer, what: string): void {
    if (answer.status === 200) return;
    if (answer.status === 404) throw this.fail(ErrorCode.NOT_FOUND, `${what} answered 404`);
    if (answer.status === 403) throw this.fail(ErrorCode.REGISTRY_AUTH_FAILED, `${what} answered 403: the credentials may not read it`);
    throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `${what} answered ${answer.status}`);
  }

  /** Follows `Link: <…>; rel="next"` pages, staying on the registry's own origin. */
  private async paged(first: string, key: 'repositories' | 'tags', max: number, what: string): Promise<string[]> {
    const all: string[] = [];
    let next: string | undefined = first;
    for (let page = 0; next !== undefined; page++) {
      const answer = await this.http.request(next, { maxBytes: MAX_LIST_BYTES });
      this.requireOk(answer, `GET ${next.split('?')[0] ?? next}`);
      let items: unknown;
      try {
        items = (JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>)[key];
      } catch {
        throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `the ${what} list is not JSON`);
      }
      if (items !== null && (!Array.isArray(items) || !items.every((i) => typeof i === 'string'))) throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `the ${what} list has no "${key}" array of names`);
      all.push(...((items as string[] | null) ?? []));
      if (all.length > max) throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `holds more than ${max} ${what}; narrow the registry's repositories setting`);
      next = nextLink(answer.headers.link);
      if (page > max) throw this.fail(ErrorCode.REGISTRY_BAD_RESPONSE, `the ${what} list does not end`);
    }
    return all;
  }
}

/** The path and query of a `Link: </v2/_catalog?last=x&n=100>; rel="next"` header (same origin only). */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(value);
  if (m === null) return undefined;
  const target = m[1] as string;
  return target.startsWith('/') ? target : undefined;
}

function listEntries(value: unknown): ManifestListEntry[] {
  if (!Array.isArray(value)) return [];
  const out: ManifestListEntry[] = [];
  for (const m of value) {
    if (typeof m !== 'object' || m === null) continue;
    const o = m as { digest?: unknown; mediaType?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } };
    if (typeof o.digest !== 'string') continue;
    const p = o.platform;
    const platform = p !== undefined && typeof p.os === 'string' && typeof p.architecture === 'string' ? [p.os, p.architecture, ...(typeof p.variant === 'string' ? [p.variant] : [])].join('/') : undefined;
    out.push({ digest: o.digest, mediaType: typeof o.mediaType === 'string' ? o.mediaType : '', ...(platform !== undefined ? { platform } : {}) });
  }
  return out;
}
