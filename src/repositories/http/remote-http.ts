/**
 * HTTPS to a registry or trust server (Docker Registry HTTP API v2, Notary): TLS verified against the
 * configured CA (else the system's), a timeout and a size cap on every answer, and Docker's auth flows: a 401
 * challenge `Basic` is answered with the credentials, a `Bearer realm=…,service=…,scope=…` challenge with a
 * token fetched from the realm (credentials as basic auth, tokens cached per scope until they expire).
 *
 * Credentials go over TLS only. Errors name the server, the request and the status or cause; they never echo
 * a remote body (a registry's error text may reflect input or leak internals), nor a credential or token.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { RemoteEndpoint } from '../../domain/supply-chain.js';
import { isTlsErrorCode } from '../docker/docker-errors.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD';
  accept?: readonly string[];
  /** Largest body accepted; a longer answer fails (REGISTRY_BAD_RESPONSE). */
  maxBytes: number;
}

export interface RemoteHttpOptions {
  /** Per request (connect to last byte); default 10 s. */
  timeoutMs?: number;
  /** Clock of token expiry; default Date.now. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TOKEN_BYTES = 64 * 1024;

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…"` (one challenge; the first when several are given). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (m === null) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] as string).matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) params[(p[1] as string).toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: (m[1] as string).toLowerCase(), params };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

/** One registry or trust server. `label` names it in errors (`registry prod-registry (https://…)`). */
export class RemoteHttpClient {
  private readonly base: URL;
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private caError: string | undefined;

