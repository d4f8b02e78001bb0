/**
 * The supply-chain file (PLIMSOLL_SUPPLY_CHAIN_CONFIG, YAML or JSON): per environment, the registries its
 * nodes pull from, the trust servers (Notary) holding their signatures and the signers that count. Passwords
 * are never in the file: `passwordEnv` names the environment variable holding one. Every problem is reported
 * with the file and the JSON pointer of the bad value.
 *
 *   environments:
 *     prod:
 *       trustServers:
 *         - { name: notary, url: "https://notary.example.mil:4443", caFile: /etc/plimsoll/notary-ca.pem }
 *       registries:
 *         - { name: prod, host: "registry.example.mil", url: "https://registry.example.mil", trustServer: notary,
 *             username: plimsoll, passwordEnv: PROD_REGISTRY_PASSWORD, repositories: ["team/*"] }
 *       allowedSigners:
 *         - { role: targets/releases, keyIds: ["8b5a…"] }
 *       collections: ["/prod", "/Shared/prod/*"]
 *
 * Kept free of other src imports (config imports nothing else); the shapes match src/domain/supply-chain.ts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// yaml is loaded only for a YAML file (CommonJS, so required on demand): most processes never read one.
const load = createRequire(import.meta.url);

export interface CredentialsConfig {
  username: string;
  password: string;
}

export interface EndpointConfig {
  name: string;
  url: string;
  caPath?: string;
  credentials?: CredentialsConfig;
}

export interface RegistryConfig extends EndpointConfig {
  host: string;
  trustServer?: string;
  repositories?: string[];
}

export interface TrustServerConfig extends EndpointConfig {
  pinnedRootKeys?: Record<string, string[]>;
}

export interface SupplyChainEnvironmentConfig {
  environment: string;
  registries: RegistryConfig[];
  trustServers: TrustServerConfig[];
  allowedSigners: { role: string; keyIds?: string[] }[];
  /** Access-control collections of the environment's workloads (`/prod`, `/Shared/prod/*`). */
  collections?: string[];
}

type Obj = Record<string, unknown>;

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const ROLE = /^targets(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
const KEY_ID = /^[0-9a-f]{64}$/;
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9._/-]+(\/\*)?$/;

/** The shapes of supply-chain values, shared with registration (src/supply-chain) so both accept the same. */
export const SUPPLY_CHAIN_PATTERNS = { environment: ENV_NAME, role: ROLE, keyId: KEY_ID, host: HOST, repository: REPOSITORY } as const;

/**
 * A registry or trust server URL reduced to origin and path: https://, or http:// on a loopback address when
 * `allowHttp` (registries only); otherwise the reason it is refused.
 */
export function endpointUrl(s: string, allowHttp: boolean): { url: string } | { invalid: string } {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { invalid: 'must be a URL' };
  }
  const loopback = u.hostname === 'localhost' || /^127\./.test(u.hostname) || u.hostname === '[::1]';
  if (u.protocol === 'https:' || (u.protocol === 'http:' && allowHttp && loopback)) return { url: u.origin + u.pathname.replace(/\/+$/, '') };
  return { invalid: allowHttp ? 'must be an https:// URL (http:// only on a loopback address)' : 'must be an https:// URL' };
}
/** A collection path, or every collection below one (`/Shared/prod/*`). */
const COLLECTION = /^\/[^\s*]*(?:\/\*)?$/;

