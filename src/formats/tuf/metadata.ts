/**
 * TUF metadata files as a Notary server serves them: `{"signed": {...}, "signatures": [...]}` for the roles
 * root, timestamp, snapshot, targets and the delegated targets roles (`targets/releases`, `targets/alice`).
 * Parsing checks the shape each role must have (Notary's `isValid*Structure`) and names the JSON pointer of
 * the first problem; it decides nothing about trust (see verify.ts).
 */
import type { TufPublicKey } from './keys.js';

/** Hash algorithm → raw digest bytes (JSON: base64, as Notary's Go `[]byte` marshals). */
export type Hashes = Record<string, Buffer>;

export interface FileMeta {
  length: number;
  hashes: Hashes;
  /** TUF 1.0 writes it; Notary does not. */
  version?: number;
}

export interface Signature {
  keyid: string;
  method: string;
  sig: Buffer;
}

export interface RoleKeys {
  keyids: string[];
  threshold: number;
}

export interface DelegatedRole extends RoleKeys {
  name: string;
  /** Target name prefixes the role may sign; `[""]` is every target. */
  paths?: string[];
  /** Hex prefixes of sha256(target name), the alternative to `paths`. */
  pathHashPrefixes?: string[];
}

interface Common {
  type: string;
  version: number;
  expires: Date;
  /** The `expires` text as served, for evidence. */
  expiresText: string;
}

export interface RootMetadata extends Common {
  keys: Record<string, TufPublicKey>;
  roles: Record<'root' | 'targets' | 'snapshot' | 'timestamp', RoleKeys>;
}

export interface TargetsMetadata extends Common {
  targets: Record<string, FileMeta>;
  delegations: { keys: Record<string, TufPublicKey>; roles: DelegatedRole[] };
}

export interface SnapshotMetadata extends Common {
  meta: Record<string, FileMeta>;
}

export interface TimestampMetadata extends Common {
  meta: Record<string, FileMeta>;
}

/** A parsed file: the `signed` value as parsed JSON (what is canonicalised), its typed view and signatures. */
export interface Envelope<T> {
  signedJson: unknown;
  signed: T;
  signatures: Signature[];
}

/** A metadata file that is not what its role must be; `pointer` is a JSON pointer into the file. */
export class MetadataError extends Error {
  constructor(
    readonly role: string,
    readonly pointer: string,
    problem: string,
  ) {
    super(`${role}.json${pointer === '' ? '' : `#${pointer}`}: ${problem}`);
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  constructor(readonly role: string) {}

  fail(pointer: string, problem: string): never {
    throw new MetadataError(this.role, pointer, problem);
  }

  obj(v: unknown, at: string): Obj {
    return isObj(v) ? v : this.fail(at, 'expected an object');
  }

  str(v: unknown, at: string): string {
    return typeof v === 'string' ? v : this.fail(at, 'expected a string');
  }

  int(v: unknown, at: string, min: number): number {
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : this.fail(at, `expected an integer of at least ${min}`);
  }

  strings(v: unknown, at: string): string[] {
    if (!Array.isArray(v)) this.fail(at, 'expected an array of strings');
    return v.map((s, i) => this.str(s, `${at}/${i}`));
  }

  base64(v: unknown, at: string): Buffer {
    const s = this.str(v, at);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) this.fail(at, 'expected base64');
    return Buffer.from(s, 'base64');
  }

  fileMeta(v: unknown, at: string): FileMeta {
    const o = this.obj(v, at);
    const hashesObj = this.obj(o.hashes, `${at}/hashes`);
    const hashes: Hashes = {};
    for (const [alg, h] of Object.entries(hashesObj)) hashes[alg] = this.base64(h, `${at}/hashes/${alg}`);
    return { length: this.int(o.length, `${at}/length`, 0), hashes, ...(o.version !== undefined ? { version: this.int(o.version, `${at}/version`, 1) } : {}) };
  }

  keys(v: unknown, at: string): Record<string, TufPublicKey> {
    const o = this.obj(v, at);
    const keys: Record<string, TufPublicKey> = {};
    for (const [id, k] of Object.entries(o)) {
      const ko = this.obj(k, `${at}/${id}`);
      const keyval = this.obj(ko.keyval, `${at}/${id}/keyval`);
      keys[id] = { keytype: this.str(ko.keytype, `${at}/${id}/keytype`), keyval: { public: this.str(keyval.public, `${at}/${id}/keyval/public`) } };
    }
    return keys;
  }

  roleKeys(v: unknown, at: string): RoleKeys {
    const o = this.obj(v, at);
    return { keyids: this.strings(o.keyids, `${at}/keyids`), threshold: this.int(o.threshold, `${at}/threshold`, 1) };
  }

  common(s: Obj, expectedType: string): Common {
    const type = this.str(s._type, '/signed/_type');
    if (type !== expectedType) this.fail('/signed/_type', `is ${JSON.stringify(type)}, expected ${JSON.stringify(expectedType)}`);
    const expiresText = this.str(s.expires, '/signed/expires');
    const expires = new Date(expiresText);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(expiresText) || Number.isNaN(expires.getTime())) this.fail('/signed/expires', 'expected an RFC 3339 time');
    return { type, version: this.int(s.version, '/signed/version', 1), expires, expiresText };
  }
}