  constructor(
    private readonly endpoint: RemoteEndpoint,
    readonly label: string,
    options: RemoteHttpOptions = {},
  ) {
    this.base = new URL(endpoint.url);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    let ca: Buffer | undefined;
    if (endpoint.caPem !== undefined) ca = Buffer.from(endpoint.caPem, 'utf8');
    else if (endpoint.caPath !== undefined) {
      try {
        ca = fs.readFileSync(endpoint.caPath);
      } catch (e) {
        this.caError = `the CA file ${endpoint.caPath} can't be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
      }
    }
    // The token realm may be another host (an auth service): it is verified against the same CA.
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, ...(ca !== undefined ? { ca } : {}) });
  }

  /** GETs (or HEADs) a path below the base URL, answering auth challenges once; any status is returned. */
  async request(path: string, options: RequestOptions): Promise<HttpAnswer> {
    const url = new URL(path, this.base);
    const first = await this.send(url, options, this.cachedAuthorization(url));
    if (first.status !== 401) return first;
    const authorization = await this.authorize(url, first.headers['www-authenticate'], options.method ?? 'GET');
    const second = await this.send(url, options, authorization);
    if (second.status === 401 || second.status === 403) throw this.error(ErrorCode.REGISTRY_AUTH_FAILED, `${options.method ?? 'GET'} ${url.pathname} was refused (${second.status}) with the configured credentials`);
    return second;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  /** Tokens are scoped to a repository (`repository:<name>:pull`): one per repository, not per request. */
  private scopeKey(url: URL): string {
    const m = /^\/v2\/(.+?)\/(?:tags|manifests|blobs|_trust)\//.exec(url.pathname);
    return m !== null ? `repository:${m[1] as string}` : url.pathname;
  }

  private cachedAuthorization(url: URL): string | undefined {
    const t = this.tokens.get(this.scopeKey(url));
    if (t !== undefined && t.expiresAt > this.now()) return `Bearer ${t.token}`;
    if (t !== undefined) this.tokens.delete(this.scopeKey(url));
    return undefined;
  }

  private basic(): string {
    const c = this.endpoint.credentials;
    if (c === undefined) throw this.error(ErrorCode.REGISTRY_AUTH_FAILED, 'asks for credentials, and none are configured');
    return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
  }

  private async authorize(url: URL, header: string | string[] | undefined, method: string): Promise<string> {
    const challenge = parseChallenge(Array.isArray(header) ? header[0] : header);
    if (challenge?.scheme === 'basic') {
      this.requireTlsFor(url);
      return this.basic();
    }
    if (challenge?.scheme !== 'bearer' || challenge.params.realm === undefined) {
      throw this.error(ErrorCode.REGISTRY_AUTH_FAILED, `${method} ${url.pathname} answered 401 without a Basic or Bearer challenge`);
    }
    const realm = new URL(challenge.params.realm);
    if (challenge.params.service !== undefined) realm.searchParams.set('service', challenge.params.service);
    if (challenge.params.scope !== undefined) realm.searchParams.set('scope', challenge.params.scope);
    const creds = this.endpoint.credentials !== undefined ? (this.requireTlsFor(realm), this.basic()) : undefined;
    const answer = await this.send(realm, { maxBytes: MAX_TOKEN_BYTES }, creds);
    if (answer.status === 401 || answer.status === 403) throw this.error(ErrorCode.REGISTRY_AUTH_FAILED, `the token service ${realm.origin}${realm.pathname} refused the configured credentials (${answer.status})`);
    if (answer.status !== 200) throw this.error(ErrorCode.REGISTRY_BAD_RESPONSE, `the token service ${realm.origin}${realm.pathname} answered ${answer.status}`);
    let token: unknown;
    let expiresIn: unknown;
    try {
      const json = JSON.parse(answer.body.toString('utf8')) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
      token = json.token ?? json.access_token;
      expiresIn = json.expires_in;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') throw this.error(ErrorCode.REGISTRY_BAD_RESPONSE, `the token service ${realm.origin}${realm.pathname} answered no token`);
    // Docker's default lifetime is 60 s; renew a little early.
    const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 60;
    this.tokens.set(this.scopeKey(url), { token, expiresAt: this.now() + Math.max(1, seconds - 5) * 1000 });
    return `Bearer ${token}`;
  }

  private requireTlsFor(url: URL): void {
    if (url.protocol !== 'https:') throw this.error(ErrorCode.REGISTRY_AUTH_FAILED, `would send credentials to ${url.origin} without TLS; refused`);
  }

  private error(code: ErrorCode, what: string): PlimsollError {
    return new PlimsollError(code, `${this.label} ${what}`);
  }

  private send(url: URL, options: RequestOptions, authorization: string | undefined): Promise<HttpAnswer> {
    if (this.caError !== undefined) return Promise.reject(this.error(ErrorCode.REGISTRY_TLS_FAILED, `can't be verified: ${this.caError}`));
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = {};
    if (options.accept !== undefined) headers.accept = options.accept.join(', ');
    if (authorization !== undefined) headers.authorization = authorization;
    const what = `${method} ${url.pathname}`;
    const mod = url.protocol === 'https:' ? https : http;
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) return Promise.reject(this.error(ErrorCode.REGISTRY_TLS_FAILED, `refuses plain HTTP to ${url.origin}: only loopback registries may go without TLS`));
    return new Promise<HttpAnswer>((resolve, reject) => {
      const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
      const req = mod.request(url, { method, headers, agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            reject(this.error(ErrorCode.REGISTRY_BAD_RESPONSE, `${what} answered more than ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => reject(this.transportError(e, what)));
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), this.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(this.transportError(e, what)));
      req.end();
    });
  }

  private transportError(e: unknown, what: string): PlimsollError {
    const code = typeof (e as { code?: unknown }).code === 'string' ? ((e as { code: string }).code) : 'error';
    if (isTlsErrorCode(code)) {
      const hint =
        this.endpoint.caPem !== undefined
          ? ' (is its certificate signed by the registered CA?)'
          : this.endpoint.caPath !== undefined
            ? ` (is its certificate signed by the CA in ${this.endpoint.caPath}?)`
            : ' (is its CA configured?)';
      return this.error(ErrorCode.REGISTRY_TLS_FAILED, `failed TLS verification on ${what}: ${code}${hint}`);
    }
    if (code === 'ETIMEDOUT') return this.error(ErrorCode.REGISTRY_UNREACHABLE, `did not answer ${what} within ${this.timeoutMs} ms`);
    return this.error(ErrorCode.REGISTRY_UNREACHABLE, `is unreachable: ${what} failed (${code})`);
  }
}