/** Reads and validates the file; problems are appended as `file#/pointer: message`. */
export function loadSupplyChainConfig(file: string, env: NodeJS.ProcessEnv, cwd: string, problems: string[]): SupplyChainEnvironmentConfig[] {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    problems.push(`PLIMSOLL_SUPPLY_CHAIN_CONFIG=${JSON.stringify(file)} can't be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return [];
  }
  let doc: unknown;
  try {
    doc = /\.json$/i.test(abs) ? JSON.parse(text) : (load('yaml') as typeof import('yaml')).parse(text);
  } catch (e) {
    problems.push(`${abs}: not valid ${/\.json$/i.test(abs) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
    return [];
  }
  const v = new Validator(abs, env, path.dirname(abs), problems);
  return v.document(doc);
}

class Validator {
  constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
    private readonly problems: string[],
  ) {}

  private bad(pointer: string, message: string): undefined {
    this.problems.push(`${this.file}#${pointer}: ${message}`);
    return undefined;
  }

  private obj(v: unknown, at: string): Obj | undefined {
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : this.bad(at, 'must be an object');
  }

  private list(v: unknown, at: string): unknown[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : (this.bad(at, 'must be a list'), []);
  }

  private str(v: unknown, at: string, re?: RegExp, what = 'a non-empty string'): string | undefined {
    if (typeof v !== 'string' || v === '' || (re !== undefined && !re.test(v))) return this.bad(at, `must be ${what}`);
    return v;
  }

  private strings(v: unknown, at: string, re?: RegExp, what?: string): string[] | undefined {
    if (v === undefined) return undefined;
    return this.list(v, at).map((s, i) => this.str(s, `${at}/${i}`, re, what)).filter((s): s is string => s !== undefined);
  }

  document(doc: unknown): SupplyChainEnvironmentConfig[] {
    const top = this.obj(doc, '');
    if (top === undefined) return [];
    const envs = this.obj(top.environments ?? {}, '/environments') ?? {};
    return Object.entries(envs).flatMap(([name, e]) => {
      const at = `/environments/${name}`;
      if (!ENV_NAME.test(name)) return (this.bad(at, 'the environment name must be letters, digits, "_", "." or "-"'), []);
      const o = this.obj(e, at);
      return o === undefined ? [] : [this.environment(name, o, at)];
    });
  }

  private environment(environment: string, o: Obj, at: string): SupplyChainEnvironmentConfig {
    const trustServers = this.list(o.trustServers, `${at}/trustServers`).flatMap((t, i) => this.trustServer(t, `${at}/trustServers/${i}`) ?? []);
    const names = new Set(trustServers.map((t) => t.name));
    const registries = this.list(o.registries, `${at}/registries`).flatMap((r, i) => this.registry(r, `${at}/registries/${i}`, names) ?? []);
    const allowedSigners = this.list(o.allowedSigners, `${at}/allowedSigners`).flatMap((s, i) => {
      const so = this.obj(s, `${at}/allowedSigners/${i}`);
      if (so === undefined) return [];
      const role = this.str(so.role, `${at}/allowedSigners/${i}/role`, ROLE, 'a targets role such as "targets/releases"');
      const keyIds = this.strings(so.keyIds, `${at}/allowedSigners/${i}/keyIds`, KEY_ID, '64 lowercase hex digits (a TUF key id)');
      return role === undefined ? [] : [{ role, ...(keyIds !== undefined ? { keyIds } : {}) }];
    });
    const collections = this.strings(o.collections, `${at}/collections`, COLLECTION, 'a collection path such as "/prod" or "/Shared/prod/*" ("*" only as a last "/*")');
    return { environment, registries, trustServers, allowedSigners, ...(collections !== undefined ? { collections } : {}) };
  }

  private endpoint(o: Obj, at: string, allowHttp: boolean): EndpointConfig | undefined {
    const name = this.str(o.name, `${at}/name`);
    const url = this.url(o.url, `${at}/url`, allowHttp);
    const caPath = o.caFile === undefined ? undefined : this.str(o.caFile, `${at}/caFile`);
    if (caPath !== undefined && !fs.existsSync(path.resolve(this.dir, caPath))) this.bad(`${at}/caFile`, `${caPath} does not exist`);
    const credentials = this.credentials(o, at, url);
    if (name === undefined || url === undefined) return undefined;
    return { name, url, ...(caPath !== undefined ? { caPath: path.resolve(this.dir, caPath) } : {}), ...(credentials !== undefined ? { credentials } : {}) };
  }

  private url(v: unknown, at: string, allowHttp: boolean): string | undefined {
    const s = this.str(v, at);
    if (s === undefined) return undefined;
    const checked = endpointUrl(s, allowHttp);
    return 'url' in checked ? checked.url : this.bad(at, checked.invalid);
  }

  private credentials(o: Obj, at: string, url: string | undefined): CredentialsConfig | undefined {
    if (o.username === undefined && o.passwordEnv === undefined) return undefined;
    if (o.password !== undefined) this.bad(`${at}/password`, 'passwords are not kept in this file: name the variable holding it with passwordEnv');
    const username = this.str(o.username, `${at}/username`);
    const variable = this.str(o.passwordEnv, `${at}/passwordEnv`, /^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');
    if (url !== undefined && !url.startsWith('https:')) return this.bad(`${at}/url`, 'credentials are sent over https:// only');
    if (username === undefined || variable === undefined) return undefined;
    const password = this.env[variable];
    if (password === undefined || password === '') return this.bad(`${at}/passwordEnv`, `the environment variable ${variable} is not set`);
    return { username, password };
  }

  private trustServer(t: unknown, at: string): TrustServerConfig | undefined {
    const o = this.obj(t, at);
    if (o === undefined) return undefined;
    const endpoint = this.endpoint(o, at, false);
    let pinnedRootKeys: Record<string, string[]> | undefined;
    if (o.pinnedRootKeys !== undefined) {
      const p = this.obj(o.pinnedRootKeys, `${at}/pinnedRootKeys`) ?? {};
      pinnedRootKeys = Object.fromEntries(Object.entries(p).map(([gun, ids]) => [gun, this.strings(ids, `${at}/pinnedRootKeys/${gun}`, KEY_ID, '64 lowercase hex digits (a TUF key id)') ?? []]));
    }
    return endpoint === undefined ? undefined : { ...endpoint, ...(pinnedRootKeys !== undefined ? { pinnedRootKeys } : {}) };
  }

  private registry(r: unknown, at: string, trustServers: ReadonlySet<string>): RegistryConfig | undefined {
    const o = this.obj(r, at);
    if (o === undefined) return undefined;
    const endpoint = this.endpoint(o, at, true);
    const defaultHost = endpoint !== undefined ? new URL(endpoint.url).host : undefined;
    const host = o.host === undefined ? defaultHost : this.str(o.host, `${at}/host`, HOST, 'a registry host as image references name it (host or host:port)');
    const trustServer = o.trustServer === undefined ? undefined : this.str(o.trustServer, `${at}/trustServer`);
    if (trustServer !== undefined && !trustServers.has(trustServer)) this.bad(`${at}/trustServer`, `names no trust server of this environment (${[...trustServers].join(', ') || 'none'})`);
    const repositories = this.strings(o.repositories, `${at}/repositories`, REPOSITORY, 'a repository name or "prefix/*"');
    if (endpoint === undefined || host === undefined) return undefined;
    return { ...endpoint, host, ...(trustServer !== undefined ? { trustServer } : {}), ...(repositories !== undefined ? { repositories } : {}) };
  }
}