/** The TUF `_type` of a role: delegated targets roles are `Targets`. */
export function tufTypeOf(role: string): string {
  if (role === 'root') return 'Root';
  if (role === 'snapshot') return 'Snapshot';
  if (role === 'timestamp') return 'Timestamp';
  if (role === 'targets' || role.startsWith('targets/')) return 'Targets';
  throw new MetadataError(role, '', 'not a TUF role name');
}

function envelope<T>(role: string, text: string, body: (r: Reader, signed: Obj) => T): Envelope<T> {
  const r = new Reader(role);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    r.fail('', 'not JSON');
  }
  const top = r.obj(json, '');
  const signed = r.obj(top.signed, '/signed');
  const list: unknown[] = Array.isArray(top.signatures) ? top.signatures : r.fail('/signatures', 'expected an array');
  const signatures = list.map((s, i): Signature => {
    const so = r.obj(s, `/signatures/${i}`);
    return { keyid: r.str(so.keyid, `/signatures/${i}/keyid`), method: r.str(so.method, `/signatures/${i}/method`).toLowerCase(), sig: r.base64(so.sig, `/signatures/${i}/sig`) };
  });
  return { signedJson: top.signed, signed: body(r, signed), signatures };
}

export function parseRoot(text: string): Envelope<RootMetadata> {
  return envelope('root', text, (r, s) => {
    const rolesObj = r.obj(s.roles, '/signed/roles');
    const role = (name: 'root' | 'targets' | 'snapshot' | 'timestamp') => (rolesObj[name] === undefined ? r.fail(`/signed/roles/${name}`, 'missing') : r.roleKeys(rolesObj[name], `/signed/roles/${name}`));
    return { ...r.common(s, 'Root'), keys: r.keys(s.keys, '/signed/keys'), roles: { root: role('root'), targets: role('targets'), snapshot: role('snapshot'), timestamp: role('timestamp') } };
  });
}

export function parseTargets(role: string, text: string): Envelope<TargetsMetadata> {
  return envelope(role, text, (r, s) => {
    const targetsObj = r.obj(s.targets, '/signed/targets');
    const targets: Record<string, FileMeta> = {};
    for (const [name, meta] of Object.entries(targetsObj)) targets[name] = r.fileMeta(meta, `/signed/targets/${name}`);
    const d = s.delegations === undefined || s.delegations === null ? { keys: {}, roles: [] } : r.obj(s.delegations, '/signed/delegations');
    const roles: unknown[] = d.roles === null || d.roles === undefined ? [] : Array.isArray(d.roles) ? d.roles : r.fail('/signed/delegations/roles', 'expected an array');
    return {
      ...r.common(s, 'Targets'),
      targets,
      delegations: {
        keys: d.keys === null || d.keys === undefined ? {} : r.keys(d.keys, '/signed/delegations/keys'),
        roles: roles.map((x, i): DelegatedRole => {
          const at = `/signed/delegations/roles/${i}`;
          const o = r.obj(x, at);
          return {
            name: r.str(o.name, `${at}/name`),
            ...r.roleKeys(o, at),
            ...(o.paths !== undefined && o.paths !== null ? { paths: r.strings(o.paths, `${at}/paths`) } : {}),
            ...(o.path_hash_prefixes !== undefined && o.path_hash_prefixes !== null ? { pathHashPrefixes: r.strings(o.path_hash_prefixes, `${at}/path_hash_prefixes`) } : {}),
          };
        }),
      },
    };
  });
}

function metaBody(r: Reader, s: Obj, type: string, required: string[]): { meta: Record<string, FileMeta> } & Common {
  const metaObj = r.obj(s.meta, '/signed/meta');
  const meta: Record<string, FileMeta> = {};
  for (const [name, m] of Object.entries(metaObj)) meta[name] = r.fileMeta(m, `/signed/meta/${name}`);
  for (const name of required) if (meta[name] === undefined) r.fail(`/signed/meta/${name}`, 'missing');
  return { ...r.common(s, type), meta };
}

export function parseSnapshot(text: string): Envelope<SnapshotMetadata> {
  return envelope('snapshot', text, (r, s) => metaBody(r, s, 'Snapshot', ['root', 'targets']));
}

export function parseTimestamp(text: string): Envelope<TimestampMetadata> {
  return envelope('timestamp', text, (r, s) => metaBody(r, s, 'Timestamp', ['snapshot']));
}

/** The hex sha256 a file meta names, if it names one (Notary's consistent file names use it). */
export function sha256HexOf(meta: FileMeta | undefined): string | undefined {
  const h = meta?.hashes.sha256;
  return h !== undefined && h.length === 32 ? h.toString('hex') : undefined;
}
