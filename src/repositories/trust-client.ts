/**
 * Fetches a repository's TUF metadata from a Notary server (`GET /v2/<GUN>/_trust/tuf/<role>.json`), the way
 * Notary's own client does: the timestamp first, then the snapshot by the checksum the timestamp names, then
 * root, targets and every delegated targets role the snapshot lists, each by its checksum
 * (`<role>.<sha256>.json`) so that all files belong to one consistent snapshot, and none longer than the
 * length listed for it. Nothing is verified here (formats/tuf/verify.ts does that, as of the fetch time).
 *
 * A warm cache: per server and GUN the files of the last fetch are kept; when the next timestamp names the
 * same snapshot checksum, only the timestamp is fetched again.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { endpointKey, type TrustServerSettings } from '../domain/supply-chain.js';
import type { TrustMetadataFiles } from '../domain/supply-chain-facts.js';
import { type FileMeta, parseSnapshot, parseTimestamp, sha256HexOf } from '../formats/tuf/metadata.js';
import { type HttpAnswer, RemoteHttpClient, type RemoteHttpOptions } from './http/remote-http.js';

export type TrustFetch = { status: 'found'; files: TrustMetadataFiles } | { status: 'not-found' };

export interface TrustClient {
  /** The GUN's metadata files; `not-found` when the server has no trust data for it (never signed). */
  fetch(server: TrustServerSettings, gun: string): Promise<TrustFetch>;
  close(): void;
}

/** Notary's own cap on a timestamp (MaxTimestampSize); other files are capped by the length listed for them. */
const MAX_TIMESTAMP_BYTES = 1024 * 1024;
const MAX_UNLISTED_BYTES = 10 * 1024 * 1024;
const MAX_DELEGATIONS = 64;
const GUN = /^[A-Za-z0-9][A-Za-z0-9._:-]*(?:\/[A-Za-z0-9._-]+)+$/;
const DELEGATION = /^targets(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;

interface Cached {
  snapshotSha: string;
  files: TrustMetadataFiles;
}

/** A trust client over HTTPS with one connection pool per server and an in-memory metadata cache. */
export class NotaryTrustClient implements TrustClient {
  private readonly clients = new Map<string, RemoteHttpClient>();
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly options: RemoteHttpOptions = {}) {}

  async fetch(server: TrustServerSettings, gun: string): Promise<TrustFetch> {
    if (!GUN.test(gun) || gun.includes('..')) throw new PlimsollError(ErrorCode.BAD_INPUT, `${JSON.stringify(gun)} is not a repository name (GUN)`);
    const http = this.client(server);
    const base = `/v2/${gun}/_trust/tuf/`;
    const timestamp = await this.get(http, `${base}timestamp.json`, MAX_TIMESTAMP_BYTES);
    if (timestamp === undefined) return { status: 'not-found' };
    const snapshotMeta = metaOf(() => parseTimestamp(timestamp).signed.meta.snapshot);
    const snapshotSha = sha256HexOf(snapshotMeta);
    const cacheKey = `${server.name}\u0000${server.url}\u0000${gun}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined && snapshotSha !== undefined && cached.snapshotSha === snapshotSha) {
      return { status: 'found', files: { ...cached.files, timestamp } };
    }
    const snapshot = await this.getRole(http, base, 'snapshot', snapshotMeta);
    let listed: Record<string, FileMeta> = {};
    try {
      listed = parseSnapshot(snapshot).signed.meta;
    } catch {
      // A malformed snapshot is the verifier's finding; fetch root and targets without checksums so it can say so.
    }
    const delegationNames = Object.keys(listed).filter((r) => DELEGATION.test(r)).slice(0, MAX_DELEGATIONS);
    const [root, targets, ...delegated] = await Promise.all([
      this.getRole(http, base, 'root', listed.root),
      this.getRole(http, base, 'targets', listed.targets),
      ...delegationNames.map((r) => this.getRole(http, base, r, listed[r], true)),
    ]);
    const delegations: Record<string, string> = {};
    delegationNames.forEach((r, i) => {
      const text = delegated[i];
      if (text !== undefined && text !== '') delegations[r] = text;
    });
    const files: TrustMetadataFiles = { root: root as string, timestamp, snapshot, targets: targets as string, delegations };
    if (snapshotSha !== undefined) this.cache.set(cacheKey, { snapshotSha, files });
    return { status: 'found', files };
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(server: TrustServerSettings): RemoteHttpClient {
    const key = endpointKey(server);
    let c = this.clients.get(key);
    if (c === undefined) {
      c = new RemoteHttpClient(server, `trust server ${server.name} (${server.url})`, this.options);
      this.clients.set(key, c);
    }
    return c;
  }

  /** A role's file, by checksum when the referring role lists one; '' for a missing optional delegation. */
  private async getRole(http: RemoteHttpClient, base: string, role: string, meta: FileMeta | undefined, optional = false): Promise<string> {
    const sha = sha256HexOf(meta);
    const max = meta !== undefined && meta.length > 0 ? meta.length : MAX_UNLISTED_BYTES;
    const text = await this.get(http, `${base}${sha !== undefined ? `${role}.${sha}` : role}.json`, max);
    if (text !== undefined) return text;
    if (optional) return '';
    throw new PlimsollError(ErrorCode.REGISTRY_BAD_RESPONSE, `${http.label}: the timestamp or snapshot lists ${role}, but ${role}.json is not found`);
  }

  /** The body as text; undefined on 404. */
  private async get(http: RemoteHttpClient, path: string, maxBytes: number): Promise<string | undefined> {
    const answer: HttpAnswer = await http.request(path, { maxBytes, accept: ['application/json'] });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new PlimsollError(ErrorCode.REGISTRY_BAD_RESPONSE, `${http.label}: GET ${path} answered ${answer.status}`);
    return answer.body.toString('utf8');
  }
}

function metaOf(read: () => FileMeta | undefined): FileMeta | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
